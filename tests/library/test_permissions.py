"""Every library URL against the fixed cast: anonymous, outsider, member, the resource's author, facilitator.

Each row is one URL name with the status each persona gets; a refused write must leave every library row as it
was. A test checks that every URL pattern of the library has a row here.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from communities.models import Flag, ModerationAction
from forums import services as forum_services
from forums.models import Category, Thread
from library import services
from library import urls as library_urls
from library.models import (
    GuideRevision,
    Resource,
    ResourceComment,
    ResourceFollow,
    ResourceReaction,
    ResourceVersion,
)

from ..conftest import login
from ..factories import make_membership, make_user
from . import files
from .conftest import add_document, current_version, process

pytestmark = pytest.mark.django_db
PERSONAS = ("anonymous", "outsider", "member", "author", "facilitator")
LOGIN = "login"  # anonymous visitors are sent to log in


@dataclass
class Stage:
    document: Resource
    guide: Resource
    comment: ResourceComment
    thread: Thread
    users: dict


@pytest.fixture
def stage(community, facilitator, outsider):
    author = make_membership(community, make_user(first_name="Ada")).user
    member = make_membership(community, make_user(first_name="Mo")).user
    document = add_document(community, author, name="chart.png", data=files.png())  # quick to preview
    process(document)
    guide = services.resource_create(
        community=community, author=author, kind=Resource.Kind.GUIDE, title="How we run lessons", body="Start."
    )
    services.guide_edit(resource=guide, editor=author, title=guide.title, body="Start early.")
    comment = services.comment_create(resource=document, author=author, body="Used it twice.")
    category = Category.objects.create(community=community, name="Q", slug="q")
    thread = forum_services.thread_create(
        category=category, author=author, kind=Thread.Kind.QUESTION, title="Registers?", body="How?"
    )
    users = {"outsider": outsider, "member": member, "author": author, "facilitator": facilitator}
    return Stage(document, guide, comment, thread, users)


def _snapshot():
    return (
        Resource.objects.count(),
        list(Resource.objects.order_by("pk").values_list("title", "is_featured", "is_hidden", "thanks_count")),
        ResourceVersion.objects.count(),
        ResourceReaction.objects.count(),
        ResourceFollow.objects.count(),
        list(ResourceComment.objects.order_by("pk").values_list("body", "status", "is_deleted")),
        GuideRevision.objects.count(),
        Flag.objects.count(),
        ModerationAction.objects.count(),
    )


def _args(stage: Stage, name: str) -> list:
    slug, doc, guide = stage.document.community.slug, stage.document, stage.guide
    version = current_version(doc)
    return {
        "home": [slug],
        "browse": [slug],
        "key_links": [slug],
        "tag_detail": [slug, "risk"],
        "resource_add_choose": [slug],
        "resource_add": [slug, "document"],
        "guide_from_source": [slug, "forums.thread", stage.thread.pk],
        "resource_detail": [slug, doc.pk],
        "resource_edit": [slug, doc.pk],
        "resource_delete": [slug, doc.pk],
        "resource_feature": [slug, doc.pk],
        "resource_react": [slug, doc.pk, "thanks"],
        "resource_follow": [slug, doc.pk],
        "resource_flag": [slug, doc.pk],
        "resource_moderate": [slug, doc.pk],
        "toolkit_file_add": [slug, doc.pk],
        "file_download": [slug, doc.pk, version.file_id],
        "version_upload": [slug, doc.pk, version.file_id],
        "version_download": [slug, doc.pk, version.pk],
        "version_preview": [slug, doc.pk, version.pk],
        "version_delete": [slug, doc.pk, version.pk],
        "guide_edit": [slug, guide.pk],
        "revision_list": [slug, guide.pk],
        "revision_detail": [slug, guide.pk, 1],
        "revision_restore": [slug, guide.pk, 1],
        "comment_create": [slug, doc.pk],
        "comment_edit": [slug, stage.comment.pk],
        "comment_delete": [slug, stage.comment.pk],
        "comment_flag": [slug, stage.comment.pk],
        "moderation_queue": [slug],
        "moderation_act": [slug, "resource", doc.pk],
    }[name]


# url name: (method, POST data, {persona: status}); reads for everyone are 200.
EVERYONE = dict.fromkeys(PERSONAS, 200)
MEMBERS_ONLY_PAGE = {"anonymous": LOGIN, "outsider": 403, "member": 200, "author": 200, "facilitator": 200}
AUTHOR_OR_FACILITATOR = {"anonymous": LOGIN, "outsider": 403, "member": 403, "author": 200, "facilitator": 200}
FACILITATOR_WRITE = {"anonymous": LOGIN, "outsider": 403, "member": 403, "author": 403, "facilitator": 302}
MATRIX = {
    "home": ("get", None, EVERYONE),
    "browse": ("get", None, EVERYONE),
    "key_links": ("get", None, EVERYONE),
    "tag_detail": ("get", None, EVERYONE),
    "resource_detail": ("get", None, EVERYONE),
    "file_download": ("get", None, EVERYONE),
    "version_download": ("get", None, EVERYONE),
    "version_preview": ("get", None, EVERYONE),
    "revision_list": ("get", None, EVERYONE),
    "revision_detail": ("get", None, EVERYONE),
    "resource_add_choose": ("get", None, MEMBERS_ONLY_PAGE),
    "resource_add": ("get", None, MEMBERS_ONLY_PAGE),
    "guide_from_source": ("get", None, AUTHOR_OR_FACILITATOR),
    "resource_edit": ("get", None, AUTHOR_OR_FACILITATOR),
    "resource_delete": ("get", None, AUTHOR_OR_FACILITATOR),
    "version_upload": ("get", None, AUTHOR_OR_FACILITATOR),
    "guide_edit": ("get", None, MEMBERS_ONLY_PAGE),  # the guide is open to every member
    "resource_flag": ("get", None, {**MEMBERS_ONLY_PAGE, "author": 403}),
    "comment_flag": ("get", None, {**MEMBERS_ONLY_PAGE, "author": 403}),
    "comment_edit": ("get", None, {**AUTHOR_OR_FACILITATOR, "facilitator": 403}),
    "toolkit_file_add": ("get", None, {**AUTHOR_OR_FACILITATOR, "author": 403, "facilitator": 403}),
    "moderation_queue": ("get", None, {**FACILITATOR_WRITE, "facilitator": 200}),
    "resource_feature": ("post", {"featured": "1"}, FACILITATOR_WRITE),
    "resource_moderate": ("post", {"action": "hide"}, FACILITATOR_WRITE),
    "moderation_act": ("post", {"action": "hide"}, FACILITATOR_WRITE),
    "resource_react": (
        "post",
        {},
        {"anonymous": LOGIN, "outsider": 403, "member": 302, "author": 403, "facilitator": 302},
    ),
    "resource_follow": ("post", {"follow": "1"}, {**FACILITATOR_WRITE, "member": 302, "author": 302}),
    "comment_create": ("post", {"body": "Nice."}, {**FACILITATOR_WRITE, "member": 302, "author": 302}),
    "comment_delete": ("post", {}, {**FACILITATOR_WRITE, "author": 302, "facilitator": 403}),
    "revision_restore": ("post", {}, {**FACILITATOR_WRITE, "member": 302, "author": 302}),
    "version_delete": ("post", {}, {**FACILITATOR_WRITE, "author": 302}),  # refused with a message: the only file
}


def test_every_library_url_pattern_has_a_row():
    names = {pattern.name for pattern in library_urls.urlpatterns if getattr(pattern, "name", None)}
    names |= {pattern.name for pattern in library_urls.resource_urls}
    assert names == set(MATRIX)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_library_url_answers_each_persona_as_the_rules_say(stage, client, name, persona):
    method, data, expected = MATRIX[name]
    visitor = client if persona == "anonymous" else login(stage.users[persona])
    url = reverse(f"library:{name}", args=_args(stage, name))
    before = _snapshot()

    response = getattr(visitor, method)(url, data or {})

    wanted = expected[persona]
    if wanted == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == wanted
    if method == "post" and wanted in (LOGIN, 403):
        assert _snapshot() == before, "a refused write changed nothing"

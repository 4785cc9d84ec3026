"""Recognition and conversation: thanks and helpful, follows, comments with the forums' Markdown, flags and the
library's moderation queue (every action in the shared moderation log)."""

import pytest
from django.urls import reverse

from communities.models import Flag, ModerationAction, SearchDocument
from library import services
from library.models import Resource, ResourceComment, ResourceFollow, ResourceReaction

from ..conftest import login
from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db


def url(name, resource, *args):
    return reverse(f"library:{name}", args=[resource.community.slug, resource.pk, *args])


def test_thanks_and_helpful_toggle_and_count(document, as_facilitator):
    as_facilitator.post(url("resource_react", document, "thanks"))
    as_facilitator.post(url("resource_react", document, "helpful"))
    as_facilitator.post(url("resource_react", document, "helpful"))

    document.refresh_from_db()
    assert (document.thanks_count, document.helpful_count) == (1, 0)
    assert ResourceReaction.objects.count() == 1
    page = as_facilitator.get(document.get_absolute_url()).content.decode()
    assert 'class="reaction is-on" aria-pressed="true">Thanks <span>1</span>' in page


def test_nobody_thanks_their_own_resource_and_outsiders_cannot_react(document, as_member, as_outsider):
    assert as_member.post(url("resource_react", document, "thanks")).status_code == 403
    assert as_outsider.post(url("resource_react", document, "helpful")).status_code == 403
    assert as_member.post(url("resource_react", document, "bogus")).status_code == 403
    assert not ResourceReaction.objects.exists()


def test_the_author_follows_and_members_can_follow_or_stop(document, member, as_facilitator, facilitator):
    assert ResourceFollow.objects.filter(resource=document, user=member).exists()

    as_facilitator.post(url("resource_follow", document), {"follow": "1"})
    assert ResourceFollow.objects.filter(resource=document, user=facilitator).exists()
    as_facilitator.post(url("resource_follow", document), {"follow": "0"})
    assert not ResourceFollow.objects.filter(resource=document, user=facilitator).exists()


def test_comments_use_the_sanitised_markdown_and_are_searchable(document, as_facilitator, facilitator):
    response = as_facilitator.post(
        url("comment_create", document), {"body": "We used it **twice**. <img src=x onerror=alert(1)> Tapioca."}
    )

    comment = ResourceComment.objects.get()
    assert response["Location"] == document.get_absolute_url() + f"#comment-{comment.pk}"
    assert "<strong>twice</strong>" in comment.body_html and "<img" not in comment.body_html
    document.refresh_from_db()
    assert document.comment_count == 1
    assert SearchDocument.objects.get(kind="resource_comment").title == f"Comment on {document.title}"
    page = as_facilitator.get(document.get_absolute_url()).content.decode()
    assert "<strong>twice</strong>" in page and "1 comment" in page


def test_a_refused_comment_comes_back_with_what_was_typed(document, as_facilitator):
    response = as_facilitator.post(url("comment_create", document), {"body": "x" * 20_001})

    assert response.status_code == 400
    assert "x" * 100 in response.content.decode()
    assert not ResourceComment.objects.exists()


def test_authors_edit_and_delete_their_comments_and_nobody_else_does(document, facilitator, as_member, community):
    comment = services.comment_create(resource=document, author=facilitator, body="First thoughts")
    edit = reverse("library:comment_edit", args=[community.slug, comment.pk])
    delete = reverse("library:comment_delete", args=[community.slug, comment.pk])

    assert as_member.post(edit, {"body": "Hijacked"}).status_code == 403
    login(facilitator).post(edit, {"body": "Second thoughts"})
    comment.refresh_from_db()
    assert comment.body == "Second thoughts" and comment.edited_at
    login(facilitator).post(delete)
    comment.refresh_from_db()
    document.refresh_from_db()
    assert comment.is_deleted and document.comment_count == 0
    assert not SearchDocument.objects.filter(kind="resource_comment").exists()


def test_flags_reach_the_library_queue_and_hiding_is_logged(document, facilitator, as_facilitator, community):
    reporter = make_membership(community, make_user(first_name="Rae")).user
    comment = services.comment_create(resource=document, author=facilitator, body="Buy cheap watches")
    login(reporter).post(
        reverse("library:comment_flag", args=[community.slug, comment.pk]), {"reason": "spam", "note": "advert"}
    )
    login(reporter).post(url("resource_flag", document), {"reason": "off_topic"})

    queue = as_facilitator.get(reverse("library:moderation_queue", args=[community.slug])).content.decode()
    assert "Buy cheap watches" in queue and "advert" in queue and document.title in queue

    as_facilitator.post(
        reverse("library:moderation_act", args=[community.slug, "comment", comment.pk]),
        {"action": "hide", "reason": "Spam"},
    )
    as_facilitator.post(
        reverse("library:moderation_act", args=[community.slug, "resource", document.pk]), {"action": "dismiss"}
    )

    comment.refresh_from_db()
    assert comment.status == ResourceComment.Status.HIDDEN
    assert not Flag.objects.filter(status=Flag.Status.OPEN).exists()
    actions = set(ModerationAction.objects.values_list("action", flat=True))
    assert {"hide", "dismiss_flag"} <= actions
    assert "Buy cheap watches" not in as_facilitator.get(document.get_absolute_url()).content.decode()
    log = as_facilitator.get(reverse("forums:moderation_log", args=[community.slug])).content.decode()
    assert "Buy cheap watches" in log


def test_hiding_a_resource_takes_it_out_of_lists_and_search_until_restored(
    document, as_facilitator, community, client
):
    as_facilitator.post(url("resource_moderate", document), {"action": "hide", "reason": "Copyright"})

    home = reverse("library:home", args=[community.slug])
    assert document.title not in client.get(home).content.decode()
    assert SearchDocument.objects.get(kind="document").is_hidden

    as_facilitator.post(
        reverse("library:moderation_act", args=[community.slug, "resource", document.pk]), {"action": "restore"}
    )

    assert document.title in client.get(home).content.decode()
    assert not SearchDocument.objects.get(kind="document").is_hidden


def test_members_cannot_moderate(document, as_member, community):
    assert as_member.get(reverse("library:moderation_queue", args=[community.slug])).status_code == 403
    act = reverse("library:moderation_act", args=[community.slug, "resource", document.pk])
    assert as_member.post(act, {"action": "hide"}).status_code == 403
    assert as_member.post(url("resource_moderate", document), {"action": "hide"}).status_code == 403
    assert not Resource.objects.get(pk=document.pk).is_hidden


def test_authors_delete_their_resource_and_its_files_go(
    document, as_member, community, django_capture_on_commit_callbacks
):
    from .conftest import stored_keys

    assert stored_keys()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member.post(url("resource_delete", document), {"reason": ""})

    assert response.status_code == 302
    assert not Resource.objects.exists() and stored_keys() == []
    assert not SearchDocument.objects.filter(kind="document").exists()

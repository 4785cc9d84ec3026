"""Guides: pages written in the platform, edited by members or facilitators, every edit kept as a revision."""

import pytest
from django.urls import reverse

from communities.models import ActivityEvent
from library import services
from library.models import GuideRevision, Resource, ResourceFollow

from ..conftest import login
from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(community, member):
    return services.resource_create(
        community=community,
        author=member,
        kind=Resource.Kind.GUIDE,
        title="Running a lessons-learned workshop",
        body="## Before\n\nBook a room.\n\n## During\n\nAsk what went well.",
        tags="lessons",
    )


def edit_url(guide):
    return reverse("library:guide_edit", args=[guide.community.slug, guide.pk])


def test_any_member_improves_an_open_guide_and_the_history_keeps_both_texts(guide, community, client):
    colleague = make_membership(community, make_user(first_name="Sam")).user

    response = login(colleague).post(
        edit_url(guide),
        {"title": guide.title, "body": guide.body + "\n\n## After\n\nShare the lessons here.", "note": "Added After"},
    )

    assert response.status_code == 302
    guide.refresh_from_db()
    assert "<h2>After</h2>" in guide.body_html
    revisions = list(guide.revisions.order_by("number"))
    assert [(r.number, r.editor) for r in revisions] == [(1, guide.author), (2, colleague)]
    assert revisions[1].note == "Added After"
    detail = client.get(reverse("library:revision_detail", args=[community.slug, guide.pk, 2])).content.decode()
    assert '<span class="diff-add">+## After</span>' in detail
    page = client.get(guide.get_absolute_url()).content.decode()
    assert "Sam" in page  # listed among the contributors


def test_a_revision_can_be_restored_as_a_new_revision(guide, community, as_member):
    as_member.post(edit_url(guide), {"title": guide.title, "body": "Vandalised.", "note": ""})

    as_member.post(reverse("library:revision_restore", args=[community.slug, guide.pk, 1]))

    guide.refresh_from_db()
    assert "Book a room" in guide.body
    latest = guide.revisions.order_by("-number").first()
    assert (latest.number, latest.note) == (3, "Restored revision 1")


def test_facilitators_only_guides_refuse_other_members(guide, community, as_facilitator):
    Resource.objects.filter(pk=guide.pk).update(editing=Resource.Editing.FACILITATORS)
    colleague = login(make_membership(community, make_user()).user)

    assert colleague.get(edit_url(guide)).status_code == 403
    assert colleague.post(edit_url(guide), {"title": "x", "body": "y"}).status_code == 403
    assert as_facilitator.post(edit_url(guide), {"title": guide.title, "body": "Tidied."}).status_code == 302
    assert GuideRevision.objects.filter(resource=guide).count() == 2


def test_outsiders_and_anonymous_visitors_cannot_edit(guide, as_outsider, client):
    assert as_outsider.post(edit_url(guide), {"title": "x", "body": "y"}).status_code == 403
    assert client.post(edit_url(guide), {"title": "x", "body": "y"}).status_code == 302
    assert GuideRevision.objects.filter(resource=guide).count() == 1


def test_revision_text_and_diffs_are_escaped(guide, as_member, community, client):
    as_member.post(edit_url(guide), {"title": guide.title, "body": "<script>alert('x')</script>", "note": "<b>hi</b>"})

    detail = client.get(reverse("library:revision_detail", args=[community.slug, guide.pk, 2])).content.decode()
    history = client.get(reverse("library:revision_list", args=[community.slug, guide.pk])).content.decode()

    assert "<script>alert" not in detail and "&lt;script&gt;alert" in detail
    assert "<b>hi</b>" not in history and "&lt;b&gt;hi&lt;/b&gt;" in history


def test_a_preview_shows_the_rendered_text_without_saving(guide, as_member):
    response = as_member.post(edit_url(guide), {"title": guide.title, "body": "**Bold** move", "preview": "1"})

    assert response.status_code == 200 and "<strong>Bold</strong> move" in response.content.decode()
    assert GuideRevision.objects.filter(resource=guide).count() == 1


def test_a_revision_is_recorded_for_followers(guide, community, facilitator):
    ResourceFollow.objects.create(resource=guide, user=facilitator)

    services.guide_edit(resource=guide, editor=facilitator, title=guide.title, body="New text.")

    event = ActivityEvent.objects.get(verb="guide_revised")
    assert event.data["resource_id"] == guide.pk and event.actor == facilitator


def test_saving_an_unchanged_text_makes_no_revision(guide, member):
    assert services.guide_edit(resource=guide, editor=member, title=guide.title, body=guide.body) is None
    assert guide.revisions.count() == 1

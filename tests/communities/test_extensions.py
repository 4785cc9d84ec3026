"""The extension registry: one registration style, and hosts that show whatever another app plugs in."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from communities import extensions
from communities.extensions import (
    AttachmentKind,
    CalendarSource,
    CommunityTab,
    EventType,
    ObjectAction,
    PageBlock,
    Rule,
    Rung,
    SearchKind,
)
from forums import services as forum_services
from forums.models import Category, Post, Thread
from hotseats import services as hotseat_services

from ..factories import make_user

pytestmark = pytest.mark.django_db


# --- The registry ------------------------------------------------------------------------------------------------


def test_registering_the_same_item_twice_is_harmless_and_another_under_its_key_is_refused(plug_in):
    kind = SearchKind(key="handbook-test", label="Handbook")
    plug_in(kind)
    extensions.register(kind)  # an AppConfig.ready() run twice

    assert extensions.lookup(SearchKind, "handbook-test") is kind
    with pytest.raises(ImproperlyConfigured, match="Two apps register SearchKind 'handbook-test'"):
        extensions.register(SearchKind(key="handbook-test", label="Manual"))


def test_registered_items_come_in_their_order_and_leave_when_unregistered(plug_in):
    late = plug_in(SearchKind(key="zz-late", label="Late", order=99))
    early = plug_in(SearchKind(key="aa-early", label="Early", order=1))

    kinds = extensions.registered(SearchKind)
    assert kinds[0] is early and kinds[-1] is late
    extensions.unregister(late)
    assert late not in extensions.registered(SearchKind)


def test_every_verb_the_apps_record_has_a_type_and_the_rungs_are_ordered():
    verbs = {t.verb for t in extensions.registered(EventType)}
    assert {"joined", "thread_started", "post_replied", "hotseat_question_asked", "post_flagged"} <= verbs
    assert Rung.READ < Rung.REACT < Rung.VOTE < Rung.ASK < Rung.ANSWER < Rung.ACCEPTED_ANSWER < Rung.HOST
    assert set(extensions.verbs_at(Rung.ASK, Rung.ANSWER)) == {
        "thread_started",
        "post_replied",
        "article_published",
        "hotseat_question_asked",
        "resource_added",
        "resource_version_added",
        "guide_revised",
        "resource_commented",
    }
    assert "post_flagged" not in extensions.feed_verbs() and "requested" not in extensions.feed_verbs()


def test_a_rule_is_asked_with_or_without_an_object_and_an_unknown_one_is_a_template_error(staff, member):
    template = Template('{% load community_tags %}{% can "communities.create" as ok %}{{ ok }}')

    assert template.render(Context({"user": staff})) == "True"
    assert template.render(Context({"user": member})) == "False"
    with pytest.raises(TemplateSyntaxError, match="No permission rule 'communities.fly'"):
        Template('{% load community_tags %}{% can "communities.fly" as ok %}').render(Context({"user": member}))


def test_hot_seats_are_a_calendar_source(community, facilitator):
    now = timezone.now()
    hotseat = hotseat_services.hotseat_create(
        community=community,
        by=facilitator,
        title="Risk with Sam",
        topic="Risk.",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=3),
    )

    items = extensions.calendar_items(community, now)

    assert [(i.uid, i.title, i.url) for i in items] == [
        (f"hotseat-{hotseat.pk}", "Hot seat: Risk with Sam", hotseat.get_absolute_url())
    ]
    assert extensions.lookup(CalendarSource, "hotseats").label == "Hot seats"


# --- Hooks in another app's page -----------------------------------------------------------------------------------


@pytest.fixture
def thread(community, member):
    category = Category.objects.create(community=community, name="Questions", slug="questions")
    return forum_services.thread_create(
        category=category, author=member, kind=Thread.Kind.QUESTION, title="Risk registers", body="How?"
    )


def _poll_block(thread, user):
    return {"question": f"Poll about {thread.title}"} if user.is_authenticated else None


def _attachments(posts, viewer):
    return {post.pk: [f"slides-{post.pk}.pdf"] for post in posts}


def _save(post, request):
    if request.FILES.get("attachment") is None and request.POST.get("attach") == "bad":
        raise ValidationError("That file type cannot be attached.")


@pytest.fixture
def fake_library(plug_in, tmp_path, settings):
    """A fake app with a block in threads, an action on threads and attachments on posts."""
    templates = tmp_path / "templates" / "fake"
    templates.mkdir(parents=True)
    (templates / "_poll.html").write_text('<aside class="poll">{{ question }}</aside>')
    (templates / "_files.html").write_text(
        '<ul class="files">{% for name in attachments %}<li>{{ name }}</li>{% endfor %}</ul>'
    )
    (templates / "_attach.html").write_text('<label for="attach">Attach</label><input id="attach" name="attach">')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "templates"]}]
    plug_in(
        Rule(key="fake.save_as_guide", check=lambda user, thread: user.is_authenticated),
        PageBlock(key="fake.poll", slot="forums.thread", template="fake/_poll.html", context=_poll_block),
        ObjectAction(
            key="fake.save_as_guide",
            slot="forums.thread",
            label="Save as a guide",
            url=lambda thread: f"/guides/new/?thread={thread.pk}",
            rule="fake.save_as_guide",
        ),
        AttachmentKind(
            key="fake.files",
            target="forums.post",
            load=_attachments,
            template="fake/_files.html",
            form_template="fake/_attach.html",
            save=_save,
        ),
    )


def test_a_thread_page_shows_another_apps_block_action_and_attachments(fake_library, thread, as_member, client):
    html = as_member.get(thread.get_absolute_url()).content.decode()
    opening = thread.posts.get(is_opening=True)

    assert '<aside class="poll">Poll about Risk registers</aside>' in html
    assert f'href="/guides/new/?thread={thread.pk}">Save as a guide</a>' in html
    assert f"<li>slides-{opening.pk}.pdf</li>" in html
    assert 'name="attach"' in html and 'enctype="multipart/form-data"' in html

    anonymous = client.get(thread.get_absolute_url()).content.decode()
    assert '<aside class="poll">' not in anonymous and "Save as a guide" not in anonymous


def test_an_attachment_refused_by_its_app_keeps_the_reply_unwritten_and_the_text_typed(
    fake_library, thread, as_member
):
    response = as_member.post(
        reverse("forums:thread_reply", args=[thread.community.slug, thread.pk]),
        {"body": "Here is our register.", "attach": "bad"},
    )

    assert response.status_code == 200
    assert "That file type cannot be attached." in response.content.decode()
    assert "Here is our register." in response.content.decode()
    assert not Post.objects.filter(thread=thread, is_opening=False).exists()


def test_without_any_plugged_in_hook_the_page_shows_none(thread, as_member):
    html = as_member.get(thread.get_absolute_url()).content.decode()
    assert "Save as a guide" not in html and '<aside class="poll">' not in html


# --- Tabs ---------------------------------------------------------------------------------------------------------


def test_a_registered_tab_shows_to_whoever_passes_its_rule(plug_in, community, as_member, as_facilitator):
    plug_in(
        Rule(key="fake.plan", check=lambda user, community: user.email == "facilitator@example.org"),
        CommunityTab(key="plans", label="Plans", url_name="communities:theme_list", order=35, rule="fake.plan"),
    )

    assert ">Plans</a>" in as_facilitator.get(community.get_absolute_url()).content.decode()
    assert ">Plans</a>" not in as_member.get(community.get_absolute_url()).content.decode()


def test_page_blocks_render_with_the_request(plug_in, community, member, tmp_path, settings):
    (tmp_path / "b.html").write_text("{{ request.path }}|{{ name }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    plug_in(PageBlock(key="fake.b", slot="fake.slot", template="b.html", context=lambda obj, user: {"name": obj}))
    request = RequestFactory().get("/here/")
    request.user = make_user()

    out = Template('{% load community_tags %}{% page_blocks "fake.slot" thing %}').render(
        Context({"request": request, "thing": "Ada"})
    )

    assert out == "/here/|Ada"

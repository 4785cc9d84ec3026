"""Facilitators hear about what waits for them: new flags, held posts and join requests reach them by email per
their "moderation and requests" preference, the tabs show how many wait, and a held post is approved (published)
or rejected with a reason its author is emailed."""

import pytest
from django.urls import reverse

from communities import services as community_services
from communities.models import ModerationAction
from forums import services
from forums.models import Post, Thread
from newsletters import alerts

from ..factories import make_membership, make_user
from ..helpers import text_of
from ..newsletters.helpers import dispatch_all, mails_to, subscribe

pytestmark = pytest.mark.django_db

SPAM = "Cheap offers: [one](https://a.example) [two](https://b.example) [three](https://c.example)"


@pytest.fixture
def newcomer(community):
    return make_membership(community, make_user(first_name="Nia", email="nia@example.org")).user


def hold(question, newcomer) -> Post:
    post = services.post_reply(thread=question, author=newcomer, body=SPAM)
    assert post.status == Post.Status.HELD
    return post


def ask_to_join(community, n: int) -> list:
    people = [make_user(first_name=f"Applicant{i}") for i in range(n)]
    for person in people:
        community_services.membership_request(user=person, community=community, message="I run PMOs.")
    return people


# --- Email, per the moderation preference ------------------------------------------------------------------------


def test_a_facilitator_who_chose_immediate_hears_of_a_flag_at_once(question, member, facilitator, mailoutbox):
    subscribe(facilitator, question.community, moderation="immediate")
    reply = services.post_reply(thread=question, author=facilitator, body="Read the guidance first.")
    dispatch_all()
    mailoutbox.clear()

    services.post_flag(post=reply, reporter=member, reason="off_topic", note="Not an answer")
    dispatch_all()

    [mail] = mails_to(mailoutbox, facilitator)
    assert mail.subject == f"A post in “{question.title}” was flagged: Off-topic"
    assert "Not an answer" in mail.body
    assert reverse("forums:moderation_queue", args=[question.community.slug]) in mail.body


def test_held_posts_and_join_requests_reach_facilitators_in_the_daily_digest_by_default(
    community, question, newcomer, facilitator, owner, member, mailoutbox
):
    hold(question, newcomer)
    ask_to_join(community, 1)
    dispatch_all()
    assert mails_to(mailoutbox, facilitator) == []

    alerts.send_daily_digests()

    for manager in (facilitator, owner):
        [digest] = mails_to(mailoutbox, manager)
        assert "A post by Nia" in digest.body and "waits for approval" in digest.body
        assert "Applicant0" in digest.body and f"asked to join {community.name}" in digest.body
    assert mails_to(mailoutbox, member) == []  # moderation is for facilitators only


def test_a_facilitator_who_switched_moderation_off_hears_nothing(
    community, question, newcomer, facilitator, mailoutbox
):
    subscribe(facilitator, community, moderation="off")
    hold(question, newcomer)
    ask_to_join(community, 1)
    dispatch_all()
    alerts.send_daily_digests()

    assert mails_to(mailoutbox, facilitator) == []


def test_a_request_decided_before_the_digest_is_left_out_of_it(community, facilitator, owner, mailoutbox):
    [applicant] = ask_to_join(community, 1)
    dispatch_all()
    membership = community.memberships.get(user=applicant)
    community_services.membership_approve(membership=membership, by=owner)

    alerts.send_daily_digests()

    assert mails_to(mailoutbox, facilitator) == []


# --- Tab counts ----------------------------------------------------------------------------------------------


def test_the_tabs_show_facilitators_how_many_wait_and_the_figures_fall_as_they_act(
    community, question, newcomer, member, facilitator, as_facilitator, as_member
):
    held = hold(question, newcomer)
    reply = services.post_reply(thread=question, author=facilitator, body="Read the guidance first.")
    services.post_flag(post=reply, reporter=member, reason="spam")
    applicants = ask_to_join(community, 3)

    page = text_of(as_facilitator.get(community.get_absolute_url()))
    assert "Moderation 2 waiting" in page and "Requests 3 waiting" in page
    assert "Moderation" not in text_of(as_member.get(community.get_absolute_url()))

    services.post_restore(post=held, by=facilitator)
    services.flag_dismiss(post=reply, by=facilitator)
    community_services.membership_decline(membership=community.memberships.get(user=applicants[0]), by=facilitator)

    page = text_of(as_facilitator.get(community.get_absolute_url()))
    assert "Requests 2 waiting" in page
    assert "Moderation waiting" not in page and "Moderation 0" not in page


def test_a_queue_page_corrects_a_figure_some_other_path_left_behind(community, as_facilitator):
    make_membership(community, make_user(), status="pending")  # written directly, as an import or the admin would

    as_facilitator.get(reverse("communities:requests_queue", args=[community.slug]))

    community.refresh_from_db()
    assert community.waiting["requests"] == 1


# --- Approve and reject ------------------------------------------------------------------------------------------


def test_approving_a_held_post_says_it_is_published(community, question, newcomer, as_facilitator):
    held = hold(question, newcomer)

    response = as_facilitator.post(
        reverse("forums:post_moderate", args=[community.slug, held.pk]),
        {"action": "restore", "next": "queue"},
        follow=True,
    )

    assert "Post approved and published." in text_of(response)
    assert Post.objects.get(pk=held.pk).status == Post.Status.PUBLISHED


def test_rejecting_a_held_post_emails_its_author_the_reason_and_their_text(
    community, question, newcomer, facilitator, as_facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    held = hold(question, newcomer)
    url = reverse("forums:post_moderate", args=[community.slug, held.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(
            url, {"action": "reject", "reason": "Please no advertising.", "next": "queue"}, follow=True
        )

    assert "Post rejected; its author has been emailed" in text_of(response)
    held.refresh_from_db()
    assert held.status == Post.Status.HIDDEN and held.published_at is None
    [mail] = mails_to(mailoutbox, newcomer)
    assert mail.subject == f"Your post in {community.name} was not published"
    assert "Please no advertising." in mail.body and "Cheap offers" in mail.body
    entry = ModerationAction.objects.get(action=ModerationAction.Action.REJECT)
    assert (entry.moderator, entry.target_user, entry.reason) == (facilitator, newcomer, "Please no advertising.")
    assert Thread.objects.get(pk=question.pk).reply_count == 0


def test_a_rejection_needs_a_reason_and_without_one_nothing_changes(community, question, newcomer, as_facilitator):
    held = hold(question, newcomer)

    response = as_facilitator.post(
        reverse("forums:post_moderate", args=[community.slug, held.pk]),
        {"action": "reject", "reason": " "},
        follow=True,
    )

    assert "Say why the post is rejected" in text_of(response)
    assert Post.objects.get(pk=held.pk).status == Post.Status.HELD
    assert not ModerationAction.objects.exists()

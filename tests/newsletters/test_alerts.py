"""Alerts: each member's preferences decide whether an activity reaches them at once, in the daily digest or not
at all; the actor, non-members and people who can no longer see the content hear nothing; dispatch is idempotent.

Dispatch is called directly on the event ids (the on-commit hook only hands the id to the broker)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from communities import services as community_services
from communities.models import ActivityEvent, Community, Membership
from communities.permissions import forget_memberships
from forums import services as forum_services
from forums.models import CategoryFollow, Post, Thread, ThreadFollow
from hotseats import services as hotseat_services
from hotseats.models import Expert
from newsletters import alerts
from newsletters.models import Alert, Frequency, MailSettings

from ..factories import make_community, make_membership, make_user
from .helpers import dispatch_all, html_part, mails_to, make_category, reply, start_thread, subscribe, undispatched

pytestmark = pytest.mark.django_db

IMMEDIATE, DAILY, OFF = Frequency.IMMEDIATE, Frequency.DAILY, Frequency.OFF
FOLLOWED, REPLIES, MENTIONS, HOTSEATS, ANNOUNCEMENTS = "followed", "replies", "mentions", "hotseats", "announcements"
MEMBER_ALERT_TYPES = (FOLLOWED, REPLIES, MENTIONS, HOTSEATS, ANNOUNCEMENTS)
EVERY_TYPE_AT_ONCE = dict.fromkeys(MEMBER_ALERT_TYPES, IMMEDIATE)


@pytest.fixture
def cast(community, facilitator, member):
    """Tom (member) starts threads, Ana (actor) replies, Rita (reader) is the one whose inbox we watch."""
    reader = make_membership(community, make_user(first_name="Rita", last_name="Reader", email="rita@example.org"))
    actor = make_membership(community, make_user(first_name="Ana", last_name="Actor", email="ana@example.org"))
    return SimpleNamespace(
        community=community,
        category=make_category(community),
        facilitator=facilitator,
        member=member,
        reader=reader.user,
        actor=actor.user,
    )


def schedule_hotseat(community, by, *, title="Gateway reviews with Sam", days=(2, 7), **kw):
    now = timezone.now()
    return hotseat_services.hotseat_create(
        community=community,
        by=by,
        title=title,
        topic="Ask Sam anything about **gateway reviews**.",
        opens_at=now + timedelta(days=days[0]),
        closes_at=now + timedelta(days=days[1]),
        **kw,
    )


# Each scenario makes one thing happen that concerns the reader through one alert type, and returns the title
# the reader's alert must carry.


def followed_thread_gets_a_reply(cast) -> str:
    thread = start_thread(cast.category, cast.member, title="Stage gates in agile programmes")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    reply(thread, cast.actor, "We run them every sprint.")
    return "New reply in “Stage gates in agile programmes”"


def my_thread_gets_a_reply(cast) -> str:
    thread = start_thread(cast.category, cast.reader, title="Benefits maps")
    reply(thread, cast.actor, "Here is ours.")
    return "Ana Actor replied to you in “Benefits maps”"


def someone_mentions_me(cast) -> str:
    thread = start_thread(cast.category, cast.member, title="Risk registers")
    reply(thread, cast.actor, f"@{cast.reader.handle} knows this well.")
    return "Ana Actor mentioned you in “Risk registers”"


def a_hotseat_is_announced(cast) -> str:
    schedule_hotseat(cast.community, cast.facilitator)
    return "Hot seat coming up: Gateway reviews with Sam"


def facilitators_announce(cast) -> str:
    start_thread(cast.category, cast.facilitator, title="Our new charter", kind=Thread.Kind.ANNOUNCEMENT)
    return "Announcement: Our new charter"


SCENARIOS = {
    FOLLOWED: followed_thread_gets_a_reply,
    REPLIES: my_thread_gets_a_reply,
    MENTIONS: someone_mentions_me,
    HOTSEATS: a_hotseat_is_announced,
    ANNOUNCEMENTS: facilitators_announce,
}
alert_types = pytest.mark.parametrize("alert_type", list(SCENARIOS))


# --- Preferences -----------------------------------------------------------------------------------------------


@alert_types
def test_an_immediate_alert_arrives_at_once_as_a_multipart_email(cast, mailoutbox, alert_type):
    subscribe(cast.reader, cast.community, **{alert_type: IMMEDIATE})
    title = SCENARIOS[alert_type](cast)

    dispatch_all()

    [mail] = mails_to(mailoutbox, cast.reader)
    assert mail.subject == title
    assert title in mail.body
    assert title in html_part(mail)
    alert = Alert.objects.get(user=cast.reader)
    assert (alert.alert_type, alert.frequency) == (alert_type, IMMEDIATE)
    assert alert.sent_at is not None
    assert alert.url in mail.body


@alert_types
def test_a_daily_alert_sends_nothing_now_and_arrives_in_the_next_digest(cast, mailoutbox, alert_type):
    subscribe(cast.reader, cast.community, **{alert_type: DAILY})
    title = SCENARIOS[alert_type](cast)

    dispatch_all()
    assert mails_to(mailoutbox, cast.reader) == []
    assert Alert.objects.get(user=cast.reader).sent_at is None

    alerts.send_daily_digests()

    [digest] = mails_to(mailoutbox, cast.reader)
    assert digest.subject == "Your daily digest: 1 update"
    assert title in digest.body
    assert title in html_part(digest)
    assert Alert.objects.get(user=cast.reader).sent_at is not None


@alert_types
def test_an_alert_type_switched_off_sends_nothing_now_or_in_the_digest(cast, mailoutbox, alert_type):
    subscribe(cast.reader, cast.community, **{alert_type: OFF})
    SCENARIOS[alert_type](cast)

    dispatch_all()
    alerts.send_daily_digests()

    assert mails_to(mailoutbox, cast.reader) == []
    assert not Alert.objects.filter(user=cast.reader).exists()


def test_without_a_subscription_row_each_alert_type_follows_its_default(cast, mailoutbox):
    for scenario in SCENARIOS.values():
        scenario(cast)

    dispatch_all()

    frequencies = dict(Alert.objects.filter(user=cast.reader).values_list("alert_type", "frequency"))
    assert frequencies == {
        FOLLOWED: DAILY,
        REPLIES: IMMEDIATE,
        MENTIONS: IMMEDIATE,
        HOTSEATS: DAILY,
        ANNOUNCEMENTS: IMMEDIATE,
    }
    assert len(mails_to(mailoutbox, cast.reader)) == 3


@pytest.mark.parametrize("frequency", [IMMEDIATE, DAILY])
def test_the_global_no_email_switch_silences_every_alert_type(cast, mailoutbox, frequency):
    subscribe(cast.reader, cast.community, **dict.fromkeys(MEMBER_ALERT_TYPES, frequency))
    MailSettings.objects.create(user=cast.reader, no_email=True)
    for scenario in SCENARIOS.values():
        scenario(cast)

    dispatch_all()
    alerts.send_daily_digests()

    assert mails_to(mailoutbox, cast.reader) == []
    assert mails_to(mailoutbox, cast.member)  # the switch is the reader's alone


def test_switching_email_off_after_an_alert_was_gathered_keeps_it_out_of_the_digest(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=DAILY)
    followed_thread_gets_a_reply(cast)
    dispatch_all()
    MailSettings.objects.create(user=cast.reader, no_email=True)

    alerts.send_daily_digests()

    assert mails_to(mailoutbox, cast.reader) == []


def test_the_digest_gathers_a_days_alerts_into_one_email_grouped_by_community(cast, mailoutbox):
    ppm = cast.community  # "PPM Community"
    agile = make_community(name="Agile Delivery")
    make_membership(agile, cast.reader)
    make_membership(agile, cast.actor)
    host = make_membership(agile, make_user(first_name="Hana"), role=Membership.Role.FACILITATOR).user
    forget_memberships(cast.reader)
    forget_memberships(cast.actor)
    for community in (ppm, agile):
        subscribe(cast.reader, community, followed=DAILY, hotseats=DAILY)
    followed_thread_gets_a_reply(cast)
    agile_thread = start_thread(make_category(agile), host, title="Sprint reviews")
    forum_services.thread_follow(thread=agile_thread, user=cast.reader, follow=True)
    reply(agile_thread, cast.actor, "Ours are fortnightly.")
    schedule_hotseat(agile, host, title="Kanban for PMOs")

    dispatch_all()
    assert mails_to(mailoutbox, cast.reader) == []
    alerts.send_daily_digests()

    [digest] = mails_to(mailoutbox, cast.reader)
    assert digest.subject == "Your daily digest: 3 updates"
    body = digest.body
    order = [
        "AGILE DELIVERY",
        "New reply in “Sprint reviews”",
        "Hot seat coming up: Kanban for PMOs",
        "PPM COMMUNITY",
        "New reply in “Stage gates in agile programmes”",
    ]
    positions = [body.index(text) for text in order]
    assert positions == sorted(positions), body
    assert alerts.send_daily_digests() == 0
    assert len(mails_to(mailoutbox, cast.reader)) == 1


# --- Who never hears ---------------------------------------------------------------------------------------------


def test_nobody_is_alerted_about_their_own_action(cast, mailoutbox):
    subscribe(cast.facilitator, cast.community, **EVERY_TYPE_AT_ONCE)
    subscribe(cast.reader, cast.community, **EVERY_TYPE_AT_ONCE)
    forum_services.category_follow(category=cast.category, user=cast.facilitator, follow=True)
    facilitators_announce(cast)
    schedule_hotseat(cast.community, cast.facilitator)
    thread = start_thread(cast.category, cast.facilitator, title="Lessons learned logs")
    reply(thread, cast.facilitator, f"Adding to my own thread, @{cast.facilitator.handle}.")

    dispatch_all()

    assert not Alert.objects.filter(user=cast.facilitator).exists()
    assert mails_to(mailoutbox, cast.facilitator) == []
    assert len(mails_to(mailoutbox, cast.reader)) == 2  # the announcement and the hot seat reached others


@pytest.mark.parametrize(
    "status",
    [None, Membership.Status.PENDING, Membership.Status.LEFT, Membership.Status.BANNED, Membership.Status.DECLINED],
    ids=["outsider", "pending", "departed", "banned", "declined"],
)
def test_only_active_members_are_alerted(cast, mailoutbox, status):
    person = make_user(first_name="Nora", last_name="Nonmember")
    if status is not None:
        make_membership(cast.community, person, status=status)
    subscribe(person, cast.community, **EVERY_TYPE_AT_ONCE)
    subscribe(cast.reader, cast.community, **EVERY_TYPE_AT_ONCE)
    # Follows left over from when they belonged: the rows exist, the membership does not.
    thread = start_thread(cast.category, cast.member, title="Portfolio boards")
    ThreadFollow.objects.create(thread=thread, user=person)
    CategoryFollow.objects.create(category=cast.category, user=person)
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    reply(thread, cast.actor, f"@{person.handle} and @{cast.reader.handle}, what do you think?")
    facilitators_announce(cast)
    schedule_hotseat(cast.community, cast.facilitator)

    dispatch_all()
    alerts.send_daily_digests()

    assert not Alert.objects.filter(user=person).exists()
    assert mails_to(mailoutbox, person) == []
    # The active member beside them got all four: the reply, the mention, the announcement and the hot seat.
    assert len(mails_to(mailoutbox, cast.reader)) == 4


def test_a_follower_who_left_a_private_community_hears_nothing_more_from_it(cast, mailoutbox):
    Community.objects.filter(pk=cast.community.pk).update(visibility=Community.Visibility.PRIVATE)
    subscribe(cast.reader, cast.community, followed=IMMEDIATE)
    thread = start_thread(cast.category, cast.member, title="Confidential: the restructure")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    community_services.membership_leave(user=cast.reader, community=cast.community)

    reply(thread, cast.actor, "The new structure starts in April.")
    dispatch_all()

    assert mails_to(mailoutbox, cast.reader) == []
    assert not Alert.objects.filter(user=cast.reader).exists()


def test_a_member_who_leaves_a_private_community_before_the_digest_gets_none_of_its_gathered_alerts(cast, mailoutbox):
    Community.objects.filter(pk=cast.community.pk).update(visibility=Community.Visibility.PRIVATE)
    subscribe(cast.reader, cast.community, followed=DAILY)
    thread = start_thread(cast.category, cast.member, title="Confidential: the restructure")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    reply(thread, cast.actor, "The new structure starts in April.")
    dispatch_all()
    assert Alert.objects.filter(user=cast.reader, sent_at__isnull=True).count() == 1

    community_services.membership_leave(user=cast.reader, community=cast.community)
    alerts.send_daily_digests()

    assert mails_to(mailoutbox, cast.reader) == []


def test_a_reply_hidden_by_a_moderator_before_dispatch_alerts_nobody(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=IMMEDIATE)
    thread = start_thread(cast.category, cast.member, title="Supplier disputes")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    dispatch_all()
    post = reply(thread, cast.actor, f"@{cast.reader.handle} the supplier is SECRETCO and they are awful.")
    forum_services.post_hide(post=post, by=cast.facilitator, reason="Names a supplier")

    events = undispatched()
    dispatch_all()

    assert not Alert.objects.exists()
    assert mailoutbox == []
    assert not ActivityEvent.objects.filter(pk__in=events, dispatched_at__isnull=True).exists()


def test_a_reply_in_a_thread_hidden_before_dispatch_alerts_nobody(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=IMMEDIATE)
    thread = start_thread(cast.category, cast.member, title="Supplier disputes")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    dispatch_all()
    reply(thread, cast.actor, "SECRETCO again.")
    forum_services.post_hide(post=thread.posts.get(is_opening=True), by=cast.facilitator)

    dispatch_all()

    assert not Alert.objects.exists()
    assert mailoutbox == []


def test_a_reply_hidden_after_dispatch_is_left_out_of_the_digest(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=DAILY)
    thread = start_thread(cast.category, cast.member, title="Supplier disputes")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    post = reply(thread, cast.actor, "SECRETCO are awful.")
    dispatch_all()
    assert Alert.objects.filter(user=cast.reader, sent_at__isnull=True).count() == 1

    forum_services.post_hide(post=post, by=cast.facilitator)
    alerts.send_daily_digests()

    assert mails_to(mailoutbox, cast.reader) == []
    assert Alert.objects.get(user=cast.reader).sent_at is not None  # dropped, not left to linger


def test_an_answer_to_a_question_hidden_before_dispatch_does_not_reach_the_asker(cast, mailoutbox):
    expert = cast.actor
    hotseat = schedule_hotseat(cast.community, cast.facilitator, days=(-1, 3), experts=[expert])
    question = hotseat_services.question_ask(hotseat=hotseat, asker=cast.reader, body="What about SECRETCO?")
    dispatch_all()
    hotseat_services.answer_post(question=question, expert_user=expert, body="SECRETCO are fine.")
    hotseat_services.question_hide(question=question, by=cast.facilitator)

    dispatch_all()

    assert not Alert.objects.filter(user=cast.reader, alert_type=REPLIES).exists()
    assert mails_to(mailoutbox, cast.reader) == []


def test_an_answer_to_my_hotseat_question_reaches_me_at_once(cast, mailoutbox):
    hotseat = schedule_hotseat(cast.community, cast.facilitator, days=(-1, 3), experts=[cast.actor])
    question = hotseat_services.question_ask(hotseat=hotseat, asker=cast.reader, body="How long is a review?")
    dispatch_all()
    hotseat_services.answer_post(question=question, expert_user=cast.actor, body="About two days.")

    dispatch_all()

    [mail] = mails_to(mailoutbox, cast.reader)
    assert mail.subject == "Your question in “Gateway reviews with Sam” was answered"
    assert f"#question-{question.pk}" in mail.body


def test_a_guest_expert_hears_nothing_from_a_private_community_during_or_after_their_hotseat(cast, mailoutbox):
    Community.objects.filter(pk=cast.community.pk).update(visibility=Community.Visibility.PRIVATE)
    cast.community.refresh_from_db()
    guest = make_user(first_name="Gita", last_name="Guest", email="gita@example.org")
    subscribe(guest, cast.community, **EVERY_TYPE_AT_ONCE)
    hotseat = schedule_hotseat(cast.community, cast.facilitator, days=(-1, 3), guest_emails=[guest.email])
    invitation = Expert.objects.get(hotseat=hotseat, is_guest=True)
    hotseat_services.expert_accept(expert=invitation, user=guest)
    thread = start_thread(cast.category, cast.member, title="Internal: budget cuts")
    reply(thread, cast.actor, f"@{guest.handle} may know, ask during the hot seat.")
    dispatch_all()

    with time_machine.travel(hotseat.closes_at + timedelta(hours=1)):
        hotseat_services.send_reminders()
        reply(thread, cast.actor, f"@{guest.handle} thanks for the session. Budget is cut by 30%.")
        schedule_hotseat(cast.community, cast.facilitator, title="Next: procurement")
        dispatch_all()
        alerts.send_daily_digests()

    assert not Alert.objects.filter(user=guest).exists()
    assert mails_to(mailoutbox, guest) == []


# --- Idempotency ---------------------------------------------------------------------------------------------


def test_dispatching_an_event_twice_sends_nothing_new(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=IMMEDIATE)
    followed_thread_gets_a_reply(cast)
    event_ids = undispatched()
    first = sum(alerts.dispatch(pk) for pk in event_ids)
    sent = len(mailoutbox)

    second = sum(alerts.dispatch(pk) for pk in event_ids)

    assert first >= 2 and second == 0
    assert len(mailoutbox) == sent
    assert len(mails_to(mailoutbox, cast.reader)) == 1


def test_every_dispatched_event_is_marked_even_when_nobody_is_alerted(cast):
    before = timezone.now()
    community_services.membership_leave(user=cast.actor, community=cast.community)
    start_thread(cast.category, cast.member, title="Quiet thread")
    events = undispatched()
    assert len(events) == 2

    dispatch_all()

    stamps = ActivityEvent.objects.filter(pk__in=events).values_list("dispatched_at", flat=True)
    assert all(stamp is not None and stamp >= before for stamp in stamps)
    assert not Alert.objects.exists()


class FailOnceBackend(EmailBackend):
    """The mail server is down for the first message, then fine again."""

    failures_left = 1

    def send_messages(self, messages):
        if FailOnceBackend.failures_left:
            FailOnceBackend.failures_left -= 1
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_an_immediate_alert_that_failed_to_send_goes_out_once_on_the_next_run(cast, mailoutbox, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailOnceBackend"
    FailOnceBackend.failures_left = 1
    subscribe(cast.reader, cast.community, followed=IMMEDIATE)
    thread = start_thread(cast.category, cast.reader, title="Tolerances")
    dispatch_all()
    reply(thread, cast.actor, "Ours are 10% on cost.")
    [event_id] = undispatched()

    with pytest.raises(ConnectionRefusedError):
        alerts.dispatch(event_id)
    assert ActivityEvent.objects.get(pk=event_id).dispatched_at is None
    assert Alert.objects.get(user=cast.reader).sent_at is None

    alerts.dispatch(event_id)
    alerts.dispatch(event_id)

    assert len(mails_to(mailoutbox, cast.reader)) == 1
    assert ActivityEvent.objects.get(pk=event_id).dispatched_at is not None


def test_an_alert_already_claimed_by_another_sender_is_not_sent_again(cast, mailoutbox):
    subscribe(cast.reader, cast.community, replies=DAILY)
    my_thread_gets_a_reply(cast)
    dispatch_all()
    alert = Alert.objects.get(user=cast.reader)

    assert alerts.send_immediate(alert, cast.reader) is True
    assert alerts.send_immediate(alert, cast.reader) is False
    assert len(mails_to(mailoutbox, cast.reader)) == 1


def test_alerts_gathered_after_the_digest_ran_wait_for_the_next_one(cast, mailoutbox):
    subscribe(cast.reader, cast.community, followed=DAILY)
    thread = start_thread(cast.category, cast.member, title="Estimating")
    forum_services.thread_follow(thread=thread, user=cast.reader, follow=True)
    reply(thread, cast.actor, "Three-point estimates.")
    dispatch_all()
    assert alerts.send_daily_digests() == 1
    reply(thread, cast.actor, "And reference class forecasting.")
    dispatch_all()

    assert alerts.send_daily_digests() == 1
    first, second = mails_to(mailoutbox, cast.reader)
    assert first.subject == second.subject == "Your daily digest: 1 update"
    assert Alert.objects.filter(user=cast.reader, sent_at__isnull=True).count() == 0
    assert Post.objects.filter(thread=thread, is_opening=False).count() == 2

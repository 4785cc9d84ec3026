"""The alert outbox: when the broker is down, posting still works and the alert goes out later, once.

The broker is pointed at a port where nothing listens (and Celery's eager mode is off), so the after-commit hook
really tries to publish and fails; then the periodic sweep plays the part of "Redis is back"."""

import logging

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from communities.models import ActivityEvent
from cop_platform.celery import app
from forums import services as forum_services
from forums.models import Post
from newsletters import tasks
from newsletters.models import Alert, Frequency

from ..factories import make_membership, make_user
from ..helpers import login
from .helpers import dispatch_all, mails_to, make_category, start_thread, subscribe

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down():
    """Celery publishes to a Redis that is not there, for real (not eagerly); everything is restored after."""
    keys = ("broker_url", "task_always_eager", "broker_transport_options")
    saved = {key: app.conf[key] for key in keys}
    saved_pool, saved_producers = app._pool, app.amqp._producer_pool
    app.conf.broker_url = UNREACHABLE
    app.conf.task_always_eager = False
    # Give up on the first refused connection: kombu's default retries would only make the test slower.
    app.conf.broker_transport_options = {**saved["broker_transport_options"], "max_retries": 0}
    app._pool, app.amqp._producer_pool = None, None
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool, app.amqp._producer_pool = saved_pool, saved_producers
        for key, value in saved.items():
            app.conf[key] = value


@pytest.fixture
def thread(community, member):
    return start_thread(make_category(community), member, title="Lessons from our last gateway review")


@pytest.fixture
def follower(community, thread):
    user = make_membership(community, make_user(first_name="Fern", email="fern@example.org")).user
    forum_services.thread_follow(thread=thread, user=user, follow=True)
    subscribe(user, community, followed=Frequency.IMMEDIATE)
    return user


def post_reply_through_the_page(client, thread, body):
    url = reverse("forums:thread_reply", args=[thread.community.slug, thread.pk])
    return client.post(url, {"body": body})


def test_redis_down_while_posting_the_post_saves_and_the_alert_goes_out_after_redis_returns(
    community, thread, follower, broker_down, mailoutbox, settings, caplog, django_capture_on_commit_callbacks
):
    dispatch_all()  # the thread's own opening, so only the reply is left
    replier = make_membership(community, make_user(first_name="Raj")).user

    with (
        caplog.at_level(logging.WARNING, logger="newsletters.receivers"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = post_reply_through_the_page(login(replier), thread, "We kept a decision log. It saved us.")

    assert response.status_code == 302
    post = Post.objects.get(thread=thread, author=replier)
    assert response.url == post.get_absolute_url()
    assert callbacks, "the reply must hand its alerts to the broker after commit"
    assert "Could not queue alerts" in caplog.text
    event = ActivityEvent.objects.get(verb="post_replied", target_id=post.pk)
    assert event.dispatched_at is None
    assert not Alert.objects.exists()
    assert mailoutbox == []

    # Redis is back: the periodic sweep finds the event its own task never handled.
    settings.ALERT_OUTBOX_GRACE_SECONDS = 0
    assert tasks.sweep_outbox() >= 1

    [mail] = mails_to(mailoutbox, follower)
    assert mail.subject == "New reply in “Lessons from our last gateway review”"
    event.refresh_from_db()
    assert event.dispatched_at is not None

    assert tasks.sweep_outbox() == 0
    assert len(mails_to(mailoutbox, follower)) == 1


def test_the_sweep_leaves_events_younger_than_the_grace_period_to_their_own_task(
    community, thread, follower, member, mailoutbox, settings
):
    dispatch_all()
    forum_services.post_reply(thread=thread, author=member, body="A reply whose task is still on its way.")
    settings.ALERT_OUTBOX_GRACE_SECONDS = 120

    assert tasks.sweep_outbox() == 0

    assert mailoutbox == []
    assert ActivityEvent.objects.filter(dispatched_at__isnull=True).count() == 1


class RefuseFernBackend(EmailBackend):
    """A mail server that refuses one address for now."""

    def send_messages(self, messages):
        if any("fern@example.org" in m.to for m in messages):
            raise ConnectionRefusedError("mail server down")
        return super().send_messages(messages)


def test_an_event_failing_in_the_sweep_holds_up_no_other_and_is_retried_by_the_next_sweep(
    community, thread, follower, member, mailoutbox, settings
):
    other = start_thread(make_category(community, "Tools", "tools"), member, title="Which planning tool?")
    dispatch_all()
    replier = make_membership(community, make_user(first_name="Raj")).user
    forum_services.post_reply(thread=thread, author=replier, body="Fern's server will refuse this one.")
    forum_services.post_reply(thread=other, author=replier, body="We use a spreadsheet, honestly.")
    first, second = ActivityEvent.objects.filter(verb="post_replied").order_by("pk")
    settings.ALERT_OUTBOX_GRACE_SECONDS = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefuseFernBackend"

    assert tasks.sweep_outbox() == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.dispatched_at is None and second.dispatched_at is not None
    assert mails_to(mailoutbox, follower) == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.sweep_outbox() == 1
    assert tasks.sweep_outbox() == 0

    assert [m.subject for m in mails_to(mailoutbox, follower)] == [
        "New reply in “Lessons from our last gateway review”"
    ]
    assert len(mails_to(mailoutbox, member)) == 2  # one per reply, however many times the sweep ran

"""Transactional email goes through Celery after commit: a mail server that refuses connections fails no page,
and the mail goes out once the server is back (retried by the task, or by the sweep when tasks run in-process)."""

from datetime import timedelta
from smtplib import SMTPRecipientsRefused

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communities import emails, services, tasks
from communities.models import Community, Membership, OutboundEmail

from ..factories import make_membership, make_user
from ..helpers import login
from ..support.smtp_sink import SmtpSink, free_port
from ..support.worker_fixtures import needs_postgres, wait_for

pytestmark = pytest.mark.django_db

APPROVED = "Your request to join PPM Community was approved"


@pytest.fixture
def smtp(settings):
    """Real SMTP to 127.0.0.1 on a port where nothing listens: every connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 3
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return settings


@pytest.fixture
def applicant(community):
    return make_membership(community, make_user(first_name="Ada", email="ada@example.org"), status="pending")


def approve(client, membership):
    url = reverse("communities:request_approve", args=[membership.community.slug, membership.pk])
    return client.post(url, {"note": "Welcome aboard."}, follow=True)


def test_a_page_that_sends_mail_answers_normally_when_the_mail_server_refuses_and_the_mail_goes_out_after(
    smtp, community, applicant, as_facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = approve(as_facilitator, applicant)

    assert response.status_code == 200
    assert "Ada" in response.content.decode() and "request was approved" in response.content.decode()
    assert Membership.objects.get(pk=applicant.pk).status == Membership.Status.ACTIVE
    [stored] = OutboundEmail.objects.all()
    assert (stored.to, stored.subject, stored.sent_at, stored.attempts) == ("ada@example.org", APPROVED, None, 1)
    assert "ConnectionRefusedError" in stored.last_error
    assert tasks.send_due_emails() == 0  # not due yet: it waits a little before trying again

    with SmtpSink() as sink, time_machine.travel(stored.next_attempt_at + timedelta(seconds=1)):
        smtp.EMAIL_PORT = sink.port  # the mail server is back
        assert tasks.send_due_emails() == 1
        assert tasks.send_due_emails() == 0  # once only

    [received] = sink.received()
    assert received.rcpt_tos == ("ada@example.org",)
    message = received.message
    assert message["Subject"] == APPROVED
    assert message["Message-ID"] == stored.headers["Message-ID"]  # the same message however often it was tried
    assert message.get_content_type() == "multipart/alternative"
    assert "Welcome aboard." in message.get_body(("plain",)).get_content()
    assert OutboundEmail.objects.get().sent_at is not None


def test_nothing_is_mailed_when_the_change_rolls_back(
    community, applicant, facilitator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.membership_approve(membership=applicant, by=facilitator)
        raise RuntimeError("the request failed after the approval")

    assert mailoutbox == []
    assert not OutboundEmail.objects.exists()


def test_a_message_refused_for_good_is_given_up_and_not_tried_again(community, applicant, facilitator, monkeypatch):
    services.membership_approve(membership=applicant, by=facilitator)
    email = OutboundEmail.objects.get()

    def refuse(backend, messages):
        raise SMTPRecipientsRefused({"ada@example.org": (550, b"5.1.1 No such mailbox")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert emails.deliver(email.pk) is False

    email.refresh_from_db()
    assert email.failed_at is not None and email.sent_at is None
    assert "550" in email.last_error
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert emails.send_due() == 0


def test_two_senders_never_send_the_same_message_twice(community, applicant, facilitator, mailoutbox):
    services.membership_approve(membership=applicant, by=facilitator)
    email = OutboundEmail.objects.get()

    assert emails.deliver(email.pk) is True
    assert emails.deliver(email.pk) is False
    assert [m.subject for m in mailoutbox] == [APPROVED]


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("redis_client")
def test_a_worker_retries_a_refused_message_with_a_pause_and_sends_it_when_the_server_is_back(start_worker, queue):
    community = Community.objects.create(name="PPM Community", slug="ppm-it", description="x")
    facilitator = make_membership(community, make_user(first_name="Priya"), role="facilitator").user
    applicant = make_membership(community, make_user(first_name="Ada", email="ada-it@example.org"), status="pending")
    port = free_port()
    worker = start_worker("mail", smtp_port=port)

    started = timezone.now()
    response = approve(login(facilitator), applicant)  # commits: the task goes to the worker's queue

    assert response.status_code == 200 and timezone.now() - started < timedelta(seconds=5)
    email = OutboundEmail.objects.get(to="ada-it@example.org")
    wait_for(
        lambda: OutboundEmail.objects.filter(pk=email.pk, attempts__gte=1).exists(),
        what="the first (refused) attempt",
        workers=[worker],
        timeout=30,
    )
    assert OutboundEmail.objects.get(pk=email.pk).sent_at is None
    with SmtpSink(port=port) as sink:  # the server comes back on its address; the retry finds it
        wait_for(
            lambda: OutboundEmail.objects.filter(pk=email.pk, sent_at__isnull=False).exists(),
            what="the retried message to be sent",
            workers=[worker],
            timeout=60,
        )

    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts >= 2
    assert [r.rcpt_tos for r in sink.received()] == [("ada-it@example.org",)]

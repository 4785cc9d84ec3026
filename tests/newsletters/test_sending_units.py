"""Sending, unit by unit: claiming, bounces, transient failures, the reaper, idempotent re-runs and the message.

A small mail backend stands in for the SMTP server and refuses chosen addresses the way smtplib reports it."""

import logging
import re
import smtplib
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Membership, Segment
from newsletters import rendering, sending, services, tasks, tokens
from newsletters.models import Delivery, MailSettings, Newsletter, Subscription

from ..factories import make_membership, make_user
from .helpers import make_newsletter

pytestmark = pytest.mark.django_db

S = Delivery.Status


class RefusingBackend(EmailBackend):
    """Delivers to the locmem outbox, except to addresses in `refusals`, where it raises what smtplib would."""

    refusals: dict[str, Exception] = {}

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in RefusingBackend.refusals:
                    raise RefusingBackend.refusals[address]
        return super().send_messages(messages)


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    RefusingBackend.refusals = {}
    yield RefusingBackend.refusals
    RefusingBackend.refusals = {}


def crowd(community, n: int, start: int = 0) -> list:
    return [
        make_membership(community, make_user(first_name=f"M{i}", email=f"m{i:03d}@example.org")).user
        for i in range(start, start + n)
    ]


def sending_issue(community, *, month: int = 0, **kw) -> Newsletter:
    period = (timezone.localdate().replace(day=1) + timedelta(days=32 * month)).replace(day=1)
    return make_newsletter(community, period=period, status=Newsletter.Status.SENDING, sent_at=timezone.now(), **kw)


def statuses(newsletter) -> Counter:
    return Counter(Delivery.objects.filter(newsletter=newsletter).values_list("status", flat=True))


def received() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


@pytest.fixture
def issue(community):
    crowd(community, 7)
    newsletter = sending_issue(community)
    assert sending.create_deliveries(newsletter) == 7
    return newsletter


# --- Claiming ------------------------------------------------------------------------------------------------


def test_claims_never_share_a_row_and_together_take_every_pending_row_once(issue):
    claims = [sending.claim_batch(issue.pk, 3) for _ in range(4)]

    assert [len(c) for c in claims] == [3, 3, 1, 0]
    claimed = [pk for claim in claims for pk in claim]
    assert len(set(claimed)) == len(claimed) == 7
    assert statuses(issue) == {S.CLAIMED: 7}
    rows = Delivery.objects.filter(newsletter=issue)
    assert all(d.attempts == 1 and d.claimed_at is not None for d in rows)


def test_a_claim_takes_only_pending_rows_of_its_own_newsletter(issue, community):
    other = sending_issue(community, month=1)
    sending.create_deliveries(other)
    first = Delivery.objects.filter(newsletter=issue).order_by("pk")
    Delivery.objects.filter(pk=first[0].pk).update(status=S.SENT)
    Delivery.objects.filter(pk=first[1].pk).update(status=S.BOUNCED)

    ids = sending.claim_batch(issue.pk, 100)

    assert len(ids) == 5
    assert set(Delivery.objects.filter(pk__in=ids).values_list("newsletter_id", flat=True)) == {issue.pk}
    assert statuses(other) == {S.PENDING: 7}


@pytest.mark.django_db(transaction=True)
def test_a_claim_skips_rows_another_sender_holds_instead_of_waiting_for_them(community):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL; SQLite serialises whole transactions")
    crowd(community, 7)
    newsletter = sending_issue(community)
    sending.create_deliveries(newsletter)
    locked, release = threading.Event(), threading.Event()
    held: list[int] = []

    def other_sender():
        try:
            with transaction.atomic():
                rows = Delivery.objects.select_for_update(skip_locked=True).filter(newsletter=newsletter)
                held.extend(rows.order_by("pk").values_list("pk", flat=True)[:3])
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_sender)
    worker.start()
    try:
        assert locked.wait(10)
        mine = sending.claim_batch(newsletter.pk, 100)
    finally:
        release.set()
        worker.join(10)

    assert len(held) == 3 and len(mine) == 4
    assert not set(held) & set(mine)


# --- Bounces and transient failures --------------------------------------------------------------------------


PERMANENT = {
    "recipient refused 550": lambda a: smtplib.SMTPRecipientsRefused({a: (550, b"5.1.1 No such user")}),
    "response 550": lambda a: smtplib.SMTPResponseException(550, b"5.1.1 Mailbox unavailable"),
    "response 554": lambda a: smtplib.SMTPResponseException(554, b"5.7.1 Rejected"),
}


@pytest.mark.parametrize("refusal", list(PERMANENT))
def test_a_permanent_refusal_marks_the_delivery_bounced_and_later_newsletters_skip_the_address(
    issue, community, smtp, refusal
):
    smtp["m002@example.org"] = PERMANENT[refusal]("m002@example.org")

    result = sending.send_claimed(sending.claim_batch(issue.pk, 100))

    assert (result.sent, result.bounced) == (6, 1)
    bounced = Delivery.objects.get(newsletter=issue, email="m002@example.org")
    assert bounced.status == S.BOUNCED
    assert "5." in bounced.error
    assert MailSettings.objects.get(user=bounced.recipient).bounced_at is not None
    assert statuses(issue) == {S.SENT: 6, S.BOUNCED: 1}
    assert "m002@example.org" not in received()

    later = sending_issue(community, month=1)
    sending.create_deliveries(later)
    assert not Delivery.objects.filter(newsletter=later, email="m002@example.org").exists()
    assert Delivery.objects.filter(newsletter=later).count() == 6


TRANSIENT = {
    "response 451": lambda a: smtplib.SMTPResponseException(451, b"4.3.0 Try again later"),
    "recipient refused 450": lambda a: smtplib.SMTPRecipientsRefused({a: (450, b"4.2.1 Mailbox busy")}),
    "server disconnected": lambda a: smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    "connection refused": lambda a: ConnectionRefusedError(111, "Connection refused"),
}


@pytest.mark.parametrize("failure", list(TRANSIENT))
def test_a_transient_error_puts_the_unsent_rows_back_to_pending_and_raises(issue, smtp, failure):
    smtp["m003@example.org"] = TRANSIENT[failure]("m003@example.org")
    ids = sending.claim_batch(issue.pk, 100)

    with pytest.raises(sending.TransientMailError):
        sending.send_claimed(ids)

    counts = statuses(issue)
    assert set(counts) <= {S.SENT, S.PENDING}
    assert counts[S.SENT] == len(mail.outbox)
    failed = Delivery.objects.get(newsletter=issue, email="m003@example.org")
    assert failed.status == S.PENDING and failed.error
    assert not MailSettings.objects.filter(bounced_at__isnull=False).exists()

    # The server recovers; the retry sends the rest and nobody gets a second copy.
    smtp.clear()
    sending.send_claimed(sending.claim_batch(issue.pk, 100))
    assert statuses(issue) == {S.SENT: 7}
    assert set(received().values()) == {1} and len(received()) == 7


def test_the_batch_task_retries_on_a_transient_error(issue, smtp):
    smtp["m000@example.org"] = TRANSIENT["response 451"]("m000@example.org")

    assert sending.TransientMailError in tasks.send_newsletter_batch.autoretry_for
    with pytest.raises(sending.TransientMailError):
        tasks.send_newsletter_batch.run(issue.pk)
    assert not Delivery.objects.filter(newsletter=issue, status__in=[S.CLAIMED, S.SENDING]).exists()


# --- The reaper ------------------------------------------------------------------------------------------------


def _age(newsletter, email: str, status: str, seconds: int) -> Delivery:
    Delivery.objects.filter(newsletter=newsletter, email=email).update(
        status=status, claimed_at=timezone.now() - timedelta(seconds=seconds)
    )
    return Delivery.objects.get(newsletter=newsletter, email=email)


def test_the_reaper_returns_stale_claimed_rows_silently_and_flags_stale_sending_rows(issue, settings, caplog):
    settings.NEWSLETTER_STUCK_AFTER_SECONDS = 900
    stale_claimed = _age(issue, "m000@example.org", S.CLAIMED, 1000)
    stale_sending = _age(issue, "m001@example.org", S.SENDING, 1000)
    fresh_claimed = _age(issue, "m002@example.org", S.CLAIMED, 60)
    fresh_sending = _age(issue, "m003@example.org", S.SENDING, 60)
    old_sent = _age(issue, "m004@example.org", S.SENT, 5000)

    with caplog.at_level(logging.WARNING, logger="newsletters.sending"):
        assert sending.reap() == (2, 1)

    def state(d):
        d.refresh_from_db()
        return d.status, d.possible_duplicate

    assert state(stale_claimed) == (S.PENDING, False)
    assert state(stale_sending) == (S.PENDING, True)
    assert state(fresh_claimed) == (S.CLAIMED, False)
    assert state(fresh_sending) == (S.SENDING, False)
    assert state(old_sent) == (S.SENT, False)
    assert "may arrive twice" in caplog.text


def test_the_reaper_says_nothing_when_it_only_returns_claimed_rows(issue, settings, caplog):
    settings.NEWSLETTER_STUCK_AFTER_SECONDS = 900
    _age(issue, "m000@example.org", S.CLAIMED, 1000)

    with caplog.at_level(logging.DEBUG, logger="newsletters.sending"):
        assert sending.reap() == (1, 0)

    assert caplog.records == []
    assert not Delivery.objects.filter(possible_duplicate=True).exists()


def test_the_reaper_task_finishes_done_issues_and_gives_unfinished_ones_a_sender(community, monkeypatch):
    crowd(community, 2)
    done, unfinished = sending_issue(community), sending_issue(community, month=1)
    for newsletter in (done, unfinished):
        sending.create_deliveries(newsletter)
    Delivery.objects.filter(newsletter=done).update(status=S.SENT)
    queued = []
    monkeypatch.setattr(tasks.send_newsletter_batch, "delay", queued.append)

    tasks.reap_stuck_deliveries()

    assert Newsletter.objects.get(pk=done.pk).status == Newsletter.Status.SENT
    assert Newsletter.objects.get(pk=unfinished.pk).status == Newsletter.Status.SENDING
    assert queued == [unfinished.pk]


# --- Idempotent re-runs --------------------------------------------------------------------------------------


def test_running_the_batch_task_twice_sends_each_member_exactly_once(issue, smtp):
    assert tasks.send_newsletter_batch(issue.pk) == 7
    assert tasks.send_newsletter_batch(issue.pk) == 0

    assert received() == Counter({f"m{i:03d}@example.org": 1 for i in range(7)})
    issue.refresh_from_db()
    assert issue.status == Newsletter.Status.SENT and issue.finished_at is not None


def test_a_sender_that_runs_out_of_batches_hands_over_to_a_fresh_task(issue, smtp, monkeypatch):
    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "BATCHES_PER_TASK", 2)
    queued = []
    monkeypatch.setattr(tasks.send_newsletter_batch, "delay", queued.append)

    assert tasks.send_newsletter_batch(issue.pk) == 4
    assert queued == [issue.pk]
    assert tasks.send_newsletter_batch(issue.pk) == 3
    assert tasks.send_newsletter_batch(issue.pk) == 0

    assert set(received().values()) == {1} and len(received()) == 7
    assert Newsletter.objects.get(pk=issue.pk).status == Newsletter.Status.SENT


def test_starting_to_send_twice_creates_no_second_delivery(community, member, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.send_newsletter_batch, "delay", queued.append)
    newsletter = make_newsletter(community)

    assert services.newsletter_start_sending(newsletter_id=newsletter.pk) == 1
    assert services.newsletter_start_sending(newsletter_id=newsletter.pk) == 1
    assert Delivery.objects.filter(newsletter=newsletter).count() == 1


def test_create_deliveries_is_idempotent_and_adds_only_people_missing(issue, community):
    Delivery.objects.filter(newsletter=issue, email="m000@example.org").update(status=S.SENT)

    assert sending.create_deliveries(issue) == 7
    crowd(community, 1, start=7)
    assert sending.create_deliveries(issue) == 8

    assert Delivery.objects.filter(newsletter=issue).values("recipient").distinct().count() == 8
    assert Delivery.objects.get(newsletter=issue, email="m000@example.org").status == S.SENT


def test_recipients_are_active_members_who_take_the_newsletter_in_the_chosen_segments(community):
    finance = Segment.objects.create(community=community, name="finance")
    leaders = Segment.objects.create(community=community, name="leaders")
    people = {
        name: make_membership(community, make_user(first_name=name, email=f"{name}@example.org"), **kw)
        for name, kw in {
            "both": {},
            "finance": {},
            "leaders": {},
            "neither": {},
            "optedout": {},
            "muted": {},
            "bounced": {},
            "left": {"status": Membership.Status.LEFT},
            "banned": {"status": Membership.Status.BANNED},
            "pending": {"status": Membership.Status.PENDING},
            "deactivated": {},
        }.items()
    }
    for name in ("both", "finance", "optedout", "muted", "bounced", "left", "banned", "pending", "deactivated"):
        people[name].segments.add(finance)
    for name in ("both", "leaders"):
        people[name].segments.add(leaders)
    Subscription.objects.create(user=people["optedout"].user, community=community, newsletter=False)
    MailSettings.objects.create(user=people["muted"].user, no_email=True)
    MailSettings.objects.create(user=people["bounced"].user, bounced_at=timezone.now())
    people["deactivated"].user.is_active = False
    people["deactivated"].user.save()
    newsletter = make_newsletter(community)
    newsletter.segments.set([finance, leaders])

    assert sending.create_deliveries(newsletter) == 3
    assert set(Delivery.objects.filter(newsletter=newsletter).values_list("email", flat=True)) == {
        "both@example.org",
        "finance@example.org",
        "leaders@example.org",
    }


# --- The message -----------------------------------------------------------------------------------------------

# RFC 5322 msg-id: "<" dot-atom-text "@" dot-atom-text ">" (a port's colon is not allowed).
ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
MSG_ID = re.compile(rf"<{ATEXT}(\.{ATEXT})*@{ATEXT}(\.{ATEXT})*>")


@pytest.mark.parametrize("site_url", ["http://127.0.0.1:8000", "https://cop.example.org"])
def test_each_message_has_a_stable_message_id_one_click_unsubscribe_headers_and_text_and_html_parts(
    issue, smtp, settings, site_url
):
    settings.SITE_URL = site_url
    sending.send_claimed(sending.claim_batch(issue.pk, 100))
    host = site_url.split("://")[1].split(":")[0]

    assert len(mail.outbox) == 7
    for message in mail.outbox:
        delivery = Delivery.objects.get(newsletter=issue, email=message.to[0])
        parsed = message.message()
        assert parsed["Message-ID"] == f"<newsletter-{issue.pk}-{delivery.recipient_id}@{host}>"
        assert MSG_ID.fullmatch(parsed["Message-ID"])
        rebuilt = rendering.build_message(delivery)
        assert rebuilt.message()["Message-ID"] == parsed["Message-ID"]  # a resend is the same message
        header = re.fullmatch(r"<(.+/n/u/([^/]+)/)>", parsed["List-Unsubscribe"].replace("\n", "").replace(" ", ""))
        assert header and header[1].startswith(site_url)
        assert tokens.read(header[2], tokens.UNSUBSCRIBE) == delivery.pk
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert parsed["List-Id"].endswith(f".{host}>")
        assert parsed.get_content_type() == "multipart/alternative"
        text, html = parsed.get_payload()
        assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
        assert "Benefits maps" in text.get_payload(decode=True).decode()
        assert "</html>" in html.get_payload(decode=True).decode()
        assert parsed["Subject"] == issue.subject


def _beat(newsletter, email: str, status: str, *, claimed_ago: int, beat_ago: int) -> Delivery:
    now = timezone.now()
    delivery = Delivery.objects.get(newsletter=newsletter, email=email)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        claimed_at=now - timedelta(seconds=claimed_ago),
        claimed_by="worker-1:42",
        heartbeat_at=now - timedelta(seconds=beat_ago),
    )
    return delivery


def test_the_reaper_requeues_rows_whose_sender_stopped_beating_long_before_the_claim_age_limit(issue, settings):
    settings.NEWSLETTER_STUCK_AFTER_SECONDS, settings.NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS = 900, 45
    silent_claimed = _beat(issue, "m000@example.org", S.CLAIMED, claimed_ago=70, beat_ago=60)
    silent_sending = _beat(issue, "m001@example.org", S.SENDING, claimed_ago=70, beat_ago=60)
    beating = _beat(issue, "m002@example.org", S.SENDING, claimed_ago=70, beat_ago=5)

    assert sending.reap() == (2, 1)

    for delivery in (silent_claimed, silent_sending, beating):
        delivery.refresh_from_db()
    assert (silent_claimed.status, silent_claimed.possible_duplicate) == (S.PENDING, False)
    assert (silent_sending.status, silent_sending.possible_duplicate) == (S.PENDING, True)
    assert beating.status == S.SENDING  # its sender is alive: never sent twice


def test_a_claim_names_its_sender_and_starts_its_heartbeat(issue):
    ids = sending.claim_batch(issue.pk, 3)

    rows = Delivery.objects.filter(pk__in=ids)
    assert {row.claimed_by for row in rows} == {sending.sender_id()}
    assert all(row.heartbeat_at is not None for row in rows)

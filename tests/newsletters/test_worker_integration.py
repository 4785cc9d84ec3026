"""A newsletter sent by real Celery workers over Redis to a real SMTP server, including a worker killed mid-send.

The workers are separate processes using this test's PostgreSQL database (hence transaction=True: they only see
committed rows) and a Redis queue of this test's own. The SMTP sink on loopback parks one chosen message so the
SIGKILL lands at an exact point: after the server has taken the message but before the sender could record it
(the one window where a duplicate is possible), or before the server has it. Skipped without PostgreSQL or Redis.
"""

import re
import time
from collections import Counter
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from communities.models import Membership
from newsletters import rendering, services, tokens
from newsletters.models import Delivery, Newsletter, Subscription
from newsletters.reports import newsletter_report
from newsletters.tasks import reap_stuck_deliveries

from ..factories import make_community
from ..support.smtp_sink import Stage
from ..support.worker_fixtures import needs_postgres, wait_for

MEMBERS = 300
KILL_AT = 120  # in the second batch of 100: rows sent, one in flight, some claimed, some never claimed
STUCK_AFTER = 2  # seconds; the second worker's reaper treats older claims as abandoned
SENT = Delivery.Status.SENT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres,
    pytest.mark.usefixtures("redis_client"),  # skips before any data is made when Redis is not there
]


@pytest.fixture
def crowd():
    """A community with 300 active members."""
    community = make_community(name="Integration CoP")
    run = uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(email=f"member{i:03d}-{run}@example.org", first_name="Member", last_name=f"{i:03d}", password="!")
        for i in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(community=community, user=user, status=Membership.Status.ACTIVE, joined_at=timezone.now())
        for user in users
    )
    return community, users


def newsletter_status(newsletter: Newsletter) -> str:
    return Newsletter.objects.values_list("status", flat=True).get(pk=newsletter.pk)


def statuses(newsletter: Newsletter) -> Counter:
    return Counter(Delivery.objects.filter(newsletter=newsletter).values_list("status", flat=True))


def start(community) -> Newsletter:
    newsletter, _ = services.newsletter_prepare(community=community)
    assert services.newsletter_start_sending(newsletter_id=newsletter.pk) == MEMBERS
    return newsletter


UNSUBSCRIBE_LINK = re.compile(r"https?://[^\s<>\"]+/n/u/([^/\s<>\"]+)/")


def check_well_formed(message, delivery: Delivery) -> str:
    """Assert the headers and both parts are right for this delivery; return its one-click unsubscribe URL."""
    assert message.defects == []
    assert message["To"] == delivery.email
    assert message["Subject"] == delivery.newsletter.subject
    assert message["Message-ID"] == rendering.message_id(delivery.newsletter_id, delivery.recipient_id)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The header is long enough to be folded onto a continuation line; unfolding leaves leading whitespace.
    header = re.fullmatch(rf"<({UNSUBSCRIBE_LINK.pattern})>", message["List-Unsubscribe"].strip())
    assert header, message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert "</html>" in html.get_content()
    # Tokens carry a timestamp, so the footer's link may differ from the header's; both must name this delivery.
    in_text, in_html = UNSUBSCRIBE_LINK.findall(text.get_content()), UNSUBSCRIBE_LINK.findall(html.get_content())
    assert in_text and in_html
    for token in [header[2], *in_text, *in_html]:
        assert tokens.read(token, tokens.UNSUBSCRIBE) == delivery.pk
    return header[1]


def test_a_worker_sends_each_of_300_members_exactly_one_well_formed_message(crowd, sink, start_worker, settings):
    settings.SITE_URL = "http://testserver"  # as the worker has it, so Message-IDs can be recomputed here
    community, members = crowd
    newsletter = start(community)
    # Two pool processes take the two sender tasks at once.
    worker = start_worker("a", smtp_port=sink.port, concurrency=2)

    wait_for(lambda: newsletter_status(newsletter) == Newsletter.Status.SENT, what="the send", workers=[worker])

    assert statuses(newsletter) == {SENT: MEMBERS}
    received = sink.received()
    assert Counter(r.rcpt_tos for r in received) == Counter((user.email,) for user in members)
    by_address = {r.rcpt_tos[0]: r.message for r in received}
    deliveries = Delivery.objects.filter(newsletter=newsletter).select_related("newsletter")
    links = {d.recipient_id: check_well_formed(by_address[d.email], d) for d in deliveries}

    leaver = members[7]
    response = Client(enforce_csrf_checks=True).post(
        urlsplit(links[leaver.pk]).path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Subscription.objects.get(user=leaver, community=community).newsletter is False
    assert Delivery.objects.get(newsletter=newsletter, recipient=leaver).unsubscribed_at is not None
    assert Subscription.objects.filter(newsletter=False).count() == 1


@pytest.mark.parametrize(
    ("stage", "duplicates"),
    [
        pytest.param(Stage.DATA, 1, id="killed-after-the-server-took-the-message"),
        pytest.param(Stage.RCPT, 0, id="killed-before-the-server-took-the-message"),
    ],
)
def test_a_worker_killed_mid_send_leaves_nobody_missing_and_flags_the_message_in_flight(
    crowd, sink, start_worker, queue, stage, duplicates
):
    community, members = crowd
    hold = sink.hold(stage, at=KILL_AT)
    newsletter = start(community)
    first = start_worker("a", smtp_port=sink.port)

    wait_for(hold.reached.is_set, what=f"message {KILL_AT} to reach the sink", workers=[first])
    in_flight = Delivery.objects.get(newsletter=newsletter, email=hold.address)
    assert in_flight.status == Delivery.Status.SENDING
    assert statuses(newsletter)[SENT] == KILL_AT - 1
    first.kill()
    killed_at = time.monotonic()
    hold.released.set()
    assert len(sink.received()) == KILL_AT - 1 + duplicates

    second = start_worker("b", smtp_port=sink.port, NEWSLETTER_STUCK_AFTER_SECONDS=str(STUCK_AFTER))
    next_reap = killed_at + STUCK_AFTER + 0.5  # a claim younger than STUCK_AFTER may still have a live sender

    def finished() -> bool:
        nonlocal next_reap
        if time.monotonic() >= next_reap:  # the periodic reaper, sped up
            reap_stuck_deliveries.apply_async(queue=queue)
            next_reap += 3
        return newsletter_status(newsletter) == Newsletter.Status.SENT

    wait_for(finished, what="the second worker to finish the send", workers=[second])

    assert statuses(newsletter) == {SENT: MEMBERS}
    copies = Counter(r.rcpt_tos[0] for r in sink.received())
    assert set(copies) == {user.email for user in members}, "someone was never served"
    twice = {address for address, n in copies.items() if n > 1}
    flagged = set(
        Delivery.objects.filter(newsletter=newsletter, possible_duplicate=True).values_list("email", flat=True)
    )
    assert flagged == {hold.address}
    assert twice == ({hold.address} if duplicates else set())
    assert max(copies.values()) <= 2
    assert newsletter_report(newsletter).possible_duplicates == len(flagged) == 1
    if duplicates:  # the second copy is recognisably the same message
        assert len({r.message["Message-ID"] for r in sink.received() if r.rcpt_tos[0] == hold.address}) == 1


HEARTBEAT_TIMEOUT = 5  # seconds (45 in production); the claim age limit stays at its 15 minutes
REAP_EVERY = 2  # seconds (20 in production, the beat schedule)


def test_a_killed_workers_newsletter_resumes_once_its_heartbeat_stops_not_after_the_claim_age_limit(
    crowd, sink, start_worker, queue
):
    """The claim age limit (15 min) and the broker's redelivery (1 h) are not what bring the send back: the dead
    sender's heartbeat stops, and the next reap requeues its rows. Scaled down here (5 s timeout, a reap every
    2 s); with production's 45 s and 20 s the same path resumes in about a minute."""
    community, members = crowd
    hold = sink.hold(Stage.DATA, at=KILL_AT)
    newsletter = start(community)
    first = start_worker("a", smtp_port=sink.port)
    wait_for(hold.reached.is_set, what=f"message {KILL_AT} to reach the sink", workers=[first])
    in_flight = Delivery.objects.get(newsletter=newsletter, email=hold.address)
    assert in_flight.claimed_by and in_flight.heartbeat_at is not None
    first.kill()
    killed_at = time.monotonic()
    hold.released.set()
    before = len(sink.received())

    second = start_worker("b", smtp_port=sink.port, NEWSLETTER_HEARTBEAT_TIMEOUT_SECONDS=str(HEARTBEAT_TIMEOUT))
    next_reap = time.monotonic()
    resumed_after = None

    def finished() -> bool:
        nonlocal next_reap, resumed_after
        if time.monotonic() >= next_reap:
            reap_stuck_deliveries.apply_async(queue=queue)
            next_reap += REAP_EVERY
        if resumed_after is None and len(sink.received()) > before:
            resumed_after = time.monotonic() - killed_at
        return newsletter_status(newsletter) == Newsletter.Status.SENT

    wait_for(finished, what="the second worker to finish the send", workers=[second])

    assert resumed_after is not None
    assert resumed_after < HEARTBEAT_TIMEOUT + REAP_EVERY + 15, f"resumed {resumed_after:.1f} s after the kill"
    assert statuses(newsletter) == {SENT: MEMBERS}
    copies = Counter(r.rcpt_tos[0] for r in sink.received())
    assert set(copies) == {user.email for user in members}, "someone was never served"  # 0 lost
    flagged = set(
        Delivery.objects.filter(newsletter=newsletter, possible_duplicate=True).values_list("email", flat=True)
    )
    assert flagged == {hold.address}  # at most the one in flight, flagged
    assert {a for a, n in copies.items() if n > 1} <= flagged
    print(f"\nresumed {resumed_after:.1f} s after the worker was killed")

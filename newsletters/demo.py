"""Demo newsletters for `manage.py seed_demo`: last month's issue, sent and measured, and this month's draft."""

import random
from datetime import timedelta

from communities.models import CommunityVisit, Membership

from . import services
from .models import Click, Delivery, Newsletter

OPEN_RATE, CLICK_RATE = 0.62, 0.27


def seed(cast: dict) -> None:
    ppm, now = cast["ppm"], cast["now"]
    if Newsletter.objects.filter(community=ppm).exists():
        return
    rng = random.Random(7)
    sent_at = now - timedelta(days=16)
    last_month = services.month_start((now.replace(day=1) - timedelta(days=1)).date())
    draft, _ = services.newsletter_prepare(community=ppm, today=now.date(), by=cast["facilitator"])
    issue = Newsletter.objects.create(
        community=ppm,
        period=last_month,
        subject=f"{ppm.name}: {last_month:%B %Y}",
        intro="Hello everyone,\n\nA bumper month: two hot seats, a new benefits template and a lot of thanks.",
        intro_html="<p>Hello everyone,</p><p>A bumper month: two hot seats, a new benefits template and a lot of "
        "thanks.</p>",
        sections=draft.sections,
        article=draft.article,
        status=Newsletter.Status.SENT,
        sent_at=sent_at,
        finished_at=sent_at + timedelta(minutes=2),
        created_by=cast["facilitator"],
    )
    links = sorted(issue.links())
    members = list(Membership.objects.active().filter(community=ppm).select_related("user"))
    deliveries = []
    for index, membership in enumerate(members):
        opened = rng.random() < OPEN_RATE
        deliveries.append(
            Delivery(
                newsletter=issue,
                recipient=membership.user,
                email=membership.user.email,
                status=Delivery.Status.BOUNCED if index == 5 else Delivery.Status.SENT,
                error="550 5.1.1 Mailbox unavailable" if index == 5 else "",
                attempts=1,
                claimed_at=sent_at,
                sent_at=sent_at + timedelta(seconds=index),
                opened_at=sent_at + timedelta(hours=rng.randint(1, 72)) if opened and index != 5 else None,
            )
        )
    Delivery.objects.bulk_create(deliveries)
    for delivery in Delivery.objects.filter(newsletter=issue, opened_at__isnull=False):
        if rng.random() < CLICK_RATE / OPEN_RATE:
            url = rng.choice(links)
            Click.objects.create(delivery=delivery, url=url, created_at=delivery.opened_at + timedelta(minutes=2))
            Delivery.objects.filter(pk=delivery.pk).update(clicked_at=delivery.opened_at + timedelta(minutes=2))
    # Visits around the send: a quiet baseline, then the spike the newsletter brings.
    visits = []
    for offset in range(-14, 15):
        day = (sent_at + timedelta(days=offset)).date()
        if day > now.date():
            break
        share = 0.12 if offset < 0 else max(0.12, 0.45 - 0.03 * offset)
        for membership in members:
            if rng.random() < share:
                visits.append(CommunityVisit(community=ppm, user=membership.user, day=day))
    CommunityVisit.objects.bulk_create(visits, ignore_conflicts=True)

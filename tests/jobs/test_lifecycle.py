"""Expiry by query at the closing-date boundary (whatever the viewer's time zone), the daily task, the reminder
sent exactly once, approval rules and the daily posting limit."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import OutboundEmail
from jobs import services
from jobs.models import JobSettings, Posting
from jobs.tasks import daily_upkeep

from ..factories import make_user
from ..helpers import login, text_of
from .conftest import make_posting

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo(settings.TIME_ZONE)
CLOSES_ON = timezone.localdate() + timedelta(days=10)
LAST_MINUTE = datetime.combine(CLOSES_ON, time(23, 59, 59), tzinfo=LONDON)
MIDNIGHT = datetime.combine(CLOSES_ON + timedelta(days=1), time.min, tzinfo=LONDON)


@pytest.fixture
def closing(community, poster):
    return make_posting(community, poster, title="Closing posting", closes_on=CLOSES_ON)


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"])
def test_a_posting_is_listed_until_the_end_of_its_closing_date_for_viewers_in_any_zone(zone, closing, member):
    member.time_zone = zone
    member.save(update_fields=["time_zone"])
    client = login(member)
    path = reverse("jobs:jobs_list", args=[closing.community.slug])
    with time_machine.travel(LAST_MINUTE, tick=False):
        assert "Closing posting" in text_of(client.get(path))
        assert Posting.objects.live().filter(pk=closing.pk).exists()
        page = client.get(closing.get_absolute_url())
        assert b"Apply" in page.content
    with time_machine.travel(MIDNIGHT, tick=False):
        assert "Closing posting" not in text_of(client.get(path))  # the task has not run: the query alone
        assert "Closing posting" not in text_of(client.get(reverse("jobs:all_jobs")))
        assert not Posting.objects.live().filter(pk=closing.pk).exists()
        assert "has closed" in text_of(client.get(closing.get_absolute_url()))


def test_the_closing_time_shows_in_the_viewers_zone(closing, member):
    member.time_zone = "Asia/Tokyo"
    member.save(update_fields=["time_zone"])
    page = text_of(login(member).get(closing.get_absolute_url()))
    tokyo = closing.open_until.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M}" in page and "Asia/Tokyo" in page


def test_the_daily_task_closes_expired_postings_and_archives_old_ones(closing):
    with time_machine.travel(MIDNIGHT - timedelta(seconds=1), tick=False):
        assert daily_upkeep()["closed"] == 0
    with time_machine.travel(MIDNIGHT + timedelta(minutes=5), tick=False):
        assert daily_upkeep()["closed"] == 1
        assert daily_upkeep()["closed"] == 0
    closing.refresh_from_db()
    assert closing.status == Posting.Status.CLOSED and closing.closed_at == MIDNIGHT
    with time_machine.travel(MIDNIGHT + timedelta(days=91), tick=False):
        services.close_expired()
    closing.refresh_from_db()
    assert closing.status == Posting.Status.ARCHIVED


def test_the_reminder_goes_once_two_days_before_closing(closing, poster):
    def reminders():
        return OutboundEmail.objects.filter(to=poster.email, subject__contains="closes soon").count()

    with time_machine.travel(MIDNIGHT - timedelta(days=2, minutes=1), tick=False):
        assert services.send_closing_reminders() == 0
    with time_machine.travel(MIDNIGHT - timedelta(days=2) + timedelta(minutes=5), tick=False):
        assert services.send_closing_reminders() == 1
        assert services.send_closing_reminders() == 0
        daily_upkeep()
    with time_machine.travel(MIDNIGHT - timedelta(hours=3), tick=False):
        daily_upkeep()
    assert reminders() == 1
    email = OutboundEmail.objects.get(to=poster.email, subject__contains="closes soon")
    assert "extend the closing date" in email.text.lower()


def test_after_extending_there_is_no_second_reminder_and_no_second_extension(closing, poster):
    with time_machine.travel(MIDNIGHT - timedelta(days=1), tick=False):
        services.send_closing_reminders()
        services.posting_extend(posting=closing, by=poster, closes_on=CLOSES_ON + timedelta(days=5))
        with pytest.raises(services.JobsError):
            services.posting_extend(posting=closing, by=poster, closes_on=CLOSES_ON + timedelta(days=6))
    with time_machine.travel(MIDNIGHT + timedelta(days=4), tick=False):
        services.send_closing_reminders()
        assert Posting.objects.live().filter(pk=closing.pk).exists()
    assert OutboundEmail.objects.filter(to=poster.email, subject__contains="closes soon").count() == 1


def test_a_new_members_first_posting_waits_then_the_next_goes_live(community, member):
    first = services.posting_create(community=community, author=member, **_fields("First"))
    assert first.status == Posting.Status.PENDING
    assert not Posting.objects.live().filter(pk=first.pk).exists()
    services.posting_approve(posting=first, by=_manager(community))
    second = services.posting_create(community=community, author=member, **_fields("Second"))
    assert second.status == Posting.Status.LIVE


def test_the_community_setting_holds_every_posting(community, poster, facilitator):
    JobSettings.objects.create(community=community, require_approval=True)
    assert make_posting(community, poster, live=False).status == Posting.Status.PENDING
    assert make_posting(community, facilitator, live=False).status == Posting.Status.LIVE


def test_the_daily_limit_refuses_the_next_posting_and_keeps_the_text(community, poster):
    JobSettings.objects.create(community=community, daily_limit=2)
    for i in range(2):
        services.posting_create(community=community, author=poster, **_fields(f"Role {i}"))
    client = login(poster)
    data = {**_fields("One too many"), "closes_on": CLOSES_ON.isoformat(), "tags": "MSP"}
    data |= {"working_pattern": "hybrid", "contract": "permanent"}
    response = client.post(reverse("jobs:posting_create", args=[community.slug]), data)
    assert response.status_code == 400
    assert "One too many" in response.content.decode()
    assert "most this community allows" in text_of(response)
    assert Posting.objects.filter(author=poster).count() == 2


def test_a_rejected_posting_can_be_edited_and_sent_again(community, member, facilitator):
    posting = services.posting_create(community=community, author=member, **_fields("Needs work"))
    services.posting_reject(posting=posting, by=facilitator, reason="Add the salary, please.")
    assert "Add the salary" in text_of(login(member).get(posting.get_absolute_url()))
    services.posting_update(posting=posting, by=member, salary_text="£60,000", publish=True)
    assert posting.status == Posting.Status.PENDING


def _fields(title):
    return {
        "title": title,
        "employer": "NHS England",
        "location": "Leeds",
        "closes_on": CLOSES_ON,
        "apply_url": "https://example.org/apply",
        "description": "The role.",
    }


def _manager(community):
    from communities.models import Membership

    from ..factories import make_membership

    return make_membership(community, make_user(), role=Membership.Role.FACILITATOR).user

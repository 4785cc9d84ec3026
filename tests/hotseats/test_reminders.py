"""What members hear about: the announcement, "open now", "closing in 24 hours" (each once, however often the
periodic task runs), answers to their questions, and reschedules that calendars pick up."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent
from hotseats import services, tasks
from hotseats.models import HotSeat

pytestmark = pytest.mark.django_db


def events(verb: str) -> list[ActivityEvent]:
    return list(ActivityEvent.objects.filter(verb=verb).order_by("pk"))


def about(event: ActivityEvent, obj) -> bool:
    return event.target_type == ContentType.objects.get_for_model(obj) and event.target_id == obj.pk


@pytest.fixture
def seat(hotseat, expert):
    """A five-day hot seat that opens in two days, on the minute as the schedule form sets it."""
    opens_at = timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)
    return hotseat(experts=[expert], opens_at=opens_at, closes_at=opens_at + timedelta(days=5))


def edit(client, seat, **changes):
    data = {
        "title": seat.title,
        "topic": seat.topic,
        "opens_at": timezone.localtime(seat.opens_at).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": timezone.localtime(seat.closes_at).strftime("%Y-%m-%dT%H:%M"),
        "early_questions": "on",
    }
    data |= {
        k: timezone.localtime(v).strftime("%Y-%m-%dT%H:%M") if k.endswith("_at") else v for k, v in changes.items()
    }
    response = client.post(reverse("hotseats:hotseat_edit", args=[seat.community.slug, seat.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return HotSeat.objects.get(pk=seat.pk)


def test_scheduling_a_hot_seat_announces_it_to_the_community(as_facilitator, community, facilitator, expert):
    opens = timezone.localtime() + timedelta(days=3)
    response = as_facilitator.post(
        reverse("hotseats:hotseat_create", args=[community.slug]),
        {
            "title": "Scheduling with Sam",
            "topic": "Critical paths.",
            "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
            "member_experts": expert.email,
        },
    )
    assert response.status_code == 302
    seat = HotSeat.objects.get()
    assert seat.closes_at - seat.opens_at == timedelta(days=5)  # left empty: five days
    [announced] = events("hotseat_announced")
    assert (announced.community, announced.actor) == (community, facilitator)
    assert about(announced, seat)
    assert events("hotseat_opened") == events("hotseat_closing_soon") == []


def test_the_reminder_task_says_nothing_before_the_hot_seat_opens(seat):
    assert tasks.send_reminders() == 0
    with time_machine.travel(seat.opens_at - timedelta(seconds=1), tick=False):
        assert tasks.send_reminders() == 0
    assert events("hotseat_opened") == events("hotseat_closing_soon") == []


def test_the_reminder_task_records_the_opening_once_however_often_it_runs(seat, community):
    with time_machine.travel(seat.opens_at + timedelta(minutes=3), tick=False):
        assert tasks.send_reminders() == 1
        assert tasks.send_reminders() == 0
    with time_machine.travel(seat.opens_at + timedelta(hours=6), tick=False):
        tasks.send_reminders()
    [opened] = events("hotseat_opened")
    assert about(opened, seat)
    assert (opened.community, opened.actor) == (community, None)
    assert events("hotseat_closing_soon") == []


def test_the_reminder_task_records_closing_soon_once_within_24_hours_of_closing(seat):
    with time_machine.travel(seat.closes_at - timedelta(hours=24, minutes=1), tick=False):
        tasks.send_reminders()
    assert events("hotseat_closing_soon") == []
    for hours_left in (23, 12, 1):
        with time_machine.travel(seat.closes_at - timedelta(hours=hours_left), tick=False):
            tasks.send_reminders()
    [closing] = events("hotseat_closing_soon")
    assert about(closing, seat)
    assert len(events("hotseat_opened")) == 1


def test_the_reminder_task_says_nothing_about_a_hot_seat_that_has_closed(seat):
    with time_machine.travel(seat.closes_at + timedelta(minutes=1), tick=False):
        assert tasks.send_reminders() == 0
    assert events("hotseat_opened") == events("hotseat_closing_soon") == []


def test_a_hot_seat_shorter_than_a_day_gets_both_reminders_in_one_run(hotseat):
    opens_at = timezone.now() + timedelta(hours=1)
    short = hotseat(opens_at=opens_at, closes_at=opens_at + timedelta(hours=8))
    with time_machine.travel(opens_at + timedelta(minutes=1), tick=False):
        assert tasks.send_reminders() == 2
        assert tasks.send_reminders() == 0
    assert [about(e, short) for e in events("hotseat_opened") + events("hotseat_closing_soon")] == [True, True]


def test_answering_a_question_tells_the_asker(seat, other, expert, client_as):
    question = services.question_ask(hotseat=seat, asker=other, body="How long is a gate review?")
    path = reverse("hotseats:answer_post", args=[seat.community.slug, seat.pk, question.pk])
    with time_machine.travel(seat.opens_at + timedelta(hours=1), tick=False):
        response = client_as("expert").post(path, {"body": "Two to three days."})
    assert response.status_code == 302
    [answered] = events("hotseat_question_answered")
    assert answered.actor == expert
    assert answered.data["asker_id"] == other.pk
    assert answered.data["question_id"] == question.pk
    assert answered.data["hotseat_id"] == seat.pk


def test_moving_the_hot_seat_bumps_its_calendar_sequence_but_a_new_title_does_not(as_facilitator, seat):
    assert seat.sequence == 0
    seat = edit(as_facilitator, seat, title="Retitled")
    assert (seat.title, seat.sequence) == ("Retitled", 0)
    seat = edit(as_facilitator, seat, opens_at=seat.opens_at + timedelta(days=1))
    assert seat.sequence == 1
    seat = edit(as_facilitator, seat, closes_at=seat.closes_at + timedelta(days=1))
    assert seat.sequence == 2
    ics = as_facilitator.get(reverse("hotseats:hotseat_ics", args=[seat.community.slug, seat.pk]))
    assert "SEQUENCE:2" in ics.content.decode()


def test_extending_a_hot_seat_after_its_closing_reminder_reminds_again_before_the_new_close(as_facilitator, seat):
    with time_machine.travel(seat.closes_at - timedelta(hours=2), tick=False):
        tasks.send_reminders()
        seat = edit(as_facilitator, seat, closes_at=seat.closes_at + timedelta(days=2))
        tasks.send_reminders()
    assert len(events("hotseat_closing_soon")) == 1
    with time_machine.travel(seat.closes_at - timedelta(hours=2), tick=False):
        tasks.send_reminders()
        tasks.send_reminders()
    assert len(events("hotseat_closing_soon")) == 2
    assert len(events("hotseat_opened")) == 1

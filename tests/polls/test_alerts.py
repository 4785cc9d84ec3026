"""Polls and surveys reach members through the alert preferences, the digest and the newsletter.

"Opened" reaches those who may act; "closing soon" and the survey reminder skip those who already voted or
responded, also when that happened between queueing and sending the digest; a member outside a survey's segments
hears nothing of it; and the "Have your say" section lists what is open.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities.extensions import NewsletterSection, lookup
from newsletters import alerts
from newsletters.models import Alert
from polls import services
from polls.activity import POLLS

from ..newsletters.helpers import dispatch_all, mails_to, subscribe
from .conftest import answers_for, vote

pytestmark = pytest.mark.django_db


def alerted(verb_title: str) -> set[int]:
    return set(Alert.objects.filter(title__startswith=verb_title).values_list("user_id", flat=True))


def test_members_hear_a_new_poll_under_the_polls_preference_daily_by_default(poll, member, other, facilitator):
    the_poll = poll(question="Which day suits you?")
    dispatch_all()

    alerts_made = Alert.objects.filter(title="New poll: Which day suits you?")
    assert set(alerts_made.values_list("user_id", flat=True)) == {member.pk, other.pk}  # not the facilitator who asked
    assert set(alerts_made.values_list("alert_type", "frequency")) == {(POLLS, "daily")}
    assert alerts_made.first().url == the_poll.get_absolute_url()


def test_closing_soon_skips_members_who_voted(poll, member, other):
    the_poll = poll(closes_at=timezone.now() + timedelta(hours=20))
    vote(the_poll, member, "Spreadsheet")
    dispatch_all()

    services.send_reminders()
    dispatch_all()

    assert alerted("Last day to vote") == {other.pk}


def test_an_immediate_alert_is_an_email_with_the_poll_link(poll, member, community):
    subscribe(member, community, polls="immediate")
    mail.outbox.clear()

    the_poll = poll(question="Coffee or tea?")
    dispatch_all()

    (message,) = mails_to(mail.outbox, member)
    assert message.subject == "New poll: Coffee or tea?"
    assert the_poll.get_absolute_url() in message.body


def test_the_reminder_reaches_only_targeted_members_who_have_not_responded(
    survey, community, finance, member, other, outside_segment, facilitator, as_facilitator
):
    for user in (member, other):
        community.memberships.get(user=user).segments.add(finance)
    the_survey = survey(segments=[finance])
    dispatch_all()
    assert alerted("Have your say") == {member.pk, other.pk}  # the opening: both finance members
    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey))

    as_facilitator.post(reverse("polls:survey_remind", args=[community.slug, the_survey.pk]))
    dispatch_all()

    assert alerted("Reminder:") == {other.pk}  # not the respondent, not outside_segment, not the facilitator


def test_a_digest_leaves_out_what_someone_already_answered(survey, community, member, facilitator):
    the_survey = survey()
    services.survey_remind(survey=the_survey, by=facilitator)
    dispatch_all()
    assert set(Alert.objects.filter(user=member).values_list("title", flat=True)) == {
        "Have your say: Priorities for next quarter",
        "Reminder: we would like to hear from you in “Priorities for next quarter”",
    }

    services.response_submit(survey=the_survey, user=member, answers=answers_for(the_survey))
    mail.outbox.clear()
    alerts.send_daily_digests(now=timezone.now() + timedelta(minutes=1))

    digest = "\n".join(m.body for m in mails_to(mail.outbox, member))
    assert "Reminder:" not in digest
    assert "Have your say: Priorities for next quarter" not in digest  # their say is in


def test_the_preferences_page_offers_the_polls_alert_type(as_member, community):
    page = as_member.get(reverse("newsletters:preferences")).content.decode()

    assert "Polls and surveys: opened, closing soon, reminders" in page


def test_have_your_say_lists_open_polls_and_surveys_only(poll, survey, facilitator):
    open_poll = poll(question="Open poll?")
    closed = poll(question="Closed poll?", state="closed")
    draft = survey(publish=False, title="Draft survey")
    published = survey(title="Open survey")

    build = lookup(NewsletterSection, "have_your_say").build
    now = timezone.now()
    section = build(open_poll.community, now - timedelta(days=30), now)

    titles = [item["title"] for item in section["items"]]
    assert section["title"] == "Have your say"
    assert set(titles) == {open_poll.question, published.title}
    assert closed.question not in titles and draft.title not in titles
    assert all(item["url"].startswith("/c/") for item in section["items"])

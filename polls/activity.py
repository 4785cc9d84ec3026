"""What polls and surveys tell the rest of the platform happened: their verbs, and what each means
(communities/extensions).

"Opened" and "closing soon" reach the members who can still act on them: a closing-soon notice or a survey
reminder skips those who already voted or responded, and every notice holds only while the poll or survey is
open, so a digest sent after it closed does not ask anyone to vote.
"""

from django.db import models

from communities.activity import excerpt, feed_links_via, member_ids
from communities.extensions import AlertType, EventType, Frequency, Notice, Rung
from communities.models import Membership

from . import permissions
from .models import Ballot, Participation, Poll, Survey

POLLS = "polls"

ALERT_TYPES = (
    AlertType(
        key=POLLS, label="Polls and surveys: opened, closing soon, reminders", default=Frequency.DAILY, order=45
    ),
)


class Verb(models.TextChoices):
    POLL_OPENED = "poll_opened", "opened a poll"
    POLL_CLOSING_SOON = "poll_closing_soon", "reminded members a poll closes soon"
    POLL_VOTED = "poll_voted", "voted in a poll"
    SURVEY_OPENED = "survey_opened", "opened a survey"
    SURVEY_CLOSING_SOON = "survey_closing_soon", "reminded members a survey closes soon"
    SURVEY_REMINDER = "survey_reminder", "reminded members about a survey"
    SURVEY_RESPONDED = "survey_responded", "responded to a survey"


def targeted_member_ids(survey: Survey) -> list[int]:
    """Active members the survey asks: everyone, or the members of its segments."""
    members = Membership.objects.active().filter(community_id=survey.community_id)
    segments = [s.pk for s in survey.segments.all()]
    if segments:
        members = members.filter(segments__in=segments)
    return list(members.values_list("user_id", flat=True).distinct())


def _poll_excerpt(poll: Poll) -> str:
    if poll.description_html:
        return excerpt(poll.description_html)
    return " · ".join(poll.choices.values_list("label", flat=True))[:300]


def _poll_notices(event) -> list[Notice]:
    """Members hear a poll opened, and those who have not voted that it closes within a day, while it is open."""
    poll = Poll.objects.select_related("community").filter(pk=event.target_id).first()
    if poll is None or not poll.is_open or poll.host_type_id is not None:
        return []
    recipients = member_ids(poll.community_id)
    if event.verb == Verb.POLL_CLOSING_SOON:
        voted = set(Ballot.objects.filter(poll=poll).values_list("user_id", flat=True))
        recipients = [uid for uid in recipients if uid not in voted]
        title = f"Last day to vote: {poll.question}"
    else:
        title = f"New poll: {poll.question}"
    return [
        Notice(
            alert_type=POLLS,
            recipients=recipients,
            title=title,
            url=poll.get_absolute_url(),
            excerpt=_poll_excerpt(poll),
            visible_to=lambda user: permissions.can_vote(user, poll),
        )
    ]


_SURVEY_TITLES = {
    Verb.SURVEY_OPENED: "Have your say: {title}",
    Verb.SURVEY_CLOSING_SOON: "Last day to respond: {title}",
    Verb.SURVEY_REMINDER: "Reminder: we would like to hear from you in “{title}”",
}


def _survey_notices(event) -> list[Notice]:
    """The members a survey asks and who have not responded hear it opened, closes soon, or a reminder."""
    survey = Survey.objects.select_related("community").prefetch_related("segments").filter(pk=event.target_id).first()
    if survey is None or not survey.is_open:
        return []
    responded = set(Participation.objects.filter(survey=survey).values_list("user_id", flat=True))
    recipients = [uid for uid in targeted_member_ids(survey) if uid not in responded]

    def still_asked(user) -> bool:
        # Asked again at sending time: someone who responded since the alert was queued hears nothing.
        return (
            permissions.can_respond(user, survey)
            and not Participation.objects.filter(survey=survey, user=user).exists()
        )

    return [
        Notice(
            alert_type=POLLS,
            recipients=recipients,
            title=_SURVEY_TITLES[event.verb].format(title=survey.title),
            url=survey.get_absolute_url(),
            excerpt=excerpt(survey.description_html),
            visible_to=still_asked,
        )
    ]


_POLL_LINKS = feed_links_via(
    lambda viewer: Poll.objects.visible_to(viewer).select_related("community"),
    title=lambda p: p.question,
    url=lambda p: p.get_absolute_url(),
)
_SURVEY_LINKS = feed_links_via(
    lambda viewer: Survey.objects.visible_to(viewer).select_related("community"),
    title=lambda s: s.title,
    url=lambda s: s.get_absolute_url(),
)


EVENT_TYPES = (
    # Opening a poll or survey is facilitation; voting and responding are the "vote" rung of participation.
    EventType(
        verb=Verb.POLL_OPENED,
        phrase=Verb.POLL_OPENED.label,
        notices=_poll_notices,
        in_feed=True,
        feed_links=_POLL_LINKS,
        feed_phrase="opened the poll",
    ),
    EventType(verb=Verb.POLL_CLOSING_SOON, phrase=Verb.POLL_CLOSING_SOON.label, notices=_poll_notices),
    EventType(verb=Verb.POLL_VOTED, phrase=Verb.POLL_VOTED.label, rung=Rung.VOTE),
    EventType(
        verb=Verb.SURVEY_OPENED,
        phrase=Verb.SURVEY_OPENED.label,
        notices=_survey_notices,
        in_feed=True,
        feed_links=_SURVEY_LINKS,
        feed_phrase="opened the survey",
    ),
    EventType(verb=Verb.SURVEY_CLOSING_SOON, phrase=Verb.SURVEY_CLOSING_SOON.label, notices=_survey_notices),
    EventType(verb=Verb.SURVEY_REMINDER, phrase=Verb.SURVEY_REMINDER.label, notices=_survey_notices),
    EventType(verb=Verb.SURVEY_RESPONDED, phrase=Verb.SURVEY_RESPONDED.label, rung=Rung.VOTE),
)

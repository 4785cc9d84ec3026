"""What hot seats tell the rest of the platform happened: their verbs, and what each means (communities/extensions).

A hot seat's notices describe its state ("coming up", "open now"), so each holds only while that state does:
a digest sent after the hot seat opened never calls it "coming up".
"""

from django.db import models

from communities.activity import REPLIES, excerpt, feed_links_via, member_ids
from communities.extensions import AlertType, EventType, Frequency, Notice, Rung

from . import permissions
from .models import Answer, HotSeat

HOTSEATS = "hotseats"

ALERT_TYPES = (
    AlertType(key=HOTSEATS, label="Hot seats: announced, opening, closing soon", default=Frequency.DAILY, order=40),
)


class Verb(models.TextChoices):
    HOTSEAT_ANNOUNCED = "hotseat_announced", "announced a hot seat"
    HOTSEAT_OPENED = "hotseat_opened", "opened a hot seat"
    HOTSEAT_CLOSING_SOON = "hotseat_closing_soon", "reminded members a hot seat closes soon"
    HOTSEAT_QUESTION_ASKED = "hotseat_question_asked", "asked a hot-seat question"
    HOTSEAT_QUESTION_ANSWERED = "hotseat_question_answered", "answered a hot-seat question"


# The state each verb describes, and what members are told while it holds.
_STATE_TITLES = {
    Verb.HOTSEAT_ANNOUNCED: (HotSeat.State.SCHEDULED, "Hot seat coming up: {title}"),
    Verb.HOTSEAT_OPENED: (HotSeat.State.OPEN, "Open now: put your questions to the experts in “{title}”"),
    Verb.HOTSEAT_CLOSING_SOON: (HotSeat.State.OPEN, "Last 24 hours to ask in “{title}”"),
}


def _hotseat_notices(event) -> list[Notice]:
    """Every member hears that a hot seat is coming, is open or closes soon, while that is still true."""
    hotseat = HotSeat.objects.select_related("community").filter(pk=event.target_id).first()
    if hotseat is None:
        return []
    state, title = _STATE_TITLES[event.verb]
    if hotseat.state != state:
        return []
    return [
        Notice(
            alert_type=HOTSEATS,
            recipients=member_ids(hotseat.community_id),
            title=title.format(title=hotseat.title),
            url=hotseat.get_absolute_url(),
            excerpt=excerpt(hotseat.topic_html),
            visible_to=lambda user: permissions.can_view_hotseat(user, hotseat),
        )
    ]


def _answer_notices(event) -> list[Notice]:
    """The asker hears their question was answered."""
    answer = Answer.objects.select_related("question__hotseat__community").filter(pk=event.target_id).first()
    if answer is None:
        return []
    question = answer.question
    hotseat = question.hotseat
    return [
        Notice(
            alert_type=REPLIES,
            recipients=[(event.data or {}).get("asker_id")],
            title=f"Your question in “{hotseat.title}” was answered",
            url=f"{hotseat.get_absolute_url()}#{question.anchor}",
            excerpt=excerpt(answer.body_html),
            visible_to=lambda user: permissions.can_read_question(user, question),
        )
    ]


_HOTSEAT_LINKS = feed_links_via(
    lambda viewer: HotSeat.objects.visible_to(viewer).select_related("community"),
    title=lambda h: h.title,
    url=lambda h: h.get_absolute_url(),
)
_ANSWER_LINKS = feed_links_via(
    lambda viewer: Answer.objects.filter(question__hotseat__in=HotSeat.objects.visible_to(viewer)).select_related(
        "question__hotseat__community"
    ),
    title=lambda a: a.question.hotseat.title,
    url=lambda a: a.question.hotseat.get_absolute_url(),
)


EVENT_TYPES = (
    # Scheduling a hot seat is facilitation; the expert who answers in it hosts it.
    EventType(
        verb=Verb.HOTSEAT_ANNOUNCED,
        phrase=Verb.HOTSEAT_ANNOUNCED.label,
        feed_links=_HOTSEAT_LINKS,
        feed_phrase="announced the hot seat",
        notices=_hotseat_notices,
        in_feed=True,
    ),
    EventType(verb=Verb.HOTSEAT_OPENED, phrase=Verb.HOTSEAT_OPENED.label, notices=_hotseat_notices),
    EventType(verb=Verb.HOTSEAT_CLOSING_SOON, phrase=Verb.HOTSEAT_CLOSING_SOON.label, notices=_hotseat_notices),
    EventType(verb=Verb.HOTSEAT_QUESTION_ASKED, phrase=Verb.HOTSEAT_QUESTION_ASKED.label, rung=Rung.ASK),
    EventType(
        verb=Verb.HOTSEAT_QUESTION_ANSWERED,
        phrase=Verb.HOTSEAT_QUESTION_ANSWERED.label,
        feed_links=_ANSWER_LINKS,
        feed_phrase="answered a question in",
        feed_phrase_many="answered {n} questions in",
        notices=_answer_notices,
        rung=Rung.HOST,
        in_feed=True,
    ),
)

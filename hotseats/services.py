"""Hot-seat writes: scheduling, experts, questions, votes, answers, moderation and reminders."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities import activity, moderation, search
from communities.emails import send_after_commit
from communities.models import Community, ModerationAction
from communities.permissions import is_active_member
from cop_platform.markup import render_markdown_safe

from . import permissions
from .activity import Verb
from .models import Answer, CalendarFeed, Expert, HotSeat, Question, Vote

REMINDER_BEFORE_CLOSE = timedelta(hours=24)


class HotSeatError(Exception):
    """A hot-seat action the rules refuse; the message is shown to the member."""


# --- Scheduling ----------------------------------------------------------------------------------------------


@transaction.atomic
def hotseat_create(
    *,
    community: Community,
    by,
    title: str,
    topic: str,
    opens_at,
    closes_at,
    early_questions=True,
    theme=None,
    tags: str = "",
    experts=(),
    guest_emails=(),
) -> HotSeat:
    """Schedule a hot seat with member experts and invited guest experts; members hear it was announced."""
    if not permissions.can_schedule(by, community):
        raise HotSeatError("Only facilitators schedule hot seats.")
    if closes_at <= opens_at:
        raise HotSeatError("A hot seat must close after it opens.")
    hotseat = HotSeat.objects.create(
        community=community,
        theme=theme,
        title=title.strip(),
        topic=topic,
        topic_html=render_markdown_safe(topic),
        tags=tags,
        opens_at=opens_at,
        closes_at=closes_at,
        early_questions=early_questions,
        created_by=by,
    )
    for user in experts:
        Expert.objects.create(hotseat=hotseat, user=user, accepted_at=timezone.now())
    for email in guest_emails:
        expert_invite_guest(hotseat=hotseat, email=email, by=by)
    activity.record(community=community, actor=by, verb=Verb.HOTSEAT_ANNOUNCED, target=hotseat)
    index_hotseat(hotseat)
    return hotseat


@transaction.atomic
def hotseat_update(*, hotseat: HotSeat, by, **fields) -> HotSeat:
    """Change a hot seat's details; a new time bumps the calendar SEQUENCE so calendars update the event."""
    if not permissions.can_schedule(by, hotseat.community):
        raise HotSeatError("Only facilitators edit hot seats.")
    rescheduled = any(k in fields and fields[k] != getattr(hotseat, k) for k in ("opens_at", "closes_at"))
    for name, value in fields.items():
        setattr(hotseat, name, value)
    if hotseat.closes_at <= hotseat.opens_at:
        raise HotSeatError("A hot seat must close after it opens.")
    hotseat.topic_html = render_markdown_safe(hotseat.topic)
    if rescheduled:
        hotseat.sequence += 1
        hotseat.opening_announced_at = None if hotseat.opens_at > timezone.now() else hotseat.opening_announced_at
        hotseat.closing_reminded_at = None
    hotseat.save()
    index_hotseat(hotseat)
    return hotseat


@transaction.atomic
def summary_write(*, hotseat: HotSeat, by, summary: str) -> HotSeat:
    """The facilitator's summary of a closed hot seat, shown above the transcript."""
    if not permissions.can_moderate(by, hotseat) or not hotseat.is_closed:
        raise HotSeatError("The summary is written by a facilitator once the hot seat has closed.")
    hotseat.summary = summary
    hotseat.summary_html = render_markdown_safe(summary)
    hotseat.save(update_fields=["summary", "summary_html"])
    index_hotseat(hotseat)
    return hotseat


# --- Experts -------------------------------------------------------------------------------------------------


def expert_invite_guest(*, hotseat: HotSeat, email: str, by) -> Expert:
    """Invite someone from outside the community to be an expert: they get rights to this hot seat only."""
    email = email.strip().lower()
    expert = Expert.objects.create(hotseat=hotseat, email=email, is_guest=True)
    send_after_commit(
        to=email,
        subject=f"You are invited to be the expert in “{hotseat.title}”",
        template="hotseat_expert_invitation",
        context={"hotseat": hotseat, "expert": expert, "inviter": by, "community": hotseat.community},
    )
    return expert


@transaction.atomic
def expert_accept(*, expert: Expert, user) -> Expert:
    """A guest expert takes up their seat with the account of the invited address."""
    expert = Expert.objects.select_for_update().select_related("hotseat__community").get(pk=expert.pk)
    if expert.accepted_at is not None:
        if expert.user_id == user.pk:
            return expert
        raise HotSeatError("This expert invitation has already been used.")
    if expert.hotseat.is_closed:
        raise HotSeatError("This hot seat has closed.")
    if user.email.lower() != expert.email.lower():
        raise HotSeatError(f"This invitation was sent to {expert.email}; sign in with that address to accept it.")
    if Expert.objects.filter(hotseat=expert.hotseat, user=user).exists():
        raise HotSeatError("You are already an expert in this hot seat.")
    expert.user = user
    expert.accepted_at = timezone.now()
    expert.save(update_fields=["user", "accepted_at"])
    return expert


# --- Questions and answers -----------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, hotseat: HotSeat, asker, body: str) -> Question:
    """Ask the experts a question while the hot seat takes questions."""
    if not permissions.can_ask(asker, hotseat):
        if hotseat.is_closed:
            raise HotSeatError("This hot seat has closed, so it no longer takes questions. Your text is kept below.")
        raise HotSeatError("This hot seat is not taking questions from you yet.")
    question = Question.objects.create(hotseat=hotseat, asker=asker, body=body, body_html=render_markdown_safe(body))
    HotSeat.objects.filter(pk=hotseat.pk).update(question_count=F("question_count") + 1)
    activity.record(
        community=hotseat.community,
        actor=asker,
        verb=Verb.HOTSEAT_QUESTION_ASKED,
        target=question,
        hotseat_id=hotseat.pk,
        topic=f"hotseats.question:{question.pk}",
        question=True,
        tags=hotseat.tag_list,
    )
    return question


@transaction.atomic
def question_vote(*, question: Question, user) -> bool:
    """Upvote a question, or take the vote back; one vote per member, held by a database constraint."""
    if not permissions.can_vote(user, question):
        raise HotSeatError("You cannot vote on this question.")
    deleted, _ = Vote.objects.filter(question=question, user=user).delete()
    if deleted:
        Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") - 1)
        return False
    try:
        with transaction.atomic():
            Vote.objects.create(question=question, user=user)
    except IntegrityError:
        return True  # a concurrent click already counted this member's vote
    Question.objects.filter(pk=question.pk).update(vote_count=F("vote_count") + 1)
    return True


@transaction.atomic
def answer_post(*, question: Question, expert_user, body: str) -> Answer:
    """An expert answers a question; the asker hears about it."""
    hotseat = question.hotseat
    if not permissions.can_answer(expert_user, hotseat):
        raise HotSeatError("Only this hot seat's experts answer, while it is open.")
    answer = Answer.objects.create(
        question=question, expert=expert_user, body=body, body_html=render_markdown_safe(body)
    )
    first = Question.objects.filter(pk=question.pk, answer_count=0).update(answer_count=1)
    if not first:
        Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    else:
        HotSeat.objects.filter(pk=hotseat.pk).update(answered_count=F("answered_count") + 1)
    activity.record(
        community=hotseat.community,
        actor=expert_user,
        verb=Verb.HOTSEAT_QUESTION_ANSWERED,
        target=answer,
        hotseat_id=hotseat.pk,
        question_id=question.pk,
        asker_id=question.asker_id,
        topic=f"hotseats.question:{question.pk}",
    )
    return answer


@transaction.atomic
def question_hide(*, question: Question, by, hidden: bool = True, reason: str = "") -> Question:
    """Hide (or bring back) a question; logged."""
    hotseat = question.hotseat
    if not permissions.can_moderate(by, hotseat):
        raise HotSeatError("Only facilitators moderate questions.")
    changed = Question.objects.filter(pk=question.pk, is_hidden=not hidden).update(is_hidden=hidden)
    question.is_hidden = hidden
    if not changed:
        return question  # a repeated click (or a second facilitator) must not move the count again
    if question.merged_into_id is None:
        HotSeat.objects.filter(pk=hotseat.pk).update(question_count=F("question_count") + (-1 if hidden else 1))
    moderation.log(
        community=hotseat.community,
        moderator=by,
        action=ModerationAction.Action.HIDE if hidden else ModerationAction.Action.RESTORE,
        target=question,
        target_user=question.asker,
        summary=question.body[:300],
        reason=reason,
    )
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, by) -> Question:
    """Fold a duplicate into another question: its votes move across (once per member) and it leaves the list."""
    hotseat = question.hotseat
    if not permissions.can_moderate(by, hotseat):
        raise HotSeatError("Only facilitators merge questions.")
    if into.hotseat_id != hotseat.pk or into.pk == question.pk or into.merged_into_id is not None:
        raise HotSeatError("Choose another question of this hot seat to merge into.")
    if not Question.objects.filter(pk=question.pk, merged_into__isnull=True).update(merged_into=into, vote_count=0):
        if Question.objects.filter(pk=question.pk, merged_into=into).exists():
            return question  # a repeated click must not take it off the count again
        raise HotSeatError("This question has already been merged into another one.")
    already = Vote.objects.filter(question=into).values("user_id")
    # Nobody votes for their own question, so the target's asker's vote on the duplicate is dropped.
    moving = Vote.objects.filter(question=question).exclude(user_id__in=already).exclude(user_id=into.asker_id)
    moving.update(question=into)
    Vote.objects.filter(question=question).delete()
    question.merged_into = into
    question.vote_count = 0
    Question.objects.filter(pk=into.pk).update(vote_count=Vote.objects.filter(question=into).count())
    if not question.is_hidden:  # a hidden question already left the count
        HotSeat.objects.filter(pk=hotseat.pk).update(question_count=F("question_count") - 1)
    moderation.log(
        community=hotseat.community,
        moderator=by,
        action=ModerationAction.Action.MERGE,
        target=question,
        target_user=question.asker,
        summary=question.body[:300],
        reason=f"Merged into question {into.pk}",
    )
    return question


# --- Reminders -----------------------------------------------------------------------------------------------


def send_reminders(now=None) -> int:
    """Record "opening now" and "closing in 24 hours" once per hot seat; safe to run as often as you like."""
    now = now or timezone.now()
    count = 0
    opening = HotSeat.objects.filter(opens_at__lte=now, closes_at__gt=now, opening_announced_at__isnull=True)
    for hotseat in opening.select_related("community"):
        with transaction.atomic():
            if HotSeat.objects.filter(pk=hotseat.pk, opening_announced_at__isnull=True).update(
                opening_announced_at=now
            ):
                activity.record(community=hotseat.community, actor=None, verb=Verb.HOTSEAT_OPENED, target=hotseat)
                count += 1
    closing = HotSeat.objects.filter(
        closes_at__gt=now, closes_at__lte=now + REMINDER_BEFORE_CLOSE, closing_reminded_at__isnull=True
    )
    for hotseat in closing.select_related("community"):
        with transaction.atomic():
            if HotSeat.objects.filter(pk=hotseat.pk, closing_reminded_at__isnull=True).update(closing_reminded_at=now):
                activity.record(
                    community=hotseat.community, actor=None, verb=Verb.HOTSEAT_CLOSING_SOON, target=hotseat
                )
                count += 1
    return count


# --- Calendars ----------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, user, community: Community) -> CalendarFeed:
    """Give a member a new secret calendar address for the community; any earlier one stops working at once."""
    if not is_active_member(user, community):
        raise HotSeatError("Only members of the community have a private calendar address.")
    CalendarFeed.objects.filter(user=user, community=community).delete()
    return CalendarFeed.objects.create(user=user, community=community)


# --- Search --------------------------------------------------------------------------------------------------


def index_hotseat(hotseat: HotSeat) -> None:
    """The hot seat's search document: title, topic, summary and the experts' answers."""
    answers = Answer.objects.filter(question__hotseat=hotseat, question__is_hidden=False).values_list(
        "body_html", flat=True
    )
    body = "\n".join([hotseat.topic_html, hotseat.summary_html, *answers])
    search.index(
        target=hotseat,
        community=hotseat.community,
        kind="hotseat",
        title=hotseat.title,
        body=body,
        tags=hotseat.tag_list,
        url=hotseat.get_absolute_url(),
        author=hotseat.created_by,
        created_at=hotseat.opens_at,
    )

"""Poll writes: create, edit, vote, withdraw, close and reopen."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communities import activity, moderation, search
from communities.models import Community, ModerationAction
from cop_platform.markup import render_markdown_safe

from .. import hosts, permissions
from ..models import MAX_CHOICES, MIN_CHOICES, Ballot, BallotChoice, Choice, Poll
from .errors import PollError


def clean_labels(labels) -> list[str]:
    """Choice labels as voters will read them: trimmed, blanks dropped; 2 to 20 of them, no repeats."""
    cleaned = [" ".join(str(label).split())[:200] for label in labels]
    cleaned = [label for label in cleaned if label]
    if len(cleaned) < MIN_CHOICES:
        raise PollError(f"Give at least {MIN_CHOICES} options.")
    if len(cleaned) > MAX_CHOICES:
        raise PollError(f"A poll has at most {MAX_CHOICES} options.")
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        raise PollError("Two options read the same; make each option different.")
    return cleaned


def _check_settings(*, kind: str, max_choices: int, labels: list[str], opens_at, closes_at) -> int:
    if kind == Poll.Kind.SINGLE:
        return 1
    if not 1 <= max_choices <= len(labels):
        raise PollError(f"Voters can pick between 1 and {len(labels)} options (the number of options).")
    if closes_at is not None and opens_at is not None and closes_at <= opens_at:
        raise PollError("The poll must close after it opens.")
    return max_choices


@transaction.atomic
def poll_create(
    *,
    community: Community,
    by,
    question: str,
    choices,
    description: str = "",
    kind: str = Poll.Kind.SINGLE,
    max_choices: int = 1,
    results: str = Poll.Results.ALWAYS,
    public_voters: bool = False,
    opens_at=None,
    closes_at=None,
    host=None,
) -> Poll:
    """A poll on the Polls page, or attached to another app's page (`host`); members hear when it opens."""
    if host is None and not permissions.can_create_poll(by, community):
        raise PollError("Only facilitators put polls on the Polls page.")
    labels = clean_labels(choices)
    now = timezone.now()
    opens_at = opens_at or now
    if closes_at is not None and closes_at <= opens_at:
        raise PollError("The poll must close after it opens.")
    max_choices = _check_settings(
        kind=kind, max_choices=max_choices, labels=labels, opens_at=opens_at, closes_at=closes_at
    )
    poll = Poll(
        community=community,
        question=" ".join(question.split()),
        description=description,
        description_html=render_markdown_safe(description) if description else "",
        kind=kind,
        max_choices=max_choices,
        results=results,
        public_voters=public_voters,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=by,
    )
    if host is not None:
        poll.host = host
        hosts.set_host_object(poll, host)
        host_type = hosts.host_type_of(poll)
        same_community = getattr(host, "community_id", None) == community.pk
        if host_type is None or not same_community or not host_type.can_attach(by, host) or community.is_archived:
            raise PollError("You cannot add a poll here.")
        if Poll.objects.filter(host_type=poll.host_type, host_id=poll.host_id).exists():
            raise PollError(f"This {host_type.label} already has a poll.")
    try:
        with transaction.atomic():
            poll.save()
    except IntegrityError as exc:  # two facilitators attaching a poll to the same thread at once
        raise PollError("This page already has a poll.") from exc
    Choice.objects.bulk_create(Choice(poll=poll, label=label, position=i) for i, label in enumerate(labels))
    if poll.host_type_id is None and opens_at <= now:
        poll.opening_announced_at = now
        poll.save(update_fields=["opening_announced_at"])
        activity.record(community=community, actor=by, verb="poll_opened", target=poll)
    index_poll(poll)
    return poll


@transaction.atomic
def poll_update(*, poll: Poll, by, choices=None, **fields) -> Poll:
    """Edit a poll; once anyone has voted its options, kind and voter privacy stay as they were."""
    poll = Poll.objects.select_for_update(of=("self",)).select_related("community").get(pk=poll.pk)
    if not permissions.can_edit_poll(by, poll):
        raise PollError("This poll can no longer be edited.")
    if poll.voter_count > 0:
        current = [c.label for c in poll.choices.all()]
        if choices is not None and clean_labels(choices) == current:
            choices = None
        changed = [k for k in ("kind", "max_choices") if k in fields and fields[k] != getattr(poll, k)]
        if fields.get("public_voters") and not poll.public_voters:
            changed.append("public_voters")  # voters who trusted an anonymous poll keep that promise
        if choices is not None or changed:
            raise PollError(
                "People have voted, so the options, the kind of poll and who sees the voters cannot change."
            )
    for name, value in fields.items():
        setattr(poll, name, value)
    poll.question = " ".join(poll.question.split())
    poll.description_html = render_markdown_safe(poll.description) if poll.description else ""
    labels = clean_labels(choices) if choices is not None else [c.label for c in poll.choices.all()]
    poll.max_choices = _check_settings(
        kind=poll.kind, max_choices=poll.max_choices, labels=labels, opens_at=poll.opens_at, closes_at=poll.closes_at
    )
    if poll.closes_at is not None and poll.closes_at <= poll.opens_at:
        raise PollError("The poll must close after it opens.")
    if "closes_at" in fields:
        poll.closing_reminded_at = None
    poll.save()
    if choices is not None:
        poll.choices.all().delete()
        Choice.objects.bulk_create(Choice(poll=poll, label=label, position=i) for i, label in enumerate(labels))
    index_poll(poll)
    return poll


def _refusal(user, poll: Poll) -> str:
    if poll.is_closed:
        return "This poll has closed, so it takes no more votes. Your choice is shown below, not counted."
    if not poll.is_open:
        return "This poll is not open yet."
    return "Only active members of the community can vote in this poll."


@transaction.atomic
def vote_cast(*, poll: Poll, user, choice_ids) -> Ballot:
    """Cast or change the member's one ballot; the poll row is locked so a close and a vote never cross."""
    host = getattr(poll, "_host_object", None)
    poll = Poll.objects.select_for_update(of=("self",)).select_related("community").get(pk=poll.pk)
    if host is not None:
        hosts.set_host_object(poll, host)
    if not permissions.can_vote(user, poll):
        raise PollError(_refusal(user, poll))
    wanted = {int(pk) for pk in choice_ids}
    if not wanted:
        raise PollError("Pick an option first.")
    valid = set(Choice.objects.filter(poll=poll, pk__in=wanted).values_list("pk", flat=True))
    if valid != wanted:
        raise PollError("That option is not part of this poll.")
    if len(wanted) > poll.pick_limit:
        raise PollError(f"Pick at most {poll.pick_limit} options.")
    now = timezone.now()
    ballot = Ballot.objects.filter(poll=poll, user=user).first()
    first = ballot is None
    if first:
        ballot = Ballot.objects.create(poll=poll, user=user, created_at=now, updated_at=now)
        Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
        old = set()
    else:
        old = set(ballot.picks.values_list("choice_id", flat=True))
        Ballot.objects.filter(pk=ballot.pk).update(updated_at=now)
    removed, added = old - wanted, wanted - old
    if removed:
        BallotChoice.objects.filter(ballot=ballot, choice_id__in=removed).delete()
        Choice.objects.filter(pk__in=removed).update(vote_count=F("vote_count") - 1)
    if added:
        BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, choice_id=pk) for pk in added)
        Choice.objects.filter(pk__in=added).update(vote_count=F("vote_count") + 1)
    if first:
        activity.record(community=poll.community, actor=user, verb="poll_voted", target=poll)
    return ballot


@transaction.atomic
def vote_withdraw(*, poll: Poll, user) -> bool:
    """Take the member's ballot back while the poll is open; returns whether there was one."""
    host = getattr(poll, "_host_object", None)
    poll = Poll.objects.select_for_update(of=("self",)).select_related("community").get(pk=poll.pk)
    if host is not None:
        hosts.set_host_object(poll, host)
    if not permissions.can_vote(user, poll):
        raise PollError(_refusal(user, poll))
    ballot = Ballot.objects.filter(poll=poll, user=user).first()
    if ballot is None:
        return False
    picked = list(ballot.picks.values_list("choice_id", flat=True))
    ballot.delete()
    Choice.objects.filter(pk__in=picked).update(vote_count=F("vote_count") - 1)
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") - 1)
    return True


@transaction.atomic
def poll_close(*, poll: Poll, by) -> Poll:
    """Close a poll now; votes already cast stay, no new ones are taken. Logged."""
    poll = Poll.objects.select_for_update(of=("self",)).select_related("community").get(pk=poll.pk)
    if not permissions.can_close_poll(by, poll):
        raise PollError("Only facilitators close polls.")
    if poll.is_closed:
        return poll
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    _log(poll, by, ModerationAction.Action.CLOSE)
    return poll


@transaction.atomic
def poll_reopen(*, poll: Poll, by, closes_at=None) -> Poll:
    """Open a closed poll again, until `closes_at` (or until a facilitator closes it). Logged."""
    poll = Poll.objects.select_for_update(of=("self",)).select_related("community").get(pk=poll.pk)
    if not permissions.can_close_poll(by, poll):
        raise PollError("Only facilitators reopen polls.")
    now = timezone.now()
    if closes_at is not None and closes_at <= now:
        raise PollError("Choose a closing time in the future, or leave it empty.")
    if not poll.is_closed:
        return poll
    poll.closed_at = None
    if closes_at is not None or (poll.closes_at is not None and poll.closes_at <= now):
        poll.closes_at = closes_at
        poll.closing_reminded_at = None
    if poll.opens_at > now:
        poll.opens_at = now
    poll.save(update_fields=["closed_at", "closes_at", "closing_reminded_at", "opens_at"])
    _log(poll, by, ModerationAction.Action.REOPEN)
    return poll


def _log(poll: Poll, by, action: str) -> None:
    moderation.log(community=poll.community, moderator=by, action=action, target=poll, summary=poll.question[:300])


def index_poll(poll: Poll) -> None:
    """Polls on the Polls page are found by search; a poll in a thread is found through its thread."""
    if poll.host_type_id is not None:
        return
    labels = list(poll.choices.values_list("label", flat=True))
    search.index(
        target=poll,
        community=poll.community,
        kind="poll",
        title=poll.question,
        body="\n".join([poll.description_html, *labels]),
        url=poll.get_absolute_url(),
        author=poll.created_by,
        created_at=poll.opens_at,
    )

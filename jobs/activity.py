"""What the jobs board tells the rest of the platform happened: its verbs, and what each means
(communities/extensions).

A posting going live reaches the members whose saved searches it matches, under the "jobs" alert type (immediate,
daily or off, per community, on the email preferences page). The notice holds only while the posting is live and
readable, asked again when the digest goes out; the alert sender drops anyone who is not an active member of the
posting's community, so a private community's posting never reaches an outsider.
"""

from django.db import models
from django.urls import reverse

from communities.activity import MODERATION, excerpt, manager_ids
from communities.extensions import AlertType, EventType, Frequency, Notice
from communities.models import Flag

from . import permissions
from .models import JobSearch, Posting

JOBS = "jobs"

ALERT_TYPES = (
    AlertType(key=JOBS, label="New jobs matching my saved job searches", default=Frequency.DAILY, order=60),
)


class Verb(models.TextChoices):
    POSTING_PUBLISHED = "job_published", "advertised a job"
    POSTING_SUBMITTED = "job_submitted", "sent a job posting for approval"
    POSTING_FLAGGED = "job_flagged", "flagged a job posting"


def _posting(pk) -> Posting | None:
    return Posting.objects.select_related("community").filter(pk=pk).first()


def matching_searcher_ids(posting: Posting) -> list[int]:
    """Users whose saved searches the posting matches (anyone; the sender keeps only active members)."""
    tags = list(posting.tags.names())
    searches = JobSearch.objects.filter(
        models.Q(community__isnull=True) | models.Q(community_id=posting.community_id)
    ).only("user_id", "community_id", "tags", "working_pattern", "location")
    return list(dict.fromkeys(s.user_id for s in searches if s.matches(posting, tags)))


def summary(posting: Posting) -> str:
    parts = [posting.employer, posting.location or posting.get_working_pattern_display(), posting.salary_text]
    return " · ".join(p for p in parts if p)


def _published_notices(event) -> list[Notice]:
    """Members whose saved searches match hear of a new live posting, while it is live."""
    posting = _posting(event.target_id)
    if posting is None or not posting.is_live():
        return []

    def still_live(user) -> bool:
        current = _posting(posting.pk)
        return current is not None and current.is_live() and permissions.can_view_posting(user, current)

    return [
        Notice(
            alert_type=JOBS,
            recipients=matching_searcher_ids(posting),
            title=f"New job: {posting.title} at {posting.employer}",
            url=posting.get_absolute_url(),
            excerpt=f"{summary(posting)}. {excerpt(posting.description_html, 30)}",
            visible_to=still_live,
        )
    ]


def _submitted_notices(event) -> list[Notice]:
    """Facilitators hear of a posting waiting for approval while it still waits."""
    posting = _posting(event.target_id)
    if posting is None or posting.status != Posting.Status.PENDING:
        return []
    community = posting.community

    def still_waiting(user) -> bool:
        current = _posting(posting.pk)
        return current is not None and permissions.can_approve_posting(user, current)

    return [
        Notice(
            alert_type=MODERATION,
            recipients=manager_ids(community.pk),
            title=f"A job posting waits for approval: {posting.title}",
            url=reverse("jobs:moderation_queue", args=[community.slug]),
            excerpt=summary(posting),
            visible_to=still_waiting,
        )
    ]


def _flag_notices(event) -> list[Notice]:
    """Facilitators hear about a flag on a posting while it is open."""
    flag = Flag.objects.select_related("community").filter(pk=(event.data or {}).get("flag_id")).first()
    if flag is None or flag.status != Flag.Status.OPEN:
        return []
    community = flag.community

    def still_open(user) -> bool:
        return Flag.objects.filter(pk=flag.pk, status=Flag.Status.OPEN).exists() and permissions.can_moderate(
            user, community
        )

    return [
        Notice(
            alert_type=MODERATION,
            recipients=manager_ids(community.pk),
            title=f"A job posting was flagged: {flag.get_reason_display()}",
            url=reverse("jobs:moderation_queue", args=[community.slug]),
            excerpt=flag.note,
            visible_to=still_open,
        )
    ]


EVENT_TYPES = (
    EventType(
        verb=Verb.POSTING_PUBLISHED, phrase=Verb.POSTING_PUBLISHED.label, notices=_published_notices, in_feed=True
    ),
    EventType(verb=Verb.POSTING_SUBMITTED, phrase=Verb.POSTING_SUBMITTED.label, notices=_submitted_notices),
    EventType(verb=Verb.POSTING_FLAGGED, phrase=Verb.POSTING_FLAGGED.label, notices=_flag_notices),
)

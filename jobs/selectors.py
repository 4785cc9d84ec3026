"""Reads for the jobs pages: filtered, sorted listings of what the viewer may see, in a fixed number of queries."""

from django.db.models import Count, Q, QuerySet
from taggit.models import Tag

from communities.models import Community
from communities.permissions import membership_for

from .models import Posting

POPULAR_TAGS = 20


def listing(user, *, community: Community | None = None, filters: dict) -> QuerySet[Posting]:
    """Live postings the user may read (in one community, or in all they can see), filtered and sorted."""
    postings = Posting.objects.listed_for(user)
    if community is not None:
        postings = postings.filter(community=community)
    if location := filters.get("q"):
        postings = postings.filter(Q(location__icontains=location) | Q(working_pattern=Posting.Pattern.REMOTE))
    if pattern := filters.get("pattern"):
        postings = postings.filter(working_pattern=pattern)
    if contract := filters.get("contract"):
        postings = postings.filter(contract=contract)
    if (salary := filters.get("salary")) is not None:
        postings = postings.filter(Q(salary_max__gte=salary) | Q(salary_max__isnull=True, salary_min__gte=salary))
    if tag := filters.get("tag"):
        postings = postings.filter(tags__name__iexact=tag)
    order = ["closes_at", "pk"] if filters.get("sort") == "closing" else ["-published_at", "-pk"]
    return postings.with_saved(user).select_related("community").prefetch_related("tags").order_by(*order).distinct()


def popular_tags(user, *, community: Community | None = None) -> list[str]:
    """The most used tags on live postings the user may read, for the tag filter."""
    live = Posting.objects.listed_for(user)
    if community is not None:
        live = live.filter(community=community)
    return list(
        Tag.objects.filter(
            taggit_taggeditem_items__content_type__app_label="jobs",
            taggit_taggeditem_items__content_type__model="posting",
            taggit_taggeditem_items__object_id__in=live.values("pk"),
        )
        .annotate(uses=Count("pk"))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:POPULAR_TAGS]
    )


def baseline(user, community: Community):
    """Since when a posting counts as new for the member: their last visit to the community (or joining)."""
    membership = membership_for(user, community) if user.is_authenticated else None
    if membership is None or not membership.is_active:
        return None
    return membership.last_visit_at or membership.joined_at


def mark_new(user, postings) -> None:
    """Set `is_new` on each posting published since the member's last visit to its community (no query)."""
    since: dict[int, object] = {}
    for posting in postings:
        if posting.community_id not in since:
            since[posting.community_id] = baseline(user, posting.community)
        start = since[posting.community_id]
        posting.is_new = start is not None and posting.published_at is not None and posting.published_at > start

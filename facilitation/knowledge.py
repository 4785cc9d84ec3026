"""The knowledge map: who has shown, in practice, that they know each tag; where nobody has; who else talks
about the same things. Read from the Evidence and Topic roll-ups plus declared expertise: four queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.urls import reverse

from communities.models import Community, Membership

from .models import Evidence, LabelDay, Topic

WEIGHTS = {"accepted": 3, "hosted": 3, "library": 2, "helpful": 1, "declared": 1}
PEOPLE_PER_TAG = 10


@dataclass
class Person:
    user_id: int
    name: str
    accepted: int = 0
    helpful: int = 0
    hosted: int = 0
    library: int = 0
    declared: int = 0

    @property
    def url(self) -> str:
        return reverse("communities:profile_detail", args=[self.user_id])

    @property
    def summary(self) -> str:
        """Each kind of evidence counted, in words (plain text)."""
        parts = []
        for n, one, many in (
            (self.accepted, "accepted answer", "accepted answers"),
            (self.helpful, "helpful mark", "helpful marks"),
            (self.hosted, "hot-seat answer", "hot-seat answers"),
            (self.library, "library contribution or article", "library contributions and articles"),
        ):
            if n:
                parts.append(f"{n} {one if n == 1 else many}")
        if self.declared:
            parts.append("declares this expertise")
        return ", ".join(parts)

    @property
    def score(self) -> int:
        return sum(getattr(self, kind) * weight for kind, weight in WEIGHTS.items())


@dataclass
class TagKnowledge:
    tag: str
    people: list[Person] = field(default_factory=list)
    unanswered: int = 0
    elsewhere: list[dict] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return self.unanswered > 0 and not self.people


def _name(first, last, email) -> str:
    return f"{first} {last}".strip() or (email or "").split("@", 1)[0]


def knowledge_map(community, viewer) -> list[TagKnowledge]:
    """Every tag with evidence, declared expertise or an unanswered question, gaps first, then by tag."""
    people: dict[str, dict[int, Person]] = defaultdict(dict)
    rows = (
        Evidence.objects.filter(
            community=community,
            user__memberships__community=community,
            user__memberships__status=Membership.Status.ACTIVE,
        )
        .values("tag", "user_id", "user__first_name", "user__last_name", "user__email")
        .annotate(accepted=Sum("accepted"), helpful=Sum("helpful"), hosted=Sum("hosted"), library=Sum("library"))
    )
    for row in rows:
        people[row["tag"]][row["user_id"]] = Person(
            user_id=row["user_id"],
            name=_name(row["user__first_name"], row["user__last_name"], row["user__email"]),
            accepted=row["accepted"] or 0,
            helpful=row["helpful"] or 0,
            hosted=row["hosted"] or 0,
            library=row["library"] or 0,
        )
    declared = (
        Membership.objects.active()
        .filter(community=community, user__profile__expertise__isnull=False)
        .values_list("user__profile__expertise__name", "user_id", "user__first_name", "user__last_name", "user__email")
    )
    for tag, user_id, first, last, email in declared:
        tag = tag.lower()
        person = people[tag].get(user_id) or people[tag].setdefault(
            user_id, Person(user_id, _name(first, last, email))
        )
        person.declared = 1

    unanswered: dict[str, int] = defaultdict(int)
    for tags in Topic.objects.filter(community=community, is_question=True, first_reply_at__isnull=True).values_list(
        "tags", flat=True
    ):
        for tag in tags or []:
            unanswered[str(tag)] += 1

    tags = set(people) | set(unanswered)
    elsewhere: dict[str, list] = defaultdict(list)
    if tags:
        shared = (
            LabelDay.objects.filter(kind=LabelDay.Kind.TAG, name__in=tags)
            .filter(~Q(community=community), community__in=Community.objects.visible_to(viewer))
            .values("name", "community__name", "community__slug")
            .annotate(posts=Sum("posts"))
            .order_by("name", "-posts", "community__name")
        )
        for row in shared:
            elsewhere[row["name"]].append(
                {"name": row["community__name"], "slug": row["community__slug"], "posts": row["posts"]}
            )

    result = []
    for tag in tags:
        ranked = sorted(people.get(tag, {}).values(), key=lambda p: (-p.score, p.name))
        result.append(
            TagKnowledge(
                tag=tag,
                people=ranked[:PEOPLE_PER_TAG],
                unanswered=unanswered.get(tag, 0),
                elsewhere=elsewhere.get(tag, [])[:5],
            )
        )
    result.sort(key=lambda k: (not k.is_gap, k.tag))
    return result

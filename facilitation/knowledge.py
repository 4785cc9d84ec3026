"""The knowledge map: who has shown, in practice, that they know each tag; where nobody has; who else talks
about the same things. Read from the TagTotal and TagExpert roll-ups plus declared expertise: a few hundred rows
in four to six queries, whatever the community's size."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum, Value
from django.db.models.functions import Lower
from django.urls import reverse

from communities.models import Community, Membership

from .models import Evidence, TagExpert, TagTotal
from .rollups import EVIDENCE_KINDS, EVIDENCE_WEIGHTS, EXPERTS_PER_TAG

WEIGHTS = {**EVIDENCE_WEIGHTS, "declared": 1}
PEOPLE_PER_TAG = EXPERTS_PER_TAG


@dataclass
class Person:
    """An active member listed for one tag. The ask page hands each to the "facilitation.person" action slot,
    whose providers read `user_id`, `name`, `community` and `topic` (the tag) and may rely on the member being
    active in `community` (as of this page's queries)."""

    user_id: int
    name: str
    accepted: int = 0
    helpful: int = 0
    hosted: int = 0
    library: int = 0
    declared: int = 0
    url: str = ""  # the profile's address, set for the people shown (see `profile_urls`)
    community: Community | None = None  # set with `url`
    topic: str = ""  # the tag this person is listed for, set with `url`

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


def profile_urls():
    """Profile addresses by user id from one `reverse()`: a map shows hundreds of people, and a reverse() each
    was a third of the page's time."""
    marker = 987654321
    pattern = reverse("communities:profile_detail", args=[marker])
    head, tail = pattern.split(str(marker), 1)
    return lambda user_id: f"{head}{user_id}{tail}"


def _name(first, last, email) -> str:
    return f"{first} {last}".strip() or (email or "").split("@", 1)[0]


def knowledge_map(community, viewer) -> list[TagKnowledge]:
    """Every tag with evidence, declared expertise or an unanswered question, gaps first, then by tag.

    The people come from TagExpert (each tag's top members by evidence, kept by the roll-up task), the members
    who declare a tag, and those declarers' own evidence: a member outside a tag's top list who does not declare
    it scores no more than the ten listed, so the ten shown are the ten a count over all evidence would rank
    first (as of the task's last run: one who has left since drops out of the list until the next run)."""
    totals = dict(
        TagTotal.objects.filter(community=community)
        .filter(Q(people__gt=0) | Q(unanswered__gt=0))
        .values_list("tag", "unanswered")
    )
    declarers = Membership.objects.active().filter(community=community, user__profile__expertise__isnull=False)
    declared = list(
        declarers.values_list(
            "user__profile__expertise__name", "user_id", "user__first_name", "user__last_name", "user__email"
        )
    )
    active = {"user__memberships__community": community, "user__memberships__status": Membership.Status.ACTIVE}
    names = ("tag", "user_id", "user__first_name", "user__last_name", "user__email")
    listed = TagExpert.objects.filter(community=community, **active).values_list(*names, *EVIDENCE_KINDS)
    listed = listed.annotate(listed=Value(True))
    own = (
        Evidence.objects.filter(
            community=community,
            **active,
            user_id__in=declarers.values("user_id"),
            tag__in=declarers.values(name=Lower("user__profile__expertise__name")),
        )
        .values_list(*names)
        .annotate(*(Sum(kind) for kind in EVIDENCE_KINDS), listed=Value(False))
        .order_by()
    )
    wanted = {(tag.lower(), user_id) for tag, user_id, *_ in declared}
    people: dict[str, dict[int, Person]] = defaultdict(dict)
    for tag, user_id, first, last, email, *counts, top in listed.union(own, all=True) if declared else listed:
        if top or (tag, user_id) in wanted:
            counts = dict(zip(EVIDENCE_KINDS, (n or 0 for n in counts), strict=True))
            people[tag][user_id] = Person(user_id, _name(first, last, email), **counts)
    for tag, user_id, first, last, email in declared:
        tag = tag.lower()
        person = people[tag].get(user_id) or people[tag].setdefault(
            user_id, Person(user_id, _name(first, last, email))
        )
        person.declared = 1

    tags = set(people) | {tag for tag, unanswered in totals.items() if unanswered}
    elsewhere: dict[str, list] = defaultdict(list)
    if tags:
        shared = (
            TagTotal.objects.filter(tag__in=tags, posts__gt=0)
            .filter(~Q(community=community), community__in=Community.objects.visible_to(viewer))
            .values_list("tag", "community__name", "community__slug", "posts")
            .order_by("tag", "-posts", "community__name")
        )
        for tag, name, slug, posts in shared:
            elsewhere[tag].append({"name": name, "slug": slug, "posts": posts})

    result, url = [], profile_urls()
    for tag in tags:
        ranked = sorted(people.get(tag, {}).values(), key=lambda p: (-p.score, p.name))[:PEOPLE_PER_TAG]
        for person in ranked:
            person.url, person.community, person.topic = url(person.user_id), community, tag
        result.append(
            TagKnowledge(
                tag=tag,
                people=ranked,
                unanswered=totals.get(tag, 0),
                elsewhere=elsewhere.get(tag, [])[:5],
            )
        )
    result.sort(key=lambda k: (not k.is_gap, k.tag))
    return result

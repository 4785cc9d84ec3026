"""Library reads, shaped so each page costs the same few queries however many resources there are."""

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from communities.models import Community

from .models import GuideRevision, Resource, ResourceComment, ResourceFile, ResourceFollow, ResourceReaction
from .models import ResourceVersion as Version

HOME_FEATURED = 6
HOME_USEFUL = 6
HOME_NEWEST = 8
PAGE_SIZE = 20
KEY_LINKS_PAGE_SIZE = 100
COMMENTS_PAGE_SIZE = 30
FACET_ROWS = 2000  # facets are counted over the newest this many resources
FACET_TAGS = 30

SORTS = {
    "newest": ("Newest first", ("-created_at", "-pk")),
    "updated": ("Recently updated", ("-updated_at", "-pk")),
    "useful": ("Most useful", None),
    "downloads": ("Most downloaded", ("-download_count", "-created_at", "-pk")),
    "title": ("Title A–Z", ("title", "pk")),
}


def listed(community: Community, *, member: bool) -> QuerySet[Resource]:
    """What a reader already allowed into the community sees listed (cards show the author's name)."""
    return Resource.objects.listed_in(community, member=member).select_related("author")


def tag_filter(tag: str) -> Q:
    """Resources carrying this tag in their comma-separated list, whatever its case."""
    tag = " ".join(tag.split())
    return (
        Q(tags__iexact=tag)
        | Q(tags__istartswith=f"{tag},")
        | Q(tags__iendswith=f", {tag}")
        | Q(tags__icontains=f", {tag},")
    )


@dataclass
class Facets:
    organisations: list[tuple[str, int]] = field(default_factory=list)
    tags: list[tuple[str, int]] = field(default_factory=list)
    themes: list[tuple[str, str, int]] = field(default_factory=list)  # slug, title, count


def facets(resources: QuerySet[Resource]) -> Facets:
    """The filter options that would find something: organisations, tags and themes in use, in one query."""
    rows = resources.order_by("-created_at").values_list("organisation", "tags", "theme__slug", "theme__title")
    organisations, tags, themes, names = Counter(), Counter(), Counter(), {}
    tag_names: dict[str, str] = {}
    for organisation, tag_text, theme_slug, theme_title in rows[:FACET_ROWS]:
        if organisation:
            organisations[organisation] += 1
        for tag in filter(None, (t.strip() for t in tag_text.split(","))):
            tag_names.setdefault(tag.lower(), tag)
            tags[tag.lower()] += 1
        if theme_slug:
            themes[theme_slug] += 1
            names[theme_slug] = theme_title
    return Facets(
        organisations=sorted(organisations.items()),
        tags=[(tag_names[t], n) for t, n in sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:FACET_TAGS]],
        themes=[(slug, names[slug], n) for slug, n in sorted(themes.items(), key=lambda item: names[item[0]])],
    )


def home(community: Community, *, member: bool) -> dict:
    """The library home: pinned resources, the most useful, the newest, and the filter options."""
    resources = listed(community, member=member)
    useful = Q(helpful_count__gt=0) | Q(thanks_count__gt=0) | Q(download_count__gt=0)
    return {
        "featured": list(resources.filter(is_featured=True).order_by("-featured_at", "-pk")[:HOME_FEATURED]),
        "useful": list(resources.filter(useful).most_useful()[:HOME_USEFUL]),
        "newest": list(resources.order_by("-created_at", "-pk")[:HOME_NEWEST]),
        "facets": facets(Resource.objects.listed_in(community, member=member)),
    }


def browse(community: Community, *, member: bool, filters: dict) -> QuerySet[Resource]:
    """The filtered, sorted list behind the library's browse page."""
    resources = listed(community, member=member)
    if filters.get("kind"):
        resources = resources.filter(kind=filters["kind"])
    if filters.get("tag"):
        resources = resources.filter(tag_filter(filters["tag"]))
    if filters.get("theme"):
        resources = resources.filter(theme__slug=filters["theme"])
    if filters.get("organisation"):
        resources = resources.filter(organisation=filters["organisation"])
    if filters.get("q"):
        words = filters["q"].split()[:6]
        for word in words:
            resources = resources.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(tags__icontains=word)
            )
    sort = filters.get("sort") or "newest"
    if sort == "useful":
        return resources.most_useful()
    return resources.order_by(*SORTS.get(sort, SORTS["newest"])[1])


def key_links(community: Community, *, member: bool) -> QuerySet[Resource]:
    """Key links in the order the page groups them: by first tag, then title."""
    return listed(community, member=member).filter(kind=Resource.Kind.KEY_LINK).order_by("tags", "title", "pk")


def group_by_tag(links) -> list[tuple[str, list[Resource]]]:
    """Each link under each of its tags (untagged ones under "Other links"), tags in alphabetical order."""
    groups: dict[str, list[Resource]] = {}
    names: dict[str, str] = {}
    for link in links:
        for tag in link.tag_list or ["Other links"]:
            names.setdefault(tag.lower(), tag)
            groups.setdefault(tag.lower(), []).append(link)
    order = sorted(groups, key=lambda key: (key == "other links", key))
    return [(names[key], groups[key]) for key in order]


# --- The resource page -------------------------------------------------------------------------------------------


def resource_queryset(user) -> QuerySet[Resource]:
    """Resources with what their page header needs; for signed-in readers also their follow and reactions."""
    resources = Resource.objects.select_related("author__profile", "theme")
    if user.is_authenticated:
        mine = ResourceReaction.objects.filter(resource=OuterRef("pk"), user=user)
        resources = resources.annotate(
            is_followed=Exists(ResourceFollow.objects.filter(resource=OuterRef("pk"), user=user)),
            thanked=Exists(mine.filter(kind=ResourceReaction.Kind.THANKS)),
            found_helpful=Exists(mine.filter(kind=ResourceReaction.Kind.HELPFUL)),
        )
    return resources


@dataclass
class FileEntry:
    file: ResourceFile
    current: Version | None
    versions: list[Version]


def files_with_versions(resource: Resource) -> list[FileEntry]:
    """The resource's files, each with its current version and every version (newest first), in two queries."""
    files = list(ResourceFile.objects.filter(resource=resource))
    versions: dict[int, list[Version]] = {f.pk: [] for f in files}
    for version in Version.objects.filter(file__resource=resource).select_related("uploaded_by").order_by("-number"):
        versions[version.file_id].append(version)
    entries = []
    for file in files:
        by_pk = {v.pk: v for v in versions[file.pk]}
        entries.append(FileEntry(file, by_pk.get(file.current_version_id), versions[file.pk]))
    return entries


def revisions_summary(resource: Resource, limit: int = 10) -> list[GuideRevision]:
    return list(resource.revisions.select_related("editor").order_by("-number")[:limit])


def contributors(resource: Resource, entries: list[FileEntry], revisions: list[GuideRevision]) -> list:
    """The author first, then everyone who uploaded a version or edited the text, each once."""
    people = [resource.author] if resource.author else []
    people += [v.uploaded_by for entry in entries for v in reversed(entry.versions) if v.uploaded_by]
    people += [r.editor for r in reversed(revisions) if r.editor]
    seen, ordered = set(), []
    for person in people:
        if person.pk not in seen:
            seen.add(person.pk)
            ordered.append(person)
    return ordered


class _Counted:
    """A queryset whose length a denormalised counter already knows, so paging it costs no COUNT query."""

    ordered = True

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def comments_page(resource: Resource, page_number):
    """Published comments, oldest first, paged by the resource's comment counter."""
    comments = (
        ResourceComment.objects.filter(resource=resource, status=ResourceComment.Status.PUBLISHED, is_deleted=False)
        .select_related("author__profile")
        .order_by("created_at", "pk")
    )
    return Paginator(_Counted(comments, resource.comment_count), COMMENTS_PAGE_SIZE).get_page(page_number)


# --- Profiles ----------------------------------------------------------------------------------------------------


def profile_library(person, viewer) -> dict:
    """A member's library record, counted only over resources the viewer may open."""
    shared = Resource.objects.visible_to(viewer).filter(author=person)
    totals = shared.aggregate(
        thanks=Sum("thanks_count"), helpful=Sum("helpful_count"), downloads=Sum("download_count")
    )
    recent = list(shared.select_related("community").order_by("-created_at")[:5])
    return {
        "shared": shared.count() if len(recent) == 5 else len(recent),
        "thanks_received": totals["thanks"] or 0,
        "helpful_received": totals["helpful"] or 0,
        "downloads": totals["downloads"] or 0,
        "recent": recent,
    }

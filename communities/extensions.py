"""The extension registry: the one way sibling apps plug into each other without importing each other.

## The contract

Every extension point is a frozen, keyword-only dataclass below. An app that *provides* something builds one and
calls `register(item)` (or `register(a, b, c)`) from its `AppConfig.ready()`, and nowhere else. An app that
*hosts* the extension point never names the provider: it asks the registry, with `registered(Kind)` for all items
of a kind (sorted by `order`, then `key`) or `lookup(Kind, key)` / `event_type(verb)` / `alert_type(key)` for one.
Keys are unique per kind: registering the same item twice is harmless, another item under a taken key is an
error at start-up (two apps claiming one verb is a bug, not a preference).

| kind | key | who hosts it | what the provider declares |
|---|---|---|---|
| `Rule` | `"forums.reply"` | `{% can %}`, tabs, alert audiences | a `can_*(user[, obj]) -> bool` function |
| `CommunityTab` | `"forums"` | the community header | label, URL name (takes the slug), rule, a waiting count |
| `ProfileSection` | `"forums"` | member profiles | a template and its context `(person, viewer) -> dict` |
| `DemoSeeder` | `"forums"` | `manage.py seed_demo` | an idempotent `seed(cast)` |
| `CommunitySetup` | `"forums"` | `community_create` (a service) | `setup(community)`: what a new one starts with |
| `SearchKind` | `"reply"` | search results and filter | the label of a `SearchDocument.kind` |
| `EventType` | the verb | feeds, alerts, digests, analytics | phrase, notices, participation rung, feed visibility |
| `AlertType` | `"replies"` | email preferences, alerts | label, default frequency, who may choose it |
| `NewsletterSection` | `"unanswered"` | the monthly newsletter | `build(community, start, end) -> section` |
| `CalendarSource` | `"hotseats"` | the community calendar feed | `items(community, since) -> [CalendarItem]` |
| `Milestone` | `"newsletters.sent"` | activity charts | `items(community, since, until) -> [(when, label)]` |
| `PageBlock` | `"polls.poll"` | a named slot in another app's page | template, context, when to show |
| `ObjectAction` | `"library.save_as_guide"` | a named slot on another app's object | label, URL, rule |
| `AttachmentKind` | `"library.files"` | another app's objects and their forms | batch loader, templates, save hook |
| `ContentSource` | `"forums.thread"` | apps that write up or follow up an object | `load(viewer, pk)`, `followed_up` |
| `FeedSource` | `"library"` | a community's Atom feeds | title, `entries(community, viewer, limit, params)` |

## Activity, the one event

Lower layers tell upper ones what happened with `communities.activity.record(verb=...)`. The producing app owns
its verbs (a `TextChoices` in its `activity.py`) and registers one `EventType` per verb. Layer-4 apps
(newsletters, facilitation) look the type up and never name another app's verbs or models:

- `phrase` follows the actor's name in feeds ("Tom *replied in a thread*"); `in_feed` says whether the event is
  public enough for a community's activity feed (moderation and join requests are not);
- `notices(event)` says who should hear about it, as `Notice`s in order of specificity (a reply *to me* beats a
  reply in a thread I follow): recipients' user ids, the alert text, link and excerpt, the `AlertType` key it
  comes under, and `visible_to(user)`, asked again whenever the notice is sent (at once or in tomorrow's digest).
  Return no notice for something that no longer holds (a hot seat "coming up" that has opened). The actor, people
  who are not active members and people who muted that alert type never hear, whatever `notices` returns;
- `feed_links`, `feed_phrase`, `feed_phrase_many` let the community's recent activity name and link what the
  event is about, loaded in bulk per verb ("Tom replied 3 times in *Benefits maps*");
- `rung` places the event on the ladder of participation, `Rung.READ` up to `Rung.HOST` (None: not participation,
  e.g. facilitation or the clock). Analytics and newsletter reports read it.

Events also carry a few facts in `data` under shared keys, so analytics (facilitation) can read them without
knowing the producing app:

- `topic`: a key naming the conversation the event starts or joins, "<app>.<kind>:<pk>" ("forums.thread:12");
- `question`: True on the event that asks a question (a question thread, a hot-seat question); later events with
  the same `topic` and an answering rung are its replies (time to first reply, questions answered);
- `tags` (a list of tag names) and `category` (a label) on the event that starts a topic or adds a resource;
- `credit_to` (a user id) and `credit` ("helpful", "thanks") on an event that recognises someone's work.

Alert types are registered too, so an app adds its own preference ("jobs", "messages") without a migration:
members' choices are stored per community as a JSON map keyed by `AlertType.key`.

A `CommunityTab` with a `count` shows how much waits behind it ("Requests 3"). The figure is kept on the
community row (`Community.waiting`), so a tab bar costs no query: a service that adds to or clears what a tab
counts calls `communities.services.waiting_recount(community=...)` last, and the queue page corrects any drift.

## Hooks between content apps

A hosting page asks for a named slot, e.g. `"forums.thread"` (the thread page) or `"forums.post"` (each post);
the registry answers with whatever any app registered for it. With nothing registered, a slot costs no query.
`PageBlock` and `ObjectAction` are asked with `blocks_for(slot, obj, user)` / `actions_for(slot, obj, user)`;
`AttachmentKind` with `attachments_for(target, objects, user)` (one call per page, so providers load in bulk)
and `save_attachments(target, obj, request)` right after the host's service created the object, inside the same
transaction (a provider refuses with `ValidationError`, and the host keeps the user's text and rolls back).
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

T = TypeVar("T")


# --- Vocabulary shared by providers and hosts --------------------------------------------------------------------


class Rung(models.IntegerChoices):
    """The ladder of participation, from the periphery to the core of a community (ordered: compare with <)."""

    READ = 1, "read"
    REACT = 2, "react"
    VOTE = 3, "vote"
    ASK = 4, "ask"
    ANSWER = 5, "answer"
    ACCEPTED_ANSWER = 6, "accepted answer"
    HOST = 7, "host"


class Frequency(models.TextChoices):
    """How a member wants one alert type: at once, gathered into the daily digest, or not at all."""

    IMMEDIATE = "immediate", "Immediately"
    DAILY = "daily", "In a daily digest"
    OFF = "off", "Off"


@dataclass(frozen=True, kw_only=True)
class Notice:
    """One reason some people should hear about an event. `visible_to(user)` is asked again at sending time."""

    alert_type: str  # the key of a registered AlertType
    recipients: Collection[int]  # user ids; the actor and non-members are dropped by the sender
    title: str  # the email subject and the digest line, e.g. "Ana replied to you in “Benefits maps”"
    url: str  # a path on this site
    excerpt: str = ""  # plain text
    visible_to: Callable[[Any], bool] = lambda user: True


@dataclass(frozen=True, kw_only=True)
class FeedLink:
    """What an activity-feed entry is about: its name and where it is ("A one-page benefits profile template")."""

    title: str
    url: str  # a path on this site


@dataclass(frozen=True, kw_only=True)
class CalendarItem:
    """One dated thing for calendars (iCalendar feeds, "coming up" lists)."""

    uid: str  # stable across edits, e.g. "hotseat-12"
    title: str
    starts_at: datetime
    ends_at: datetime
    url: str  # a path on this site
    description: str = ""  # plain text; never anything only some readers may see (an online joining link)
    sequence: int = 0  # bumped on each reschedule
    location: str = ""  # empty: the community's name
    cancelled: bool = False  # calendars keep the item and show it STATUS:CANCELLED


# --- The kinds of extension ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A permission rule the templates may ask with `{% can "<key>" obj as name %}` (or without obj)."""

    key: str  # "<app>.<action>"
    check: Callable[..., bool]  # check(user, obj) or check(user)
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class CommunityTab:
    """A tab in every community's header, shown to whoever passes `rule` (default: readers of the community)."""

    key: str  # also the value of the page's `tab` context variable that marks it current
    label: str
    url_name: str  # reversed with the community's slug
    order: int = 50
    rule: str | None = None  # a registered Rule key, asked with (user, community)
    # What waits behind the tab, e.g. join requests: a queryset whose rows are counted (all tabs in one query).
    count: Callable[[Any], models.QuerySet] | None = None


@dataclass(frozen=True, kw_only=True)
class ProfileSection:
    """A section on member profiles; `context` must only count what the viewer may see."""

    key: str
    template: str
    context: Callable[[Any, Any], dict]  # (person, viewer) -> template context
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class DemoSeeder:
    """Adds an app's demo content to `manage.py seed_demo`; must be idempotent."""

    key: str
    seed: Callable[[dict], None]  # seed(cast): cast names the demo's communities and people
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class CommunitySetup:
    """What a new community starts with from an app (the forums' first category), so its owner can post at once.
    Called inside `community_create`'s transaction."""

    key: str
    setup: Callable[[Any], None]  # setup(community)
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class SearchKind:
    """How one `SearchDocument.kind` is named in search results and in the search form's filter."""

    key: str
    label: str
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class EventType:
    """What one activity verb means to the rest of the platform (see the module docstring)."""

    verb: str
    phrase: str  # follows the actor's name: "replied in a thread"
    notices: Callable[[Any], Iterable[Notice]] | None = None  # notices(event), most specific first
    rung: Rung | None = None
    in_feed: bool = False
    # The feed names what an event is about: `feed_links(events, viewer)` loads the targets of many events of this
    # verb at once (one query) and answers {event pk: FeedLink} for those the viewer may open; `feed_phrase` then
    # reads before the link ("replied in"), `feed_phrase_many` for repeats collapsed ("replied {n} times in").
    feed_links: Callable[[Sequence[Any], Any], dict[int, FeedLink]] | None = None
    feed_phrase: str = ""
    feed_phrase_many: str = ""
    order: int = 50

    @property
    def key(self) -> str:
        return self.verb


@dataclass(frozen=True, kw_only=True)
class AlertType:
    """A kind of alert members choose a frequency for, per community, on their email preferences page."""

    key: str  # stored in members' preferences: never rename one
    label: str
    default: str = Frequency.DAILY
    order: int = 50
    audience: str | None = None  # a registered Rule key asked with (user, community); None: every member


@dataclass(frozen=True, kw_only=True)
class NewsletterSection:
    """A section of the monthly newsletter draft.

    `build(community, start, end)` returns {"key", "title", "items": [{"title", "url", "summary", "meta"}]}, with
    only what every member may read (nothing hidden or held), links as paths; an empty section is left out.
    """

    key: str
    build: Callable[[Any, datetime, datetime], dict]
    order: int = 50
    article_choice: bool = False  # its items may be picked as the article of the month
    default_article: bool = False  # its first item is the article of the month unless a facilitator changes it


@dataclass(frozen=True, kw_only=True)
class CalendarSource:
    """Dated things an app contributes to community calendars."""

    key: str
    label: str
    items: Callable[[Any, datetime], Iterable[CalendarItem]]  # items(community, since)
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class Milestone:
    """Dated moments an app marks on a community's activity charts (newsletter sends, events)."""

    key: str
    label: str
    items: Callable[[Any, datetime, datetime], Iterable[tuple[datetime, str]]]  # (community, since, until)
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class PageBlock:
    """A block another app shows inside a host page's named slot (a poll in a thread)."""

    key: str
    slot: str  # e.g. "forums.thread"
    template: str
    context: Callable[[Any, Any], dict | None]  # (obj, user) -> context, or None to show nothing for this object
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class ObjectAction:
    """An action another app offers on a host's object ("save this thread as a guide")."""

    key: str
    slot: str  # e.g. "forums.thread"
    label: str
    url: Callable[[Any], str]  # url(obj)
    rule: str  # a registered Rule key asked with (user, obj)
    label_for: Callable[[Any], str] | None = None  # a label naming the object ("Ask Eve"), else `label`
    method: str = "get"  # "post" renders a button in a form with a CSRF token
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class AttachmentKind:
    """Things another app attaches to a host's objects (library files on posts and answers)."""

    key: str
    target: str  # the host's object kind, e.g. "forums.post" or "hotseats.answer"
    load: Callable[[Sequence[Any], Any], dict[int, list]]  # (objects, viewer) -> {obj.pk: [attachment, ...]}
    template: str  # renders one object's attachments: context {"attachments": [...], "object": obj}
    form_template: str | None = None  # fields added to the host's write form (the form must be multipart)
    save: Callable[[Any, Any], None] | None = None  # save(obj, request); may raise ValidationError
    order: int = 50


@dataclass(frozen=True, kw_only=True)
class ContentPart:
    """One part of what an object says, e.g. a thread's opening post or its accepted answer."""

    key: str  # "opening", "accepted"
    label: str  # "The question", "The accepted answer"
    author: str  # a display name
    body: str  # Markdown, as written
    obj: Any = None  # the object holding this part (a post), e.g. for attaching something to it


@dataclass(frozen=True, kw_only=True)
class Content:
    """What one object says, as a viewer may read it, for another app to quote or write up."""

    title: str
    url: str  # a path on this site
    community_id: int
    author_id: int | None
    obj: Any  # the object itself, for a generic link back (GenericForeignKey)
    tags: tuple[str, ...] = ()
    parts: tuple[ContentPart, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ContentSource:
    """An app lets others read one kind of its objects ("save this thread as a guide" needs the thread's text)."""

    key: str  # the object kind, e.g. "forums.thread"
    load: Callable[[Any, int], Content | None]  # (viewer, pk) -> Content, or None when the viewer may not read it
    order: int = 50
    # Told when another app opened something from the object (a follow-up thread from an event): (obj, url, by).
    followed_up: Callable[[Any, str, Any], None] | None = None


@dataclass(frozen=True, kw_only=True)
class FeedEntry:
    """One entry of an Atom feed, as the feed's reader may see it."""

    uid: str  # stable across edits, e.g. "thread-12"; the feed turns it into a tag: URI
    title: str
    url: str  # a path on this site
    updated: datetime
    published: datetime | None = None
    author: str = ""  # a display name
    summary: str = ""  # plain text
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class FeedSource:
    """An Atom feed an app offers for each community, at /c/<slug>/feeds/<key>/.

    `entries(community, viewer, limit, params)` returns the newest entries first, holding only what `viewer` may
    read (the viewer is anonymous for a public feed, or the member whose secret address is being read); `params`
    are the feed address's query parameters (e.g. {"tag": "risk"}), which a source may use to narrow the feed and
    otherwise ignores. `page_url_name`, if set, is the page the feed mirrors (reversed with the community's slug),
    which links to it for autodiscovery.
    """

    key: str
    title: str
    entries: Callable[[Any, Any, int, dict], Iterable[FeedEntry]]
    page_url_name: str | None = None
    order: int = 50


KINDS = (
    Rule,
    CommunityTab,
    ProfileSection,
    DemoSeeder,
    CommunitySetup,
    SearchKind,
    EventType,
    AlertType,
    NewsletterSection,
    CalendarSource,
    Milestone,
    PageBlock,
    ObjectAction,
    AttachmentKind,
    ContentSource,
    FeedSource,
)

# --- The registry ----------------------------------------------------------------------------------------------

_registry: dict[type, dict[str, Any]] = {kind: {} for kind in KINDS}
_sorted: dict[type, tuple] = {}


def register(*items: T) -> T:
    """Add items to the registry (call from AppConfig.ready()); returns the last one."""
    for item in items:
        kind = type(item)
        if kind not in _registry:
            raise ImproperlyConfigured(f"{item!r} is not an extension kind")
        taken = _registry[kind].get(item.key)
        if taken is not None and taken != item:
            raise ImproperlyConfigured(f"Two apps register {kind.__name__} {item.key!r}: {taken!r} and {item!r}")
        _registry[kind][item.key] = item
        _sorted.pop(kind, None)
    return items[-1]


def unregister(*items) -> None:
    """Take items out again (tests that register a fake app's extensions)."""
    for item in items:
        if _registry[type(item)].get(item.key) == item:
            del _registry[type(item)][item.key]
            _sorted.pop(type(item), None)


def registered(kind: type[T]) -> tuple[T, ...]:
    """Every registered item of a kind, by order then key."""
    if kind not in _sorted:
        _sorted[kind] = tuple(sorted(_registry[kind].values(), key=lambda item: (item.order, item.key)))
    return _sorted[kind]


def lookup(kind: type[T], key: str) -> T | None:
    return _registry[kind].get(key)


def event_type(verb: str) -> EventType | None:
    return _registry[EventType].get(verb)


def alert_type(key: str) -> AlertType | None:
    return _registry[AlertType].get(key)


def check(rule_key: str, user, *obj) -> bool:
    """Ask a registered rule; an unknown key is a programming error."""
    rule = _registry[Rule].get(rule_key)
    if rule is None:
        raise ImproperlyConfigured(f"No permission rule {rule_key!r} is registered")
    return rule.check(user, *obj)


# --- Questions hosts ask -----------------------------------------------------------------------------------------


def feed_verbs() -> list[str]:
    """Verbs public enough for a community's activity feed."""
    return [t.verb for t in registered(EventType) if t.in_feed]


def verbs_at(lowest: Rung, highest: Rung = Rung.HOST) -> list[str]:
    """Verbs whose participation rung lies between `lowest` and `highest`, both included."""
    return [t.verb for t in registered(EventType) if t.rung is not None and lowest <= t.rung <= highest]


def blocks_for(slot: str, obj, user) -> list[tuple[str, dict]]:
    """(template, context) for each block registered for the slot that has something to show for `obj`."""
    blocks = []
    for block in registered(PageBlock):
        if block.slot == slot and (context := block.context(obj, user)) is not None:
            blocks.append((block.template, context))
    return blocks


def actions_for(slot: str, obj, user) -> list[tuple[ObjectAction, str]]:
    """(action, href) for each action registered for the slot that `user` may take on `obj`."""
    return [
        (action, action.url(obj))
        for action in registered(ObjectAction)
        if action.slot == slot and check(action.rule, user, obj)
    ]


@dataclass
class Attachments:
    """The attachments of one page's objects: `of(obj)` lists (template, context) to render under each."""

    by_kind: list[tuple[AttachmentKind, dict[int, list]]] = field(default_factory=list)

    def of(self, obj) -> list[tuple[str, dict]]:
        return [
            (kind.template, {"attachments": found[obj.pk], "object": obj})
            for kind, found in self.by_kind
            if found.get(obj.pk)
        ]


def attachments_for(target: str, objects: Sequence, user) -> Attachments:
    """Load every registered kind's attachments of these objects (one call per page: providers load in bulk)."""
    kinds = [kind for kind in registered(AttachmentKind) if kind.target == target]
    if not kinds or not objects:
        return Attachments()
    return Attachments([(kind, kind.load(objects, user)) for kind in kinds])


def attachment_forms(target: str) -> list[str]:
    """Templates of the fields other apps add to the host's write form for `target`."""
    return [kind.form_template for kind in registered(AttachmentKind) if kind.target == target and kind.form_template]


def save_attachments(target: str, obj, request) -> None:
    """Let each provider save what the request attached to `obj`; call inside the host's transaction."""
    for kind in registered(AttachmentKind):
        if kind.target == target and kind.save is not None:
            kind.save(obj, request)


def calendar_items(community, since: datetime) -> list[CalendarItem]:
    """Every source's dated items for a community from `since` on, by start time."""
    items = [item for source in registered(CalendarSource) for item in source.items(community, since)]
    return sorted(items, key=lambda item: (item.starts_at, item.uid))


def content_of(key: str, viewer, pk: int) -> Content | None:
    """What the object `pk` of kind `key` says, if a source is registered and the viewer may read it."""
    source = lookup(ContentSource, key)
    return source.load(viewer, pk) if source is not None else None


def followed_up(key: str, obj, url: str, by) -> None:
    """Tell the source of `obj` that a follow-up was opened at `url` (call inside the writer's transaction)."""
    source = lookup(ContentSource, key)
    if source is not None and source.followed_up is not None:
        source.followed_up(obj, url, by)


def feed_sources_for_page(url_name: str) -> list[FeedSource]:
    """The feeds that mirror the page with this URL name (for `<link rel="alternate">`)."""
    return [source for source in registered(FeedSource) if source.page_url_name == url_name]

"""Plain helpers shared by the newsletter and alert tests (fixtures stay in each module)."""

import re
from datetime import datetime, time
from html import unescape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent
from forums import services as forum_services
from forums.models import Category, Thread
from newsletters import alerts
from newsletters.models import Newsletter, Subscription


def make_category(community, name: str = "Questions", slug: str = "questions") -> Category:
    return Category.objects.create(community=community, name=name, slug=slug)


def start_thread(category, author, *, title: str, body: str = "What do you all think?", kind=Thread.Kind.DISCUSSION):
    return forum_services.thread_create(category=category, author=author, kind=kind, title=title, body=body)


def reply(thread, author, body: str = "Here is how we do it.", parent=None):
    return forum_services.post_reply(thread=thread, author=author, body=body, parent=parent)


def undispatched() -> list[int]:
    return list(ActivityEvent.objects.filter(dispatched_at__isnull=True).order_by("pk").values_list("pk", flat=True))


def dispatch_all() -> int:
    """What the alert task would do for every event recorded so far; returns the alerts created."""
    return sum(alerts.dispatch(event_id) for event_id in undispatched())


def subscribe(user, community, **frequencies) -> Subscription:
    """Set some of the member's alert frequencies in a community, e.g. subscribe(tom, ppm, followed="daily")."""
    subscription, _ = Subscription.objects.get_or_create(user=user, community=community)
    subscription.alerts = {**subscription.alerts, **frequencies}
    subscription.save(update_fields=["alerts"])
    return subscription


def mails_to(outbox, user) -> list:
    return [m for m in outbox if m.to == [user.email]]


def html_part(message) -> str:
    (content, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return content


def text_of(html) -> str:
    """What a reader sees: the page's text without tags, whitespace collapsed."""
    if not isinstance(html, str):
        html = html.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def item(title: str, url: str, summary: str = "", meta: str = "") -> dict:
    return {"title": title, "url": url, "summary": summary, "meta": meta}


def make_newsletter(community, *, sections=None, article=None, period=None, **kw) -> Newsletter:
    """An issue with hand-made sections (a list of (key, title, items))."""
    sections = sections or [("threads", "Conversations", [item("Benefits maps", "/c/ppm/forums/t/1/")])]
    period = period or timezone.localdate().replace(day=1)
    kw.setdefault("subject", f"{community.name}: {period:%B %Y}")
    kw.setdefault("intro", "Hello everyone")
    kw.setdefault("intro_html", "<p>Hello everyone</p>")
    return Newsletter.objects.create(
        community=community,
        period=period,
        sections=[{"key": key, "title": title, "items": items} for key, title, items in sections],
        article=article,
        **kw,
    )


LONDON = ZoneInfo(settings.TIME_ZONE)


def local(day, hour=12, minute=0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def url(name: str, newsletter: Newsletter, *extra) -> str:
    return reverse(f"newsletters:{name}", args=[newsletter.community.slug, newsletter.pk, *extra])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []

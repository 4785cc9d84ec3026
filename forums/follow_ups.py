"""Follow-up discussions opened from another app's object (an event's notes), through the registry only.

An app that hosts the "<kind>" object-action slot and registers a `ContentSource` for the same kind, with a rule
"<kind>.open_follow_up" saying when one may be opened, gets an "Open a follow-up discussion" action: it leads to
the new-thread form filled in from the object's content, and the source is told the thread's address once it
exists (`extensions.followed_up`). Forums never imports the other app.
"""

from django.urls import reverse

from communities import extensions
from communities.extensions import ObjectAction, Rule

from .models import Category
from .permissions import can_start_thread

SOURCES = ("events.event",)


def can_open_follow_up(user, obj) -> bool:
    """Whoever may start a thread in the object's community, when the object's app says a follow-up is due."""
    if not extensions.check(f"{obj._meta.app_label}.open_follow_up", user, obj):
        return False
    return any(can_start_thread(user, c) for c in Category.objects.active().filter(community=obj.community))


def follow_up_url(obj) -> str:
    key = f"{obj._meta.app_label}.{obj._meta.model_name}"
    return f"{reverse('forums:thread_create', args=[obj.community.slug])}?from={key}:{obj.pk}"


def source_of(request) -> tuple[str, extensions.Content] | None:
    """The object a new thread follows up (`?from=<kind>:<pk>`), as the viewer may read it, or None."""
    key, _, pk = (request.GET.get("from") or request.POST.get("from") or "").rpartition(":")
    if key not in SOURCES or not pk.isdigit():
        return None
    content = extensions.content_of(key, request.user, int(pk))
    if content is None or not extensions.check("forums.open_follow_up", request.user, content.obj):
        return None
    return key, content


def initial_for(content: extensions.Content) -> dict:
    quoted = "\n\n".join(part.body for part in content.parts)[:4000]
    return {
        "title": f"Follow-up: {content.title}"[:200],
        "body": f"Continuing the discussion from [{content.title}]({content.url}).\n\n{quoted}".strip(),
        "tags": ", ".join(content.tags),
    }


EXTENSIONS = (
    Rule(key="forums.open_follow_up", check=can_open_follow_up),
    *(
        ObjectAction(
            key=f"forums.follow_up:{slot}",
            slot=slot,
            label="Open a follow-up discussion",
            url=follow_up_url,
            rule="forums.open_follow_up",
        )
        for slot in SOURCES
    ),
)

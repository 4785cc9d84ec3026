"""The posts of a thread page, each rendered once and kept in the cache under a key made of everything it shows.

A post's fragment (`forums/_post.html`) is a pure function of one flat dict of plain values built by
`post_context`: the post's text, state and counts, its author's name, avatar and expert badge, its links, its time
in the viewer's zone, and the viewer's rights and reactions on it. The cache key hashes that dict with the
template's source. So every change a reader would notice (an edit, a hide or restore, a reaction, a new name or
avatar, another viewer's rights) gives another key: nothing needs invalidating, nothing stale can be served, and
viewers whose facts on a post are equal share one rendering (every anonymous visitor, most members).

Two things differ per request and stay out of the cached text: the CSRF token (each form carries the request's
own) and the attachments (who may open a library file is asked per viewer). Rendering puts a random marker in
their place, unknown to anyone who writes a post, and each request puts its own values there on the way out.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from cop_platform.fragments import content_keys

from .models import Post

TEMPLATE = "forums/_post.html"
TIMEOUT = 7 * 24 * 3600  # keys never go stale; this only lets unused renderings leave the cache
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class PageFacts:
    """What every post of one thread page shares: the page's rights, the thread's asker and the link bases."""

    viewer_id: int | None
    thread_author_id: int | None
    thread_link: str  # the thread's address, base of reply/quote/accept links
    post_base: str  # a post's permalink is f"{post_base}{pk}/"
    people_base: str  # a profile is f"{people_base}{user pk}/"
    moderator: bool
    can_reply: bool
    can_accept: bool
    rights: Callable[[Post], tuple[bool, bool, bool, bool]]  # forums.permissions.post_rights(user, thread)


def when(moment) -> tuple[str, str]:
    """A time as the date filters 'Y-m-d\\TH:i:sO' and 'j M Y, H:i' print it, in the current zone."""
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%dT%H:%M:%S%z"), f"{local.day} {MONTHS[local.month - 1]} {local:%Y, %H:%M}"


def post_context(
    post: Post,
    page: PageFacts,
    *,
    indent: int = 0,
    is_new: bool = False,
    thanked: bool = False,
    found_helpful: bool = False,
    accepted: bool = False,
    copy: bool = False,
) -> dict:
    """Everything `forums/_post.html` shows for one post to one viewer, as plain values (the cache key hashes it).

    `copy`: the accepted answer repeated above the replies, without the id and the actions of the post itself.
    """
    author = post.author
    profile = getattr(author, "profile", None) if author is not None else None
    avatar = profile.avatar if profile is not None else None
    can_edit, can_delete, can_react, can_flag = page.rights(post)
    published = post.status == Post.Status.PUBLISHED
    created_iso, created_label = when(post.created_at)
    return {
        "pk": post.pk,
        "anchor": "" if copy else post.anchor,
        "copy": copy,
        "indent": indent,
        "status": post.status,
        "is_new": is_new,
        "accepted": accepted,
        "avatar_url": avatar.url if avatar else "",
        "initials": (
            ((author.first_name[:1] or author.email)[:1].upper() + author.last_name[:1].upper()) if author else ""
        ),
        "author_name": author.display_name if author else "",
        "author_link": f"{page.people_base}{post.author_id}/" if post.author_id else "",
        # As ever: a reply whose author is gone, in a thread whose asker is gone, counts as the asker's.
        "asker": post.author_id == page.thread_author_id and not post.is_opening,
        "expert": bool(profile and profile.is_expert),
        "link": f"{page.post_base}{post.pk}/",
        "created_iso": created_iso,
        "created_label": created_label,
        "edited": post.edited_at is not None,
        "mine": page.viewer_id is not None and post.author_id == page.viewer_id,
        "deleted": post.is_deleted,
        "body_html": post.body_html,
        "thanks_count": post.thanks_count,
        "helpful_count": post.helpful_count,
        "can_react": can_react,
        "thanked": thanked,
        "found_helpful": found_helpful,
        "thread_link": page.thread_link,
        "show_reply": page.can_reply and published,
        "show_accept": page.can_accept and published and not post.is_opening,
        "can_edit": can_edit,
        "can_delete": can_delete,
        "can_flag": can_flag,
        "moderator": page.moderator,
    }


def _render(template, context: dict) -> tuple[str, str, str]:
    csrf_mark, files_mark = secrets.token_hex(16), secrets.token_hex(16)
    html = template.render({**context, "csrf_token": csrf_mark, "attachments": mark_safe(files_mark)})
    return str(html), csrf_mark, files_mark


def _attachments_html(pieces, request) -> str:
    # What {% attachments_of post %} renders: each provider's template for this post, for this viewer.
    return "".join(render_to_string(name, {**ctx, "request": request}) for name, ctx in pieces)


def render_posts(request, posts: list[tuple[dict, list]]) -> list[SafeString]:
    """The HTML of each (context, attachments) pair, from the cache where it was rendered before: one round trip
    to read them all and, for those rendered now, one to store them."""
    template = get_template(TEMPLATE)
    keys = content_keys("forums:post", template, [context for context, _ in posts])
    found = cache.get_many(keys)
    rendered = {}
    token = None
    out = []
    for key, (context, attachments) in zip(keys, posts, strict=True):
        entry = found.get(key) or rendered.get(key)
        if entry is None:
            entry = rendered[key] = _render(template, context)
        html, csrf_mark, files_mark = entry
        if files_mark in html:
            html = html.replace(files_mark, _attachments_html(attachments, request) if attachments else "")
        if csrf_mark in html:
            # Asked only when a form is shown: an anonymous reader's page sets no CSRF cookie, as before.
            token = token or get_token(request)
            html = html.replace(csrf_mark, token)
        out.append(mark_safe(html))  # rendered by the template, autoescape on
    if rendered:
        cache.set_many(rendered, TIMEOUT)
    return out

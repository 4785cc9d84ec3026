from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from communities import extensions
from communities.extensions import CommunityTab, ObjectAction
from communities.permissions import can_view_community
from cop_platform.links import site_links, url_with_slug

register = template.Library()


@register.simple_tag
def search_url(community=None, **params):
    """A link to the site search in the terms its form takes: a community by its slug; `kind`, `tag`, `q` as given
    (empty ones left out). Every link to search is built here, so none can carry a value the form refuses."""
    query = {"community": community.slug} if community is not None else {}
    query.update((name, value) for name, value in params.items() if value)
    url = site_links()["search"]
    return f"{url}?{urlencode(query)}" if query else url


def _user(context):
    request = context.get("request")
    return request.user if request is not None else context.get("user") or AnonymousUser()


@register.simple_tag(takes_context=True)
def can(context, rule_name, *obj):
    """`{% can "communities.manage_members" community as allowed %}` (or `{% can "communities.create" as x %}`):
    ask a registered rule."""
    try:
        return extensions.check(rule_name, _user(context), *obj)
    except ImproperlyConfigured as exc:
        raise template.TemplateSyntaxError(str(exc)) from exc


@register.filter
def duration(value):
    """A timedelta as '3 h 20 min' or '2 days 4 h'."""
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@register.inclusion_tag("includes/_pagination.html", takes_context=True)
def pagination(context, page):
    """`{% pagination page %}`: previous/next links that keep the list's filters and carry exactly one `page`."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params.pop("page", None)
    return {"page": page, "query": params.urlencode()}


@register.simple_tag(takes_context=True)
def community_tabs(context, community):
    """The registered tabs the current user may open, as (key, label, url, how many wait or None)."""
    user = context["request"].user
    if not can_view_community(user, community):
        return []
    tabs = [
        tab
        for tab in extensions.registered(CommunityTab)
        if tab.rule is None or extensions.check(tab.rule, user, community)
    ]
    # Counts come from the community row the page already has: a tab bar costs no query.
    waiting = community.waiting or {}
    return [
        (tab.key, tab.label, url_with_slug(tab.url_name, community.slug), waiting.get(tab.key) if tab.count else None)
        for tab in tabs
    ]


@register.simple_tag
def community_links(community):
    """The community header's own links: its home and its feeds page (no resolver walk)."""
    return {
        "home": community.get_absolute_url(),
        "feeds": url_with_slug("communities:feed_list", community.slug),
    }


def _render_each(pieces, request) -> str:
    return mark_safe("".join(render_to_string(name, {**ctx, "request": request}) for name, ctx in pieces))  # noqa: S308


@register.simple_tag(takes_context=True)
def page_blocks(context, slot, obj):
    """Blocks other apps registered for this slot of the page (nothing, and no query, when there are none)."""
    return _render_each(extensions.blocks_for(slot, obj, _user(context)), context.get("request"))


@register.simple_tag(takes_context=True)
def attachments_of(context, obj):
    """The attachments other apps hold for `obj`, as loaded by the view into `obj.attachments`."""
    return _render_each(getattr(obj, "attachments", ()), context.get("request"))


@register.inclusion_tag("includes/_object_actions.html", takes_context=True)
def object_actions(context, slot, obj):
    """Actions other apps offer on this object, those the user may take."""
    actions = extensions.actions_for(slot, obj, _user(context)) if extensions.registered(ObjectAction) else []
    labelled = [
        (action, href, action.label_for(obj) if action.label_for else action.label) for action, href in actions
    ]
    return {"actions": labelled, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("includes/_attachment_fields.html", takes_context=True)
def attachment_fields(context, target):
    """Fields other apps add to a write form for `target` objects (e.g. files on a reply)."""
    return {"templates": extensions.attachment_forms(target), "request": context.get("request")}


@register.inclusion_tag("includes/_feed_links.html", takes_context=True)
def feed_links(context, community):
    """`<link rel="alternate">` for the public feeds that mirror this page (no query)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or community is None:
        return {"links": []}
    from ..feeds import discovery_links

    return {"links": discovery_links(match.view_name, match.kwargs, community)}

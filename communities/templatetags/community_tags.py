from django import template
from django.http import QueryDict
from django.urls import reverse

from communities.extensions import COMMUNITY_TABS
from communities.permissions import RULES, can_view_community

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, rule_name, obj):
    """`{% can "communities.manage_members" community as allowed %}`: ask a registered can_* rule."""
    try:
        check = RULES[rule_name]
    except KeyError as exc:
        raise template.TemplateSyntaxError(f"Unknown permission rule {rule_name!r}") from exc
    request = context.get("request")
    user = request.user if request is not None else context["user"]
    return check(user, obj)


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
    """The tabs other apps registered, as (key, label, url) the current user may open."""
    user = context["request"].user
    if not can_view_community(user, community):
        return []
    return [
        (tab.key, tab.label, reverse(tab.url_name, args=[community.slug]))
        for tab in COMMUNITY_TABS
        if tab.rule is None or RULES[tab.rule](user, community)
    ]

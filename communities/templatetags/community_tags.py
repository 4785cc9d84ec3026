from django import template

from communities.permissions import RULES

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

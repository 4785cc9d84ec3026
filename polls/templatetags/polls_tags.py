from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def csrf_field(context):
    """The CSRF hidden input, also where the block is rendered into another app's page without a RequestContext."""
    token = context.get("csrf_token")
    if not token and context.get("request") is not None:
        token = get_token(context["request"])
    if not token:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)

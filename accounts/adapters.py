from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.models import Site
from django.utils.encoding import force_str


def platform_site() -> Site:
    """The platform as its emails name it: PLATFORM_NAME at the address it is served on (SITE_URL).

    allauth names the sites framework's Site row, which is example.com unless someone edits it; our settings
    are what the operator actually configured, so emails follow them (unsaved: nothing is written).
    """
    return Site(domain=urlsplit(settings.SITE_URL).netloc or "localhost", name=settings.PLATFORM_NAME)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def format_email_subject(self, subject) -> str:
        return f"[{settings.PLATFORM_NAME}] {force_str(subject)}"

    def send_mail(self, template_prefix, email, context) -> None:
        context = {key: on_site_url(value, context.get("request")) for key, value in context.items()}
        super().send_mail(template_prefix, email, {**context, "current_site": platform_site()})


def on_site_url(value, request=None):
    """A link allauth built from the request's Host header, moved onto SITE_URL: whatever Host a request claimed
    (an alias, or a forged one a permissive ALLOWED_HOSTS let through), emails only ever link to the site itself."""
    request = request or allauth_context.request
    if not isinstance(value, str) or request is None or not value.startswith(("http://", "https://")):
        return value
    parts = urlsplit(value)
    if parts.netloc != request.get_host():
        return value
    return settings.SITE_URL + value[len(f"{parts.scheme}://{parts.netloc}") :]

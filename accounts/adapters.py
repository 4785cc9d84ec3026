from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
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
        super().send_mail(template_prefix, email, {**context, "current_site": platform_site()})

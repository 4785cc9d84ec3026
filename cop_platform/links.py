"""URLs every page shows, reversed once per process instead of on every request.

The site header, the community header and its tabs used to reverse about 23 URLs per page, each walking the
resolver, and the layout asked the static storage for its three files. A URL's shape only changes with the URLconf
and the script prefix, so each name is reversed once (with a placeholder for its one argument) per (URLconf,
prefix) and filled in with plain string work afterwards.
"""

from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

# Stands for the one argument; matches <slug:...> and <str:...> converters, and appears in no real URL.
_PLACEHOLDER = "zq9placeholder9zq"
_PLACEHOLDER_INT = "987654321987"

# The site header's and footer's links: {{ site_links.<key> }} in templates.
SITE_LINKS = {
    "home": "communities:home",
    "search": "communities:search",
    "communities": "communities:community_list",
    "jobs": "jobs:all_jobs",
    "notifications": "newsletters:notifications",
    "messages": "conversations:conversation_list",
    "profile_edit": "accounts:profile_edit",
    "email_preferences": "newsletters:preferences",
    "account_email": "account_email",
    "password": "account_change_password",
    "mfa": "mfa_index",
    "admin": "admin:index",
    "logout": "account_logout",
    "login": "account_login",
    "signup": "account_signup",
}


def _key() -> tuple[str, str]:
    return get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF)


# The layout's own files: {{ site_links.static_<key> }}.
SITE_STATIC = {"pico": "vendor/pico/pico.min.css", "app_css": "css/app.css", "favicon": "favicon.svg"}


@lru_cache(maxsize=8)
def _site_links(prefix: str, urlconf: str) -> dict[str, str]:
    links = {key: reverse(name, urlconf=urlconf) for key, name in SITE_LINKS.items()}
    links.update((f"static_{key}", static(path)) for key, path in SITE_STATIC.items())
    return links


@lru_cache(maxsize=256)
def _pattern(name: str, placeholder: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(name, args=[placeholder], urlconf=urlconf)
    head, sep, tail = url.partition(placeholder)
    assert sep, (name, url)
    return head, tail


def site_links() -> dict[str, str]:
    """The header's fixed links by key (one dict per URLconf and prefix; treat it as read-only)."""
    return _site_links(*_key())


def url_with_slug(name: str, slug: str) -> str:
    """`reverse(name, args=[slug])` for a URL whose only argument is a slug, without walking the resolver."""
    head, tail = _pattern(name, _PLACEHOLDER, *_key())
    return f"{head}{quote(str(slug), safe='')}{tail}"


def url_with_pk(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a URL whose only argument is an integer."""
    head, tail = _pattern(name, _PLACEHOLDER_INT, *_key())
    return f"{head}{int(pk)}{tail}"


def context(request) -> dict:
    """Context processor: `site_links`, the layout's fixed URLs (a name no view's context uses)."""
    return {"site_links": site_links()}


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    # Tests that swap the URLconf or the static storage must not get the old shapes.
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES"):
        _site_links.cache_clear()
        _pattern.cache_clear()

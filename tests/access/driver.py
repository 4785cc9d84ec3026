"""How the matrix test turns a row and a persona into a request, and the answer into one of the matrix's words."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLPattern, URLResolver

from .matrix import DONE, FORBIDDEN, GONE, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT


def url_patterns():
    """Every named URL pattern: (namespaced name, the view's module, whether the route takes a community slug)."""
    found = []

    def walk(resolver, namespace, route):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                module = getattr(pattern.callback, "__module__", "") or ""
                found.append((name, module, route + str(pattern.pattern)))

    walk(get_resolver(), "", "")
    return found


def owner_module(name: str, module: str) -> str:
    """The matrix module a pattern's row belongs in: the app whose view answers it."""
    if name.startswith("admin:"):
        return "admin"
    top = module.split(".")[0]
    if top == "allauth":
        return "accounts"
    if top in ("cop_platform", "django"):
        return "platform"
    return top


def resolve_arg(place, spec):
    if not isinstance(spec, str):
        return spec
    name, _, attribute = spec.partition(".")
    if name not in place.objects:
        return spec  # a literal ("up", "thanks", "forums.thread")
    value = getattr(place, name)
    if attribute:
        value = getattr(value, attribute)
        return value() if callable(value) else value
    return value.pk if hasattr(value, "pk") else value


def url_for(row, place, route: str) -> str:
    kwargs = {key: resolve_arg(place, spec) for key, spec in row.args.items()}
    if "<slug:slug>" in route and "slug" not in kwargs:
        kwargs["slug"] = place.community.slug
    return reverse(row.name, kwargs=kwargs)


def clients(world) -> dict:
    made = {"anonymous": Client()}
    for persona, user in world.people.items():
        client = Client()
        client.force_login(user)
        made[persona] = client
    return made


def ask(client, row, url, data=None):
    """One request whose writes are rolled back, so each cell sees the same world."""
    with transaction.atomic():
        response = client.post(url, data) if row.method == "post" else client.get(url, data)
        transaction.set_rollback(True)
    return response


def answer_of(row, response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target in (resolve_url(settings.LOGIN_URL), reverse("admin:login")):
            return LOGIN
        return DONE if row.method == "post" else REDIRECT
    if code == 403:
        return FORBIDDEN
    if code == 404:
        return NOT_FOUND
    if code == 405:
        return NOT_ALLOWED
    if code == 410:
        return GONE
    if 200 <= code < 300:
        return DONE if row.method == "post" else OK
    return str(code)


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")

"""Issue 9, fix 3: hostile input gets a 400, a 404 or a form error, never a 500.

The walk takes every URL pattern the resolver has and, as an anonymous visitor and as a member, requests it with
each path argument replaced in turn by a hostile value (NUL raw and percent-encoded, a non-numeric id, a negative
and a huge id, a 5,000-character slug), then with real arguments and hostile query-string values; and it submits
every form those pages show (as the member and a facilitator) with every field set to each hostile value.
"""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.db import transaction

from ..access.driver import clients, resolve_arg, url_patterns
from ..access.matrix import all_rows
from ..access.world import build_world

pytestmark = pytest.mark.django_db

PATH_VALUES = ["\x00", "%00", "a%00b", "abc", "-1", "9" * 30, "s" * 5000]
QUERY = dict.fromkeys(
    ("quote", "parent", "post", "category", "into", "thread", "theme", "segment", "kind", "sort", "show"), "abc"
)
FIELD_VALUES = ["\x00", "abc", "9" * 30, "x" * 5000]
PARAMETER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def path_for(route: str, values: dict) -> str:
    def sub(match):
        name = match.group("name") or match.group("rname")
        return quote(str(values[name]), safe="%") if name in values else "x"

    return "/" + PARAMETER.sub(sub, route).replace("^", "").replace("$", "").replace("\\", "")


def parameters(route: str) -> list[str]:
    return [m.group("name") or m.group("rname") for m in PARAMETER.finditer(route)]


class Forms(HTMLParser):
    """Every POST form of a page: its action and the names of its fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append({"action": attrs.get("action") or "", "fields": set()})
        elif (
            tag in ("input", "textarea", "select")
            and self.forms
            and attrs.get("name") not in (None, "csrfmiddlewaretoken")
        ):
            self.forms[-1]["fields"].add(attrs["name"])


def test_no_hostile_input_gets_a_500(capsys):
    world = build_world()
    made = clients(world)
    for client in made.values():
        client.raise_request_exception = False  # a 500 is counted (and listed), not raised
    place = world.places["public"]
    rows = {row.name: row for module_rows in all_rows().values() for row in module_rows}
    failures, requests = [], 0

    def hit(client, method, path, data=None, who=""):
        nonlocal requests
        requests += 1
        response = client.post(path, data or {}) if method == "post" else client.get(path, data or {})
        if response.status_code >= 500:
            failures.append(f"{response.status_code} {who} {method.upper()} {path[:200]} {str(data)[:200]}")
        return response

    pages = []
    for name, _, route in url_patterns():
        row = rows.get(name)
        real = {}
        if row:
            real = {key: resolve_arg(place, spec) for key, spec in row.args.items()}
        if "slug" in parameters(route):
            real.setdefault("slug", place.community.slug)
        method = row.method if row else "get"
        for persona in ("anonymous", "member"):
            client = made[persona]
            for parameter in parameters(route):
                for value in PATH_VALUES:
                    hit(client, method, path_for(route, {**real, parameter: value}), who=persona)
            real_path = path_for(route, real)
            hit(client, "get", real_path, {**QUERY, "page": "\x00"}, who=persona)
            response = hit(client, "get", real_path, QUERY, who=persona)
            if persona == "member" and response.status_code == 200 and "html" in response.get("Content-Type", ""):
                pages.append(real_path)

    for persona in ("member", "facilitator"):
        client = made[persona]
        for page in pages:
            parser = Forms()
            parser.feed(client.get(page).content.decode(errors="replace"))
            for form in parser.forms:
                action = form["action"] or page
                if not action.startswith("/") or action.startswith("/accounts/logout"):
                    continue
                for value in FIELD_VALUES:
                    data = dict.fromkeys(form["fields"], value)
                    with transaction.atomic():
                        hit(client, "post", action, data, who=persona)
                        transaction.set_rollback(True)

    with capsys.disabled():
        print(f"\nhostile walk: {requests} requests, {len(failures)} answers of 500")
    assert not failures, "\n".join(failures[:100])

"""Deny by default: every URL pattern has a row in the permission matrix (tests/access/matrix/<app>.py), and every
row is driven, persona by persona and community kind by community kind, against real objects.

An allowed GET answer shows the marker text of the object the row names; a refused answer (login, 403, 404)
shows no marker of that community's content, nor the name of a private or hidden community to someone who is
not one of its members or staff.
"""

import pytest

from .driver import answer_of, ask, body_of, clients, owner_module, resolve_arg, url_for, url_patterns
from .matrix import ANSWERS, OK, REFUSED, all_rows
from .world import KINDS, PERSONAS, build_world

ROWS = all_rows()
# Personas who may know a community's name whatever the page: its members (the site's navigation names it) and
# staff (the admin lists every community). A public community's name is public: a refusal may say where it is.
KNOWS_THE_NAME = {"member", "facilitator", "owner", "staff"}


def test_every_url_pattern_has_a_row():
    covered = {row.name for rows in ROWS.values() for row in rows}
    missing = [
        f"URL pattern {name!r} ({route}) has no row in the permission matrix: add one to "
        f"tests/access/matrix/{owner_module(name, module)}.py (see tests/access/README.md)"
        for name, module, route in url_patterns()
        if name not in covered
    ]
    assert not missing, "\n".join(missing)


def test_rows_name_real_patterns_once_with_every_cell():
    names = {name for name, _, _ in url_patterns()}
    seen = set()
    for module, rows in ROWS.items():
        for row in rows:
            where = f"tests/access/matrix/{module}.py: {row.name}"
            assert row.name in names, f"{where} names no URL pattern"
            assert row.name not in seen, f"{where} has two rows"
            seen.add(row.name)
            assert set(row.expect) == set(KINDS), where
            for kind, answers in row.expect.items():
                assert set(answers) == set(PERSONAS), f"{where} ({kind})"
                assert set(answers.values()) <= ANSWERS, f"{where} ({kind})"


@pytest.mark.parametrize("module", sorted(ROWS))
def test_matrix(module, db):
    world = build_world()
    routes = {name: route for name, _, route in url_patterns()}
    made = clients(world)
    failures, cells = [], 0
    for row in ROWS[module]:
        for kind in KINDS:
            place = world.places[kind]
            url = url_for(row, place, routes[row.name])
            data = {key: resolve_arg(place, spec) for key, spec in row.data.items()}
            content = world.all_markers(kind) - {place.markers["community"]}
            for persona in PERSONAS:
                cells += 1
                expected = row.expect[kind][persona]
                response = ask(made[persona], row, url, data)
                answer = answer_of(row, response)
                where = f"{row.name} [{kind} community, {persona}] {row.method.upper()} {url}"
                if answer != expected:
                    failures.append(f"{where}: expected {expected}, got {answer} ({response.status_code})")
                    continue
                if answer == OK and row.marker:
                    if place.markers[row.marker] not in body_of(response):
                        failures.append(f"{where}: allowed, but the page does not show the {row.marker}")
                elif answer in REFUSED:
                    body = body_of(response)
                    name_is_known = persona in KNOWS_THE_NAME or kind == "public"
                    hidden = content if name_is_known else content | {place.markers["community"]}
                    shown = sorted(marker for marker in hidden if marker in body)
                    if shown:
                        failures.append(f"{where}: refused, yet the answer shows {shown}")
    print(f"\naccess matrix {module}: {cells} cells")
    assert not failures, f"{len(failures)} of {cells} cells:\n" + "\n".join(failures)


def test_unnamed_patterns_answer_anyone(client):
    """The two patterns without a name: the favicon redirect and (in development) uploaded media."""
    assert client.get("/favicon.ico").status_code == 301
    assert client.get("/media/nothing-here.png").status_code == 404  # not a redirect to log in

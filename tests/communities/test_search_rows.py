"""Issue 11: the search page works its rows out in Python (communities.search.result_page) instead of rendering a
template per result; each row must read exactly as the shared result partial renders the same document (the
library's tag page still uses it), in the reader's time zone, with the same escaping."""

import re
from datetime import UTC, datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from communities import search

from ..factories import make_user
from ..helpers import login
from .test_search import SEARCH_URL, index_doc

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return re.findall(r'<li class="search-result">.*?</li>', html, flags=re.S)


def test_each_row_reads_as_the_result_partial_renders_it(community, member):
    User.objects.filter(pk=member.pk).update(time_zone="America/St_Johns")  # a half-hour offset, a day behind UTC
    named = make_user(first_name="Ada", last_name="Lovelace")
    unnamed = make_user(first_name="", last_name="", email="quiet.person@example.org")
    late = datetime(2026, 3, 1, 1, 30, tzinfo=UTC)  # 28 Feb in St John's
    index_doc(
        community,
        kind="thread",
        title="Budget <script>alert(1)</script> & plans",
        body="Planning the &lt;b&gt;budget&lt;/b&gt; & more: the budget matters.",
        tags=["Change Management", "finance"],
        author=named,
        created_at=late,
    )
    index_doc(community, kind="odd_kind", title="Budget notes", body="", author=unnamed, created_at=late)
    index_doc(community, kind="thread", title="Budget, nobody's", body="A budget line.", created_at=late)

    html = login(User.objects.get(pk=member.pk)).get(SEARCH_URL, {"q": "budget"}).content.decode()

    rows = _rows(html)
    with timezone.override("America/St_Johns"):
        expected = [
            _rows(render_to_string("communities/_search_result.html", {"document": document}))[0]
            for document in search.search(member, "budget")
        ]
    assert len(rows) == 3 and sorted(rows) == sorted(expected)
    assert "28 Feb 2026" in html and 'datetime="2026-02-28T22:00:00-0330"' in html
    assert "· by Ada Lovelace" in html and "· by quiet.person" in html and "Odd kind" in html
    assert "<script>alert" not in html and "Budget &lt;script&gt;alert(1)&lt;/script&gt; &amp; plans" in html
    assert 'href="/search/?tag=change-management"' in html

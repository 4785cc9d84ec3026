"""The jobs pages render for the people who use them, and the lists leave out what they must."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.models import JobSearch, Posting, SavedPosting

from ..helpers import login, text_of
from .conftest import make_posting

pytestmark = pytest.mark.django_db


def test_poster_pages_render(posting, poster):
    client = login(poster)
    slug = posting.community.slug
    for path in (
        reverse("jobs:posting_create", args=[slug]),
        reverse("jobs:posting_edit", args=[slug, posting.pk]),
        reverse("jobs:posting_extend", args=[slug, posting.pk]),
        reverse("jobs:all_jobs"),
        reverse("jobs:saved"),
        reverse("jobs:searches"),
    ):
        assert client.get(path).status_code == 200, path


def test_member_flags_saves_and_applies(posting, member):
    client = login(member)
    slug = posting.community.slug
    assert client.get(reverse("jobs:posting_flag", args=[slug, posting.pk])).status_code == 200
    client.post(reverse("jobs:posting_flag", args=[slug, posting.pk]), {"reason": "spam"})
    client.post(reverse("jobs:posting_save", args=[slug, posting.pk]), {"save": "1"})
    assert SavedPosting.objects.filter(user=member, posting=posting).exists()
    assert "PMO manager" in text_of(client.get(reverse("jobs:saved")))
    response = client.get(reverse("jobs:posting_apply", args=[slug, posting.pk]))
    assert response.status_code == 302 and response.url == "https://jobs.example.org/pmo"
    posting.refresh_from_db()
    assert posting.apply_clicks == 1


def test_apply_by_email_opens_the_mail_program(community, poster, client):
    posting = make_posting(community, poster, apply_url="", apply_email="hr@example.org")
    response = client.get(reverse("jobs:posting_apply", args=[community.slug, posting.pk]))
    assert response.status_code == 302 and response.url == "mailto:hr@example.org"


def test_closed_posting_takes_no_applications(posting, client):
    Posting.objects.filter(pk=posting.pk).update(status=Posting.Status.CLOSED)
    response = client.get(reverse("jobs:posting_apply", args=[posting.community.slug, posting.pk]))
    assert response.url == posting.get_absolute_url()
    posting.refresh_from_db()
    assert posting.apply_clicks == 0


def test_filters_and_sorting(community, poster, client):
    make_posting(community, poster, title="Remote analyst", working_pattern=Posting.Pattern.REMOTE, location="")
    make_posting(
        community,
        poster,
        title="Interim assurance lead",
        contract=Posting.Contract.INTERIM,
        salary_min=None,
        salary_max=None,
        tags=["assurance"],
        closes_on=timezone.localdate() + timedelta(days=3),
        location="Bristol",
    )
    path = reverse("jobs:jobs_list", args=[community.slug])
    assert "Interim assurance lead" in text_of(client.get(path, {"contract": "interim"}))
    assert "Remote analyst" not in text_of(client.get(path, {"contract": "interim"}))
    bristol = text_of(client.get(path, {"q": "bristol"}))
    assert "Interim assurance lead" in bristol and "Remote analyst" in bristol  # remote roles suit anywhere
    assert "Remote analyst" not in text_of(client.get(path, {"tag": "assurance"}))
    soonest = text_of(client.get(path, {"sort": "closing"}))
    assert soonest.index("Interim assurance lead") < soonest.index("Remote analyst")
    assert client.get(path, {"salary": "lots"}).status_code == 200


def test_saved_search_page_saves_and_deletes(member, client):
    client = login(member)
    client.post(reverse("jobs:searches"), {"name": "PMO", "tags": "PRINCE2", "location": "Leeds"})
    search = JobSearch.objects.get(user=member)
    assert search.tags == "PRINCE2"
    client.post(reverse("jobs:searches"), {"delete": search.pk})
    assert not JobSearch.objects.filter(user=member).exists()


def test_new_since_last_visit(community, poster, member):
    from communities.models import Membership

    make_posting(community, poster, title="Seen before")
    Membership.objects.filter(user=member).update(last_visit_at=timezone.now())
    make_posting(community, poster, title="Fresh one")
    page = login(member).get(reverse("jobs:jobs_list", args=[community.slug])).content.decode()
    fresh = page[page.index("Fresh one") :]
    assert "New" in fresh[: fresh.index("</h4>")]
    seen = page[page.index("Seen before") :]
    assert "badge-new" not in seen[: seen.index("</h4>")]

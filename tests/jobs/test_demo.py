"""The demo has what the issue promises: a dozen postings across councils, the NHS, fire and rescue and central
government, two closed, one waiting for approval, and a saved search for the demo member; twice adds nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from jobs.models import JobSearch, Posting

from ..helpers import text_of

pytestmark = pytest.mark.django_db


def test_the_demo_jobs_board(client):
    call_command("seed_demo", stdout=io.StringIO())
    postings = Posting.objects.all()
    assert postings.count() == 12
    assert postings.filter(status=Posting.Status.CLOSED).count() == 2
    assert postings.filter(status=Posting.Status.PENDING).count() == 1
    assert Posting.objects.live().count() == 9
    employers = " ".join(postings.values_list("employer", flat=True))
    for kind in ("Council", "NHS", "Fire and Rescue", "Ministry", "Department"):
        assert kind in employers
    search = JobSearch.objects.get()
    assert search.user.email and search.community is not None
    community = postings.first().community
    page = text_of(client.get(reverse("jobs:jobs_list", args=[community.slug])))
    assert "Benefits realisation lead" in page and "Change manager" not in page
    call_command("seed_demo", stdout=io.StringIO())
    assert Posting.objects.count() == 12

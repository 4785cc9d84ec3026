"""Jobs pages run a fixed number of queries however many postings there are (the issue's budgets), measured with
5 and with 500 postings under the same bound.

Community jobs list: community, count, the page (saved flag as a subquery), its tags, the tag filter = 5
anonymous; + session, user, memberships for a member. Posting page: community, posting, tags (+ session, user,
memberships). Across communities: count, page, tags, tag filter (+ session, user, memberships).
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from jobs.models import Posting

from ..factories import make_community, make_membership
from ..helpers import login

pytestmark = pytest.mark.django_db
SIZES = [5, 500]
BUDGETS = {"list": (6, 8), "detail": (5, 8), "all": (8, 10)}


def fill(community, author, n):
    now = timezone.now()
    postings = Posting.objects.bulk_create(
        Posting(
            community=community,
            author=author,
            title=f"Role {i}",
            employer=["Leeds City Council", "NHS England", "Home Office"][i % 3],
            location="Leeds",
            closes_on=timezone.localdate() + timezone.timedelta(days=10 + i % 30),
            closes_at=now + timezone.timedelta(days=10 + i % 30),
            apply_url="https://example.org",
            description="Role",
            description_html="<p>Role</p>",
            status=Posting.Status.LIVE,
            published_at=now - timezone.timedelta(minutes=i),
        )
        for i in range(n)
    )
    tags = [Tag.objects.get_or_create(name=name, slug=name.lower())[0] for name in ("PRINCE2", "MSP", "agile")]
    ct = ContentType.objects.get_for_model(Posting)
    TaggedItem.objects.bulk_create(
        TaggedItem(tag=tags[i % 3], content_type=ct, object_id=p.pk) for i, p in enumerate(postings)
    )
    return postings[0]


def count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["list", "detail", "all"])
def test_jobs_pages_keep_to_their_budget_at_5_and_500_postings(page, community, member, poster):
    other = make_community(name="Other")
    make_membership(other, member)
    counts = {}
    for n in SIZES:
        Posting.objects.all().delete()
        first = fill(community, poster, n)
        fill(other, poster, n)
        path = {
            "list": reverse("jobs:jobs_list", args=[community.slug]) + "?tag=PRINCE2&sort=closing",
            "detail": first.get_absolute_url(),
            "all": reverse("jobs:all_jobs"),
        }[page]
        from django.test import Client

        counts[n] = (count(Client(), path), count(login(member), path))
    anonymous, as_member = BUDGETS[page]
    for n in SIZES:
        assert counts[n][0] <= anonymous, (n, counts)
        assert counts[n][1] <= as_member, (n, counts)
    assert counts[5] == counts[500]

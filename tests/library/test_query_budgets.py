"""Library pages run a fixed number of queries however many resources there are: measured with 5 and with 500
resources under the same bound (the issue's budget: at most 6 queries anonymous, 9 for a member).

Library home: community, featured, most useful, newest, facets = 5 anonymous; + session, user, memberships.
Resource page: community, resource (author, theme, and the member's follow and reactions as subqueries), files,
versions, comments (paged by the counter, no COUNT) = 5; + session, user, memberships.
Key links: community, count, the page of links = 3; + session, user, memberships.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Theme
from library.models import Resource, ResourceComment, ResourceFile, ResourceVersion

from ..conftest import login
from ..factories import make_membership, make_user

pytestmark = pytest.mark.django_db
ANONYMOUS = 6
MEMBER = 9
KINDS = list(Resource.Kind.values)


def build_library(community, authors, *, resources: int) -> Resource:
    """`resources` resources of every kind, tagged, themed, featured and recognised; returns a busy document."""
    start = timezone.now() - timedelta(days=60)
    themes = [
        Theme.objects.create(
            community=community,
            title=f"Theme {i}",
            slug=f"theme-{i}",
            starts_on=start.date(),
            ends_on=start.date(),
            tags="risk",
        )
        for i in range(2)
    ]
    Resource.objects.bulk_create(
        Resource(
            community=community,
            kind=KINDS[i % len(KINDS)],
            title=f"Resource number {i}",
            summary=f"Summary of resource {i}, with enough words to be truncated on the cards of the home page.",
            url="https://www.example.org/" if KINDS[i % len(KINDS)] == Resource.Kind.KEY_LINK else "",
            tags=["risk, templates", "benefits realisation", "PRINCE2, risk", ""][i % 4],
            organisation=["Leeds City Council", "Home Office", "NHS England", ""][i % 4],
            theme=themes[i % 2] if i % 3 else None,
            licence=Resource.Licence.MEMBERS_ONLY if i % 9 == 0 else Resource.Licence.OGL,
            author=authors[i % len(authors)],
            is_featured=i % 40 == 0,
            featured_at=start if i % 40 == 0 else None,
            helpful_count=i % 7,
            thanks_count=i % 3,
            download_count=i % 11,
            created_at=start + timedelta(minutes=i),
            updated_at=start + timedelta(minutes=i),
        )
        for i in range(resources)
    )
    busy = Resource.objects.create(
        community=community,
        kind=Resource.Kind.TOOLKIT,
        title="The busy toolkit",
        author=authors[0],
        tags="risk",
        body="How to use it.",
        body_html="<p>How to use it.</p>",
        theme=themes[0],
    )
    for f in range(3):
        file = ResourceFile.objects.create(resource=busy, title=f"File {f}", position=f, version_count=4)
        versions = ResourceVersion.objects.bulk_create(
            ResourceVersion(
                file=file,
                community=community,
                number=n,
                storage_key=f"v/xx/{busy.pk}-{f}-{n}",
                name=f"file-{f}-v{n}.pdf",
                size=1000 * n,
                sha256=f"{f}{n}".ljust(64, "0"),
                content_type="application/pdf",
                uploaded_by=authors[n % len(authors)],
                published_at=start,
                preview_key=f"p/xx/{busy.pk}-{f}-{n}",
                preview_width=480,
                preview_height=600,
            )
            for n in range(1, 5)
        )
        ResourceFile.objects.filter(pk=file.pk).update(current_version=versions[-1])
    comments = ResourceComment.objects.bulk_create(
        ResourceComment(
            resource=busy, author=authors[i % len(authors)], body=f"Comment {i}", body_html=f"<p>Comment {i}</p>"
        )
        for i in range(45)
    )
    Resource.objects.filter(pk=busy.pk).update(comment_count=len(comments))
    return busy


@pytest.fixture(params=[5, 500], ids=["5-resources", "500-resources"])
def library(request, community, member, facilitator):
    authors = [member, facilitator] + [make_membership(community, make_user()).user for _ in range(3)]
    return build_library(community, authors, resources=request.param)


def _pages(community, busy):
    return {
        "library home": reverse("library:home", args=[community.slug]),
        "resource page": busy.get_absolute_url(),
        "resource page, comments page 2": busy.get_absolute_url() + "?page=2",
        "key links": reverse("library:key_links", args=[community.slug]),
        "browse, filtered": reverse("library:browse", args=[community.slug]) + "?tag=risk&sort=useful&kind=document",
    }


def test_anonymous_pages_stay_within_budget(library, community, client, django_assert_max_num_queries):
    for label, url in _pages(community, library).items():
        with django_assert_max_num_queries(ANONYMOUS, info=label):
            response = client.get(url)
        assert response.status_code == 200, label


def test_member_pages_stay_within_budget(library, community, member, django_assert_max_num_queries):
    visitor = login(member)
    for label, url in _pages(community, library).items():
        with django_assert_max_num_queries(MEMBER, info=label):
            response = visitor.get(url)
        assert response.status_code == 200, label
    page = visitor.get(library.get_absolute_url()).content.decode()
    assert "Comment 29" in page and "Comment 30" not in page  # 30 per page, oldest first
    assert "All versions (4)" in page

"""Browsing: the library home (featured, most useful, newest), filters, sorting, pagination, key links grouped by
tag, and tag and theme pages that gather resources through the search index."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from communities.models import Theme
from library import services
from library.models import Resource

from ..conftest import login
from .conftest import add_document

pytestmark = pytest.mark.django_db


def link(community, author, title, url, tags="", **kw):
    return services.resource_create(
        community=community,
        author=author,
        kind=Resource.Kind.KEY_LINK,
        title=title,
        url=url,
        summary=f"Why {title} helps.",
        tags=tags,
        **kw,
    )


def guide(community, author, title, **kw):
    kw.setdefault("body", f"How we do {title}.")
    return services.resource_create(community=community, author=author, kind=Resource.Kind.GUIDE, title=title, **kw)


def test_the_home_shows_pinned_then_most_useful_then_newest(community, member, facilitator, client):
    old = guide(community, member, "Old but gold")
    popular = guide(community, member, "Popular one")
    Resource.objects.filter(pk=popular.pk).update(helpful_count=5)
    newest = guide(community, member, "Brand new")
    services.resource_feature(resource=old, by=facilitator, featured=True)

    page = client.get(reverse("library:home", args=[community.slug])).content.decode()

    featured, useful, latest = (page.index(f'id="{h}-h"') for h in ("featured", "useful", "newest"))
    assert featured < page.index("Old but gold") < useful < page.index("Popular one", useful) < latest
    assert page.index(newest.title, latest) > latest


def test_facilitators_pin_and_members_cannot(document, as_member, as_facilitator):
    url = reverse("library:resource_feature", args=[document.community.slug, document.pk])

    assert as_member.post(url, {"featured": "1"}).status_code == 403
    as_facilitator.post(url, {"featured": "1"})

    assert Resource.objects.get(pk=document.pk).is_featured


def test_filters_by_kind_tag_theme_and_organisation_combine(community, member, client):
    theme = Theme.objects.create(
        community=community,
        title="Benefits month",
        slug="benefits",
        starts_on=date.today(),
        ends_on=date.today(),
        tags="benefits",
    )
    match = guide(
        community, member, "Benefits maps", tags="Benefits, maps", organisation="Leeds City Council", theme=theme
    )
    guide(community, member, "Benefits elsewhere", tags="benefits", organisation="Home Office", theme=theme)
    guide(community, member, "Untagged guide", organisation="Leeds City Council")
    link(
        community, member, "Benefits link", "https://example.org/", tags="benefits", organisation="Leeds City Council"
    )
    url = reverse("library:browse", args=[community.slug])

    page = client.get(
        url, {"kind": "guide", "tag": "benefits", "theme": "benefits", "organisation": "Leeds City Council"}
    ).content.decode()

    assert match.title in page
    assert "Benefits elsewhere" not in page and "Untagged guide" not in page and "Benefits link" not in page
    assert "1 resource." in page
    # The filter options list only values in use, with counts.
    assert "Leeds City Council (3)" in page and "benefits (3)" in page.lower()


def test_sorting_and_pagination_keep_the_filters(community, member, client):
    for i in range(25):
        guide(community, member, f"Guide {i:02d}", tags="risk")
    url = reverse("library:browse", args=[community.slug])

    first = client.get(url, {"tag": "risk", "sort": "title"})
    second = client.get(url, {"tag": "risk", "sort": "title", "page": 2})

    assert [r.title for r in first.context["page"].object_list][:2] == ["Guide 00", "Guide 01"]
    assert [r.title for r in second.context["page"].object_list] == [f"Guide {i}" for i in range(20, 25)]
    assert "tag=risk&amp;sort=title&amp;page=2" in first.content.decode()


def test_unknown_filter_values_are_ignored_not_refused(community, member, client):
    guide(community, member, "Still listed")

    response = client.get(
        reverse("library:browse", args=[community.slug]), {"kind": "bogus", "sort": "evil", "page": "x"}
    )

    assert response.status_code == 200 and "Still listed" in response.content.decode()


def test_key_links_are_grouped_by_tag(community, member, client):
    link(
        community, member, "Government Functional Standard", "https://www.gov.uk/standard", tags="standards, assurance"
    )
    link(community, member, "Infrastructure and Projects Authority", "https://www.gov.uk/ipa", tags="assurance")
    link(community, member, "A useful blog", "https://blog.example.org/")

    page = client.get(reverse("library:key_links", args=[community.slug])).content.decode()

    assurance, standards, other = (
        page.index(f'class="h-small">{h}</h3>') for h in ("assurance", "standards", "Other links")
    )
    assert assurance < page.index("Infrastructure and Projects Authority", assurance) < standards < other
    assert page.count(">Government Functional Standard</a>") == 2  # under both of its tags
    assert 'href="https://www.gov.uk/ipa" rel="nofollow noopener"' in page


def test_tag_and_theme_pages_gather_resources_through_the_search_index(community, member, client):
    theme = Theme.objects.create(
        community=community,
        title="Risk quarter",
        slug="risk-quarter",
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=30),
        tags="risk",
    )
    tagged = guide(community, member, "Risk appetite statements", tags="risk")
    themed = guide(community, member, "Themed without the tag", theme=theme)
    guide(community, member, "Unrelated", tags="procurement")

    tag_page = client.get(reverse("library:tag_detail", args=[community.slug, "risk"])).content.decode()
    theme_page = client.get(theme.get_absolute_url()).content.decode()

    assert tagged.title in tag_page and themed.title in tag_page and "Unrelated" not in tag_page
    assert tagged.title in theme_page and themed.title in theme_page and "Unrelated" not in theme_page
    assert "Guide" in theme_page  # grouped under the kind's label


def test_an_empty_library_says_how_to_start(as_member, community):
    page = as_member.get(reverse("library:home", args=[community.slug])).content.decode()

    assert "The library is empty so far." in page and "Share the first document" in page


def test_the_community_header_has_a_library_tab(community, client):
    page = client.get(community.get_absolute_url()).content.decode()

    assert f'href="{reverse("library:home", args=[community.slug])}"' in page


def test_the_profile_counts_what_a_contributor_shared_and_how_it_was_received(community, member, facilitator):
    resource = add_document(community, member)
    services.reaction_toggle(resource=resource, user=facilitator, kind="helpful")
    services.reaction_toggle(resource=resource, user=facilitator, kind="thanks")

    page = login(facilitator).get(member.get_absolute_url()).content.decode()

    assert "In the library" in page
    assert "<strong>1</strong><span>resource shared</span>" in page
    assert (
        "<strong>1</strong><span>marked helpful</span>" in page
        and "<strong>1</strong><span>thanks received</span>" in page
    )

"""A private community's files reach nobody outside it: not by download URL, older version, storage path, preview
or search snippet. Outsiders, anonymous visitors, members who left and banned members are all tried."""

import pytest
from django.core.checks import run_checks
from django.core.files.storage import storages
from django.urls import reverse

from communities import search
from communities.models import Community
from library import services
from library.inspection import inspect_upload
from library.models import Resource

from ..conftest import login
from ..factories import make_user
from ..helpers import assert_kept_out
from . import files
from .conftest import DOCUMENT_PHRASE, add_document, current_version, process

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_document(private_community, private_member):
    resource = add_document(private_community, private_member, name="board-paper.pdf")
    old = current_version(resource)
    services.version_add(
        resource=resource,
        file=resource.files.get(),
        by=private_member,
        inspected=inspect_upload(files.upload("board-paper-v2.pdf", files.pdf(f"Revised: {DOCUMENT_PHRASE}."))),
    )
    process(resource)
    process(old)
    return resource, old, current_version(resource)


def _urls(resource, old, new):
    file = resource.files.get()
    community = resource.community
    return {
        "resource page": resource.get_absolute_url(),
        "current download": reverse("library:file_download", args=[community.slug, resource.pk, file.pk]),
        "older version": old.download_url(resource),
        "newer version": new.download_url(resource),
        "preview": new.preview_url(resource),
        "library home": reverse("library:home", args=[community.slug]),
        "key links": reverse("library:key_links", args=[community.slug]),
    }


@pytest.mark.parametrize("who", ["anonymous", "outsider", "departed", "banned"])
def test_nobody_outside_a_private_community_gets_anything_of_its_files(
    who, private_document, client, outsider, departed, banned
):
    resource, old, new = private_document
    assert new.preview_key, "the preview must exist for this test to mean something"
    visitor = {"anonymous": client, "outsider": login(outsider), "departed": login(departed), "banned": login(banned)}[
        who
    ]

    for label, url in _urls(resource, old, new).items():
        response = visitor.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], label
        else:
            assert_kept_out(response, resource.community)
        assert "Content-Disposition" not in response, label

    user = {"anonymous": client, "outsider": outsider, "departed": departed, "banned": banned}[who]
    user = user if who != "anonymous" else _anonymous()
    assert not search.search(user, DOCUMENT_PHRASE).exists()
    page = visitor.get(reverse("communities:search"), {"q": DOCUMENT_PHRASE}).content.decode()
    assert resource.title not in page and "baselining" not in page


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_members_get_the_files_and_find_the_text_inside_them(private_document, private_member):
    resource, old, new = private_document
    member = login(private_member)

    for label, url in _urls(resource, old, new).items():
        assert member.get(url).status_code == 200, label
    results = list(search.search(private_member, DOCUMENT_PHRASE))
    assert [r.title for r in results] == [resource.title]
    page = member.get(reverse("communities:search"), {"q": DOCUMENT_PHRASE}).content.decode()
    assert "Revised" in page and "<mark>" in page  # the snippet comes from inside the current version


def test_the_storage_path_is_not_served_by_any_url(client, private_document, settings):
    resource, old, new = private_document
    location = storages["library"].path(new.storage_key)
    assert storages["library"].exists(new.storage_key)

    for url in (
        f"/media/{new.storage_key}",
        f"/media/../library/{new.storage_key}",
        f"/static/{new.storage_key}",
        f"/{new.storage_key}",
        f"/media/{location}",
    ):
        response = client.get(url)
        assert response.status_code in (400, 404), url  # 400: Django's static view refuses paths leaving MEDIA_ROOT
        assert b"%PDF" not in response.content, url


def test_a_library_root_inside_media_root_fails_the_system_checks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "library": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media" / "library"},
        },
    }

    assert "library.E001" in [message.id for message in run_checks()]


@pytest.fixture
def members_only(community, member):
    resource = add_document(community, member, licence=Resource.Licence.MEMBERS_ONLY, title="Draft restructure plan")
    process(resource)
    return resource


def test_members_only_files_in_a_public_community_stay_with_its_members(members_only, client, as_outsider, as_member):
    resource = members_only
    version = current_version(resource)
    urls = [resource.get_absolute_url(), version.download_url(resource), version.preview_url(resource)]

    for url in urls:
        response = client.get(url)
        assert response.status_code in (400, 404), url  # 400: Django's static view refuses paths leaving MEDIA_ROOT
        assert b"%PDF" not in response.content, url
        assert as_outsider.get(url).status_code == 404, url
        assert as_member.get(url).status_code == 200, url
    home = reverse("library:home", args=[resource.community.slug])
    assert resource.title not in client.get(home).content.decode()
    assert resource.title in as_member.get(home).content.decode()
    assert not search.search(_anonymous(), DOCUMENT_PHRASE).exists()
    assert not search.search(make_user(), DOCUMENT_PHRASE).exists()
    assert search.search(resource.author, DOCUMENT_PHRASE).exists()


def test_a_hidden_resource_is_gone_for_members_but_not_for_its_author_or_the_facilitators(
    document, facilitator, as_facilitator, as_owner, member
):
    services.resource_set_hidden(resource=document, by=facilitator, hidden=True)
    version = current_version(document)
    person = make_user()
    reader = login(person)

    assert reader.get(document.get_absolute_url()).status_code == 404
    assert reader.get(version.download_url(document)).status_code == 404
    assert not search.search(person, DOCUMENT_PHRASE).exists()
    assert login(member).get(document.get_absolute_url()).status_code == 200
    assert as_facilitator.get(document.get_absolute_url()).status_code == 200


def test_a_community_turned_private_takes_its_files_with_it(document, client):
    Community.objects.filter(pk=document.community_id).update(visibility=Community.Visibility.PRIVATE)

    assert client.get(current_version(document).download_url(document)).status_code == 302
    assert not search.search(_anonymous(), DOCUMENT_PHRASE).exists()

"""Downloads leave only through the permission-checked view: as inert, streamed attachments, counted once a day."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from library import services
from library.inspection import inspect_upload
from library.models import Download, Resource

from . import files
from .conftest import add_document, current_version, process

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE")


def file_url(resource):
    file = resource.files.get()
    return reverse("library:file_download", args=[resource.community.slug, resource.pk, file.pk])


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_download_is_a_streamed_inert_attachment_with_the_exact_file_name(client, community, member):
    data = files.pdf("Our benefits map.")
    resource = add_document(community, member, name="Carte des bénéfices – v2.pdf", data=data)

    response = client.get(file_url(resource))

    assert response.status_code == 200
    assert response.streaming, "a 25 MB file must never be held in memory whole"
    assert body_of(response) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Carte des benefices  v2.pdf\"; filename*=UTF-8''Carte%20des%20b%C3%A9n%C3%A9fices"
        "%20%E2%80%93%20v2.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Cache-Control"] == "private, no-store"


def test_text_files_are_served_as_text_with_their_encoding_never_as_html(client, community, member):
    resource = add_document(community, member, name="notes.md", data=b"# Notes\n\n<b>not html here</b>\n")

    response = client.get(file_url(resource))

    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_new_version_becomes_the_default_and_earlier_ones_stay_downloadable(client, community, member):
    first = files.pdf("Version one.")
    resource = add_document(community, member, data=first)
    old = current_version(resource)
    second = files.pdf("Version two, with dis-benefits.")
    services.version_add(
        resource=resource,
        file=resource.files.get(),
        by=member,
        inspected=inspect_upload(files.upload("guide-v2.pdf", second)),
        change_note="Added dis-benefits",
    )
    new = current_version(resource)

    assert (new.number, new.change_note, new.uploaded_by) == (2, "Added dis-benefits", member)
    assert resource.files.get().current_version == new
    assert body_of(client.get(file_url(resource))) == second
    assert body_of(client.get(old.download_url(resource))) == first
    page = client.get(resource.get_absolute_url()).content.decode()
    assert (
        "guide-v2.pdf" in page and "version 2" in page and "All versions (2)" in page and "Added dis-benefits" in page
    )


def test_a_member_download_is_counted_once_a_day_and_a_repeat_click_writes_nothing(as_member, community, facilitator):
    resource = add_document(community, facilitator)

    as_member.get(file_url(resource))
    with CaptureQueriesContext(connection) as repeat:
        response = as_member.get(current_version(resource).download_url(resource))

    assert response.status_code == 200
    assert Download.objects.filter(resource=resource).count() == 1
    assert Resource.objects.get(pk=resource.pk).download_count == 1
    assert not [q["sql"] for q in repeat.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_anonymous_downloads_of_public_resources_are_served_but_not_counted(client, community, member):
    resource = add_document(community, member)

    assert client.get(file_url(resource)).status_code == 200
    assert Resource.objects.get(pk=resource.pk).download_count == 0


def test_nginx_gets_an_internal_redirect_after_the_permission_check(
    client, as_outsider, private_community, private_member, settings
):
    settings.LIBRARY_X_ACCEL_REDIRECT_PREFIX = "/_library/"
    resource = add_document(private_community, private_member)
    version = current_version(resource)

    from ..conftest import login

    response = login(private_member).get(version.download_url(resource))

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_library/{version.storage_key}"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in as_outsider.get(version.download_url(resource))
    assert client.get(version.download_url(resource)).status_code == 302


def test_the_preview_is_our_own_png_shown_inline(client, community, member):
    resource = add_document(community, member)
    process(resource)
    version = current_version(resource)

    response = client.get(version.preview_url(resource))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert body_of(response).startswith(b"\x89PNG\r\n\x1a\n")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'src="{version.preview_url(resource)}"' in client.get(resource.get_absolute_url()).content.decode()


def test_versions_of_other_resources_cannot_be_reached_through_this_one(client, community, member):
    one = add_document(community, member, data=files.pdf("one"))
    two = add_document(community, member, data=files.pdf("two"), title="Another")

    crossed = reverse("library:version_download", args=[community.slug, one.pk, current_version(two).pk])

    assert client.get(crossed).status_code == 404

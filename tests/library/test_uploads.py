"""Adding resources through the real views: what is recorded, what is refused, and what the member is told."""

import hashlib

import pytest
from django.urls import reverse

from library.models import Resource, ResourceVersion

from . import files
from .conftest import stored_keys

pytestmark = pytest.mark.django_db


def add_url(community, kind="document"):
    return reverse("library:resource_add", args=[community.slug, kind])


def test_member_uploads_a_document_and_every_fact_of_the_version_is_recorded(as_member, community, member):
    data = files.docx("Our lessons learned log, kept since 2019.")

    response = as_member.post(
        add_url(community),
        {
            "title": "Lessons learned log",
            "summary": "How we capture lessons at each stage gate.",
            "tags": "lessons, PRINCE2, lessons",
            "organisation": "Leeds City Council",
            "licence": Resource.Licence.OGL,
            # The browser's claimed type is ignored: the version records what the bytes are.
            "file": files.upload("Lessons log.docx", data, content_type="text/html"),
        },
    )

    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == resource.get_absolute_url()
    version = ResourceVersion.objects.get()
    assert (resource.kind, resource.tags, resource.organisation) == (
        "document",
        "lessons, PRINCE2",
        "Leeds City Council",
    )
    assert version.name == "Lessons log.docx"
    assert version.size == len(data)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert version.uploaded_by == member and version.number == 1
    assert version.file.current_version == version
    # Stored under a random key that carries neither the name nor the uploader.
    assert stored_keys() == [version.storage_key]
    assert "Lessons" not in version.storage_key and str(member.pk) not in version.storage_key.split("/")


def test_a_refused_upload_keeps_what_the_member_typed_and_stores_nothing(as_member, community):
    response = as_member.post(
        add_url(community),
        {
            "title": "Our risk register",
            "summary": "Scored by likelihood and impact.",
            "licence": Resource.Licence.CC_BY,
            "file": files.upload("register.docm", files.docx("macro!")),
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Macro-enabled Office files are not accepted" in body
    assert 'value="Our risk register"' in body and "Scored by likelihood and impact." in body
    assert not Resource.objects.exists() and stored_keys() == []


def test_a_file_over_the_cap_is_dropped_while_it_streams_and_the_form_says_why(as_member, community, settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 50_000
    big = files.pdf("x" * 10) + b"%" * 60_000  # a valid PDF head, then padding past the cap

    response = as_member.post(
        add_url(community), {"title": "Huge scan", "licence": "ask", "file": files.upload("scan.pdf", big)}
    )

    assert response.status_code == 200
    assert "The file is larger than 48.8\xa0KB" in response.content.decode()
    assert 'value="Huge scan"' in response.content.decode()
    assert not Resource.objects.exists() and stored_keys() == []


def test_the_size_cap_handler_stops_reading_into_the_file_at_the_cap(rf, settings, member):
    """The handler refuses at the first chunk past the cap: the temporary file never holds more than that."""
    from django.core.files.uploadhandler import SkipFile

    from library.upload_handlers import SizeCapUploadHandler

    request = rf.post("/")
    request.library_refused_uploads = []
    handler = SizeCapUploadHandler(request, limit=100)
    handler.handle_raw_input(None, {}, 150, b"boundary")
    handler.new_file("file", "a.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 64, 0) == b"x" * 64
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 64, 64)
    assert request.library_refused_uploads == ["a.pdf"]

    # A body far larger than the cap is refused before its first byte is written.
    handler.handle_raw_input(None, {}, 100 + 10_000_000, b"boundary")
    with pytest.raises(SkipFile):
        handler.new_file("file", "b.pdf", "application/pdf", None)


def test_uploading_a_file_already_in_the_library_says_so_and_links_to_it(as_member, as_facilitator, community):
    data = files.pdf("A gateway review checklist.")
    as_member.post(add_url(community), {"title": "Checklist", "licence": "ask", "file": files.upload("a.pdf", data)})
    original = Resource.objects.get()

    response = as_facilitator.post(
        add_url(community), {"title": "Same checklist", "licence": "ask", "file": files.upload("copy.pdf", data)}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "This file is already in the library" in body
    assert f'href="{original.get_absolute_url()}"' in body
    assert Resource.objects.count() == 1 and len(stored_keys()) == 1


def test_outsiders_cannot_add_and_anonymous_visitors_are_sent_to_log_in(as_outsider, client, community):
    data = {"title": "Spam", "licence": "ask", "file": files.upload("a.pdf", files.pdf("spam"))}

    assert as_outsider.post(add_url(community), data).status_code == 403
    response = client.post(add_url(community), {**data, "file": files.upload("a.pdf", files.pdf("spam"))})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Resource.objects.exists() and stored_keys() == []


def test_a_key_link_needs_its_address_and_says_why_it_is_useful(as_member, community):
    refused = as_member.post(add_url(community, "key_link"), {"title": "APM", "url": "javascript:alert(1)"})
    assert refused.status_code == 200 and not Resource.objects.exists()

    as_member.post(
        add_url(community, "key_link"),
        {"title": "APM", "url": "https://www.apm.org.uk/", "summary": "The body of knowledge.", "tags": "standards"},
    )

    link = Resource.objects.get()
    assert (link.kind, link.url, link.summary) == ("key_link", "https://www.apm.org.uk/", "The body of knowledge.")
    assert not link.files.exists()


def test_a_guide_is_written_in_markdown_and_sanitised(as_member, community):
    as_member.post(
        add_url(community, "guide"),
        {
            "title": "Running a lessons workshop",
            "body": "## Before\n\nBook a room.<script>alert(1)</script>",
            "editing": "members",
            "licence": "cc_by",
        },
    )

    guide = Resource.objects.get()
    assert "<h2>Before</h2>" in guide.body_html and "<script>" not in guide.body_html
    assert guide.revisions.count() == 1

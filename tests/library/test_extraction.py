"""Found from inside: the task extracts text (bounded in pages, characters and time) and indexes it with the
resource, so a search for a phrase inside a document finds it, with the snippet from the document."""

import pytest
from django.urls import reverse

from communities import search
from communities.models import ActivityEvent
from library import services
from library.inspection import inspect_upload
from library.models import Resource

from . import files
from .conftest import add_document, current_version, process

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("report.pdf", lambda word: files.pdf(f"The board noted the {word} in March.")),
        ("brief.docx", lambda word: files.docx("Background.", f"The board noted the {word} in March.")),
        ("deck.pptx", lambda word: files.pptx("Title slide", f"The board noted the {word}")),
        ("raid.xlsx", lambda word: files.xlsx(("Risk", "Note"), ("R1", f"The board noted the {word}"))),
        ("notes.odt", lambda word: files.odt(f"The board noted the {word} in March.")),
        ("notes.txt", lambda word: f"The board noted the {word} in March.".encode()),
        ("log.csv", lambda word: f"id,note\n1,The board noted the {word}\n".encode()),
    ],
)
def test_a_phrase_inside_each_kind_of_document_is_found_with_its_snippet(name, build, community, member, client):
    word = "zeppelinsurvey"
    resource = add_document(community, member, name=name, data=build(word), title="Board minutes")
    assert not search.search(member, word).exists(), "not searchable before the task has run"

    assert process(resource) == "done"

    found = list(search.search(member, word))
    assert [d.title for d in found] == ["Board minutes"]
    assert "<mark>" in found[0].snippet and word in found[0].snippet.lower()
    page = client.get(reverse("communities:search"), {"q": word}).content.decode()
    assert resource.get_absolute_url() in page and f"{word}</mark>" in page.lower()


def test_extraction_stops_at_the_page_limit_and_says_so(community, member, settings):
    settings.LIBRARY_EXTRACT_MAX_PAGES = 2
    resource = add_document(community, member, data=files.pdf("alpha first", "beta second", "gamma third", "delta"))

    process(resource)

    version = current_version(resource)
    assert version.extracted_pages == 4
    assert "alpha" in version.extracted_text and "beta" in version.extracted_text
    assert "gamma" not in version.extracted_text
    assert version.extraction_note == "Only the first 2 of 4 pages were read for search."


def test_extraction_stops_at_the_character_and_time_limits(community, member, settings):
    settings.LIBRARY_EXTRACT_MAX_CHARS = 40
    long = add_document(community, member, name="long.txt", data=("word " * 2000).encode())
    process(long)
    assert len(current_version(long).extracted_text) <= 40
    assert "Only the beginning" in current_version(long).extraction_note

    settings.LIBRARY_EXTRACT_MAX_CHARS = 200_000
    settings.LIBRARY_EXTRACT_SECONDS = 0
    slow = add_document(community, member, data=files.pdf("one", "two", "three"), title="Slow one")
    process(slow)
    assert "took too long" in current_version(slow).extraction_note


def test_a_damaged_document_stays_downloadable_with_a_note(community, member, client):
    broken = b"%PDF-1.7\n" + b"\x00garbage that is not a PDF body" * 50
    resource = add_document(community, member, name="broken.pdf", data=broken)

    assert process(resource) == "done"

    version = current_version(resource)
    assert version.extracted_text == "" and "could not be read" in version.extraction_note
    assert version.preview_key == ""
    assert client.get(version.download_url(resource)).status_code == 200


def test_pictures_get_a_reduced_preview(community, member):
    resource = add_document(community, member, name="map.png", data=files.png(size=(1600, 900)))

    process(resource)

    version = current_version(resource)
    assert (version.preview_width, version.preview_height) == (480, 270)


def test_the_task_can_run_twice_without_a_second_announcement(community, member):
    resource = add_document(community, member)

    process(resource)
    process(resource)

    events = ActivityEvent.objects.filter(verb__startswith="resource_")
    assert list(events.values_list("verb", flat=True)) == ["resource_added"]


def test_only_the_current_version_is_searched(community, member):
    resource = add_document(community, member, data=files.pdf("The old wording: marmalade."))
    process(resource)
    services.version_add(
        resource=resource,
        file=resource.files.get(),
        by=member,
        inspected=inspect_upload(files.upload("v2.pdf", files.pdf("The new wording: porridge."))),
    )
    process(resource)

    assert search.search(member, "porridge").exists()
    assert not search.search(member, "marmalade").exists()


def test_a_toolkit_is_found_by_the_text_of_any_of_its_files(community, member):
    toolkit = add_document(
        community,
        member,
        kind=Resource.Kind.TOOLKIT,
        name="charter.docx",
        data=files.docx("Project charter with a sponsor line."),
        title="Start-up toolkit",
        body="Use the charter first, then the plan.",
    )
    process(toolkit)
    plan = services.version_add(
        resource=toolkit,
        file=None,
        by=member,
        inspected=inspect_upload(
            files.upload("plan.xlsx", files.xlsx(("Milestone", "Owner"), ("Kickoff", "Ravioli")))
        ),
        title="Plan",
    )
    process(plan)

    assert [d.title for d in search.search(member, "sponsor")] == ["Start-up toolkit"]
    assert [d.title for d in search.search(member, "ravioli")] == ["Start-up toolkit"]
    assert toolkit.files.count() == 2

"""The optional clamd hook (CLAMD_URL): versions stay pending until a real INSTREAM exchange, with a tiny clamd on
loopback, says they are clean. Without CLAMD_URL, versions are available at once."""

import pytest
from celery.exceptions import Retry

from communities.models import ModerationAction
from library import storage
from library.models import ResourceVersion
from library.tasks import process_version

from . import files
from .conftest import add_document, current_version
from .fake_clamd import EICAR, FakeClamd

pytestmark = pytest.mark.django_db
ScanState = ResourceVersion.ScanState


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD_URL = server.url
        yield server


def test_without_a_scanner_a_version_is_available_at_once(community, member, client):
    resource = add_document(community, member)
    version = current_version(resource)

    assert version.scan_state == ScanState.NOT_SCANNED
    assert client.get(version.download_url(resource)).status_code == 200


def test_a_version_waits_for_clamd_and_is_published_once_clean(clamd, community, member, client):
    data = files.pdf("Clean paper.")
    resource = add_document(community, member, data=data)
    version = current_version(resource)

    assert version.scan_state == ScanState.PENDING
    assert resource.files.get().current_version is None
    assert client.get(version.download_url(resource)).status_code == 404
    assert "being checked for viruses" in client.get(resource.get_absolute_url()).content.decode()

    assert process_version(version.pk) == "done"

    version.refresh_from_db()
    assert version.scan_state == ScanState.CLEAN and version.scanned_at
    assert clamd.scanned == [data], "clamd received exactly the stored bytes"
    assert resource.files.get().current_version == version
    assert client.get(version.download_url(resource)).status_code == 200


def test_an_infected_upload_is_refused_deleted_and_logged(clamd, community, member, client):
    resource = add_document(community, member, name="eicar.txt", data=EICAR)
    version = current_version(resource)

    assert process_version(version.pk) == "infected"

    version.refresh_from_db()
    assert version.scan_state == ScanState.INFECTED and version.scan_detail == "Eicar-Test-Signature"
    assert not storage.library_storage().exists(version.storage_key)
    assert client.get(version.download_url(resource)).status_code == 404
    assert ModerationAction.objects.filter(community=community, summary__contains="Eicar-Test-Signature").exists()
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "Refused by the virus scan" in page
    assert process_version(version.pk) == "infected", "running again changes nothing"


def test_an_unreachable_scanner_keeps_the_version_pending_and_the_task_retries(settings, community, member, client):
    with FakeClamd() as server:
        url = server.url
    settings.CLAMD_URL = url  # the port is closed again: nothing listens there
    resource = add_document(community, member)
    version = current_version(resource)

    with pytest.raises(Retry):
        process_version.apply(args=(version.pk,), throw=True)

    version.refresh_from_db()
    assert version.scan_state == ScanState.PENDING
    assert client.get(version.download_url(resource)).status_code == 404


def test_a_scanner_error_answer_is_not_taken_for_clean(clamd, community, member):
    clamd.answer_error = True
    resource = add_document(community, member)
    version = current_version(resource)

    with pytest.raises(Retry):
        process_version.apply(args=(version.pk,), throw=True)
    version.refresh_from_db()
    assert version.scan_state == ScanState.PENDING

"""Library files on S3-compatible storage through django-storages, against a real S3 endpoint: moto's server,
started on loopback by this module and stopped by its PID. The bucket is private; downloads are short-lived
presigned URLs handed out only after the usual permission check."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import boto3
import pytest
from django.urls import reverse

from library.models import Resource, ResourceVersion

from ..conftest import login
from ..helpers import assert_kept_out
from . import files
from .conftest import DOCUMENT_PHRASE, add_document, process

pytestmark = pytest.mark.django_db
CREDENTIALS = {"aws_access_key_id": "library-test", "aws_secret_access_key": "library-test-secret"}
REGION = "eu-west-2"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = Path(sys.executable).with_name("moto_server")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, and the library's storage pointed at it."""
    name = f"library-{uuid4().hex[:10]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        "library": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "addressing_style": "path",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 60,
                "file_overwrite": False,
            },
        },
    }
    client.bucket = name
    return client


def keys_in(bucket) -> list[str]:
    return sorted(item["Key"] for item in bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", []))


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback moto endpoint)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_an_upload_through_the_view_lands_privately_in_the_bucket_under_a_random_key(bucket, as_member, community):
    data = files.pdf("Stored in S3.")

    as_member.post(
        reverse("library:resource_add", args=[community.slug, "document"]),
        {"title": "Bucketed", "licence": "ask", "file": files.upload("Secret plan.pdf", data)},
    )

    version = ResourceVersion.objects.get()
    assert keys_in(bucket) == [version.storage_key]
    assert "Secret" not in version.storage_key
    stored = bucket.get_object(Bucket=bucket.bucket, Key=version.storage_key)["Body"].read()
    assert stored == data
    grants = bucket.get_object_acl(Bucket=bucket.bucket, Key=version.storage_key)["Grants"]
    assert all(grant["Grantee"].get("URI") is None for grant in grants), "no public or all-users grant"


def test_a_download_is_a_short_lived_presigned_url_that_serves_an_attachment(bucket, as_member, community, member):
    data = files.pdf("Presigned.")
    resource = add_document(community, member, name="Plan – v2.pdf", data=data)
    version = ResourceVersion.objects.get(file__resource=resource)

    response = as_member.get(version.download_url(resource))

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"]
    assert query["response-content-disposition"][0].startswith("attachment;")
    status, headers, body = fetch(location)
    assert status == 200 and body == data
    assert headers["Content-Disposition"] == (
        "attachment; filename=\"Plan  v2.pdf\"; filename*=UTF-8''Plan%20%E2%80%93%20v2.pdf"
    )
    assert {k.lower(): v for k, v in headers.items()}["content-type"] == "application/pdf"
    # Signed (SigV4 signs every query parameter, the disposition included, so S3 refuses an altered link; moto's
    # server does not check signatures unless its IAM auth is switched on, so that half is for S3 to prove).
    assert query["X-Amz-Signature"][0] and query["X-Amz-Credential"][0].startswith("library-test/")


def test_outsiders_of_a_private_community_never_get_a_presigned_url(
    bucket, client, outsider, private_community, private_member
):
    resource = add_document(private_community, private_member)
    version = ResourceVersion.objects.get(file__resource=resource)

    assert_kept_out(login(outsider).get(version.download_url(resource)), private_community)
    response = client.get(version.download_url(resource))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(private_member).get(version.download_url(resource))["Location"].startswith(bucket.meta.endpoint_url)


def test_the_extraction_task_reads_from_the_bucket_and_stores_the_preview_there(bucket, community, member):
    resource = add_document(community, member)
    version = ResourceVersion.objects.get(file__resource=resource)

    assert process(version) == "done"

    version.refresh_from_db()
    assert DOCUMENT_PHRASE in version.extracted_text
    assert version.preview_key and sorted(keys_in(bucket)) == sorted([version.storage_key, version.preview_key])


def test_deleting_a_resource_removes_its_objects_from_the_bucket(
    bucket, community, member, django_capture_on_commit_callbacks
):
    from library import services

    resource = add_document(community, member)
    process(resource)
    assert len(keys_in(bucket)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(resource=resource, by=member)

    assert keys_in(bucket) == [] and not Resource.objects.exists()

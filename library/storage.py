"""The private "library" storage: random keys in, permission-checked responses out.

Nothing here decides who may download; views ask library.permissions first and only then call `file_response`.
Three ways out, by configuration: Django streams the file in chunks (the default), nginx sends it from an internal
location after an X-Accel-Redirect, or the browser is sent to a short-lived presigned S3 URL.
"""

import secrets
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect

from .filenames import content_disposition

STREAM_BLOCK = 256 * 1024
# Served files may never run as a page of ours, even if a browser were to try: no scripts, no plugins, no forms.
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def library_storage():
    return storages["library"]


def new_key(prefix: str) -> str:
    """A random storage key that says nothing about the file or its uploader."""
    token = secrets.token_hex(20)
    return f"{prefix}/{token[:2]}/{token}"


def save(key: str, content) -> str:
    """Store the content under the key; returns the key actually used (storages may adjust it)."""
    return library_storage().save(key, content)


def delete(key: str) -> None:
    if key:
        library_storage().delete(key)


def _is_s3(storage) -> bool:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a dependency
        return False
    return isinstance(storage, S3Storage)


@contextmanager
def local_copy(key: str):
    """A path on local disk holding the stored file (copied in chunks when the storage is remote)."""
    storage = library_storage()
    if isinstance(storage, FileSystemStorage):  # only a local storage has a path; S3 and the like are copied
        yield Path(storage.path(key))
        return
    with tempfile.NamedTemporaryFile(suffix=".blob") as copy, storage.open(key, "rb") as source:
        shutil.copyfileobj(source, copy, STREAM_BLOCK)
        copy.flush()
        yield Path(copy.name)


def _protect(response, *, private: bool = True):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store" if private else "private, max-age=300"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def file_response(*, key: str, filename: str, content_type: str, inline: bool = False):
    """The response that hands over the stored file, after the caller's permission check."""
    storage = library_storage()
    disposition = content_disposition(filename, inline=inline)
    if _is_s3(storage):
        url = storage.url(
            key,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": content_type},
            expire=settings.STORAGES["library"].get("OPTIONS", {}).get("querystring_expire", 60),
        )
        return _protect(HttpResponseRedirect(url))
    if settings.LIBRARY_X_ACCEL_REDIRECT_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.LIBRARY_X_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + quote(key)
        response["Content-Disposition"] = disposition
        return _protect(response)
    response = FileResponse(storage.open(key, "rb"), content_type=content_type)
    response.block_size = STREAM_BLOCK
    response["Content-Disposition"] = disposition
    return _protect(response)

"""File names from users: cleaned for display, never used to store anything, and quoted safely in headers."""

import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

MAX_NAME_CHARS = 120
# Control, format (which holds the bidi overrides U+202A-202E and U+2066-2069, and zero-width characters),
# surrogate and line/paragraph separator characters: none belongs in a file name.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def clean_filename(raw: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """The name without any path, control or bidi-override characters, leading dots or excess length.

    The extension survives truncation, so "report.pdf" stays recognisably a PDF however long the stem was.
    """
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:16]
    room = max_chars - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .")
    if not stem:
        stem = "file"
    return f"{stem}.{extension}" if extension else stem


def extension_of(name: str) -> str:
    """The last suffix, lower case and without its dot ("" when there is none)."""
    return PurePosixPath(name).suffix.lower().lstrip(".")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """An RFC 6266 header value: an ASCII fallback for old clients and the exact name as filename* (RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = "".join(ch if ch.isprintable() and ch not in '"\\;' else "_" for ch in fallback).strip() or "download"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"

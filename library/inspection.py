"""Look inside an upload before anything is stored: is it what its name says, and is it safe to hand to others?

The type is sniffed from the bytes (libmagic) and must agree with the extension, which must be on the allow-list.
Office files are zips: they are opened with bounds on entry count and uncompressed size, refused if they hold
symbolic links, unsafe names, macros or embedded objects, and every XML part's prolog is parsed so that a DTD (the
door to entity expansion and external entities) is refused before any library reads the file. Images are decoded
and re-encoded, which drops their metadata and anything hidden after the image data.
"""

import codecs
import hashlib
import stat
import tempfile
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import magic
from defusedxml import ElementTree
from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

from . import filetypes
from .filenames import clean_filename, extension_of
from .filetypes import FileType

CHUNK = 1024 * 1024
SNIFF_BYTES = 8192
XML_PROLOG_LIMIT = 64 * 1024  # the root element must start within this many bytes of each XML part
CONTENT_TYPES_LIMIT = 1024 * 1024

_DESCRIPTIONS = {
    "text/html": "a web page (HTML)",
    "text/xml": "XML",
    "application/xml": "XML",
    "image/svg+xml": "an SVG image",
    "application/postscript": "a PostScript program",
    "image/x-mvg": "an ImageMagick drawing script",
    "text/x-php": "a PHP script",
    "text/x-script.python": "a Python script",
    "text/x-shellscript": "a shell script",
    "application/zip": "a zip archive",
    "image/gif": "a GIF image",
    "image/png": "a PNG image",
    "image/jpeg": "a JPEG image",
    "image/vnd.djvu": "a DjVu document",
    "application/pdf": "a PDF",
    "video/x-msvideo": "a video",
    "application/x-ole-storage": "an older-format or password-protected Office file",
    "application/CDFV2": "an older-format or password-protected Office file",
    "application/encrypted": "a password-protected file",
    "application/x-dosexec": "a Windows program",
    "application/x-executable": "a program",
    "application/octet-stream": "unrecognised binary data",
}


class UploadRefused(Exception):
    """The file is not stored; the message tells the member why and what to do."""


@dataclass
class InspectedFile:
    name: str
    filetype: FileType
    content: File  # what gets stored: the upload itself, or the re-encoded image
    size: int
    sha256: str
    text_encoding: str = ""


def _a(label: str) -> str:
    return f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"


def describe(sniffed: str) -> str:
    return _DESCRIPTIONS.get(sniffed, f"of type {sniffed}")


def _mismatch(filetype: FileType, sniffed: str) -> UploadRefused:
    return UploadRefused(
        f"The name says this is {_a(filetype.label)}, but its content is {describe(sniffed)}. "
        "Only files whose content matches their name are accepted."
    )


def inspect_upload(upload, *, max_bytes: int | None = None) -> InspectedFile:
    """Check an uploaded file (a Django UploadedFile or File) and return what to store, or raise UploadRefused."""
    max_bytes = max_bytes or settings.LIBRARY_MAX_UPLOAD_BYTES
    name = clean_filename(upload.name)
    extension = extension_of(name)
    filetype = filetypes.ALLOWED.get(extension)
    if filetype is None:
        raise UploadRefused(filetypes.not_accepted(extension))
    if upload.size is not None and upload.size > max_bytes:
        raise UploadRefused(f"The file is larger than {filesizeformat(max_bytes)}, the most the library takes.")
    if not upload.size:
        raise UploadRefused("The file is empty.")
    stream = upload.file if hasattr(upload, "file") else upload
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    sniffed = magic.from_buffer(head, mime=True)
    encoding = ""
    if filetype.family == "image":
        content = _reencoded_image(stream, filetype, sniffed)
    else:
        content = File(stream, name=name)
        if filetype.family == "pdf":
            _check_pdf(head, filetype, sniffed)
        elif filetype.family == "ooxml":
            _check_ooxml(stream, head, filetype, sniffed)
        elif filetype.family == "odf":
            _check_odf(stream, head, filetype, sniffed)
        else:
            encoding = _check_text(stream, filetype, sniffed)
    size, digest = _measure(content.file)
    return InspectedFile(name, filetype, content, size, digest, encoding)


def _measure(stream) -> tuple[int, str]:
    stream.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


# --- PDF and text -----------------------------------------------------------------------------------------------


def _check_pdf(head: bytes, filetype: FileType, sniffed: str) -> None:
    if sniffed != "application/pdf" or b"%PDF-" not in head[:1024]:
        raise _mismatch(filetype, sniffed)


def _check_text(stream, filetype: FileType, sniffed: str) -> str:
    """Text must sniff as text (not HTML, XML or a script), hold no NUL bytes, and decode as UTF-8 or Windows-1252."""
    if sniffed not in filetypes.TEXT_SNIFFED:
        raise _mismatch(filetype, sniffed)
    for encoding in ("utf-8", "windows-1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        stream.seek(0)
        try:
            while chunk := stream.read(CHUNK):
                if b"\x00" in chunk:
                    raise UploadRefused(f"The name says this is {_a(filetype.label)} file, but it holds binary data.")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            stream.seek(0)
        return encoding
    raise UploadRefused("The text could not be read as UTF-8 or Windows-1252. Save it as UTF-8 and upload it again.")


# --- Images -----------------------------------------------------------------------------------------------------


def _reencoded_image(stream, filetype: FileType, sniffed: str) -> File:
    """Decode the picture and write a fresh copy: metadata, comments and trailing data do not survive."""
    if sniffed != filetype.content_type:
        raise _mismatch(filetype, sniffed)
    expected = filetypes.IMAGE_FORMATS[filetype.extension]
    try:
        with Image.open(stream) as image:
            if image.format != expected:
                raise _mismatch(filetype, sniffed)
            width, height = image.size
            if width * height > settings.LIBRARY_MAX_IMAGE_PIXELS:
                raise UploadRefused(
                    f"The picture is {width} × {height} pixels, more than the library takes. "
                    "Save a smaller copy and upload that."
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            transparency = image.info.get("transparency")
            image.info.clear()
            out = tempfile.SpooledTemporaryFile(max_size=4 * CHUNK)  # noqa: SIM115 (returned, closed with the upload)
            if expected == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, "JPEG", quality=90, optimize=True)
            else:
                if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
                    image = image.convert("RGBA")
                options = {"transparency": transparency} if transparency is not None else {}
                image.save(out, "PNG", optimize=True, **options)
    except UploadRefused:
        raise
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise UploadRefused(f"The picture could not be read ({exc.__class__.__name__}); it may be damaged.") from exc
    out.seek(0)
    return File(out, name=f"image.{filetype.extension}")


# --- Zip-based office files --------------------------------------------------------------------------------------


class _RootReached(Exception):
    pass


class _DoctypeFound(Exception):
    pass


def _open_zip(stream, filetype: FileType, head: bytes, sniffed: str) -> zipfile.ZipFile:
    if not head.startswith(b"PK\x03\x04"):
        raise _mismatch(filetype, sniffed)
    stream.seek(0)
    try:
        return zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UploadRefused(f"The {filetype.label} could not be opened; it may be damaged.") from exc


def _check_entries(archive: zipfile.ZipFile, filetype: FileType) -> list[zipfile.ZipInfo]:
    """Refuse zip bombs, symbolic links, encrypted parts and names that could escape a folder."""
    entries = archive.infolist()
    if len(entries) > settings.LIBRARY_ZIP_MAX_ENTRIES:
        raise UploadRefused(
            f"The {filetype.label} holds {len(entries)} parts, far more than a real one needs; "
            "it was refused as a possible zip bomb."
        )
    total = 0
    for entry in entries:
        name = entry.filename
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or "\x00" in name
            or (len(name) > 1 and name[1] == ":")
            or ".." in PurePosixPath(name).parts
        ):
            raise UploadRefused(f"The {filetype.label} contains parts with unsafe names and was refused.")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise UploadRefused(
                f"The {filetype.label} contains a symbolic link, which real office files never do; it was refused."
            )
        if entry.flag_bits & 0x1:
            raise UploadRefused(
                "The file is encrypted or password-protected, so we cannot check it. "
                "Remove the password and upload it again."
            )
        total += entry.file_size
        if total > settings.LIBRARY_ZIP_MAX_UNCOMPRESSED_BYTES:
            limit = filesizeformat(settings.LIBRARY_ZIP_MAX_UNCOMPRESSED_BYTES)
            raise UploadRefused(
                f"Unpacked, the {filetype.label} would take more than {limit}; it was refused as a possible zip bomb."
            )
    return entries


def _check_xml_prolog(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, filetype: FileType) -> None:
    """Parse the part up to its root element: a DOCTYPE or ENTITY declaration there is refused."""
    parser = xml.parsers.expat.ParserCreate()

    def doctype(*args):
        raise _DoctypeFound

    def root(*args):
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    read = 0
    try:
        with archive.open(entry) as part:
            while chunk := part.read(4096):
                read += len(chunk)
                parser.Parse(chunk, False)
                if read > XML_PROLOG_LIMIT:
                    break
            parser.Parse(b"", True)
    except _RootReached:
        return
    except _DoctypeFound as exc:
        raise UploadRefused(
            f"The {filetype.label} contains XML with a document type declaration (DTD), which real office files "
            "never have and which is used for entity-expansion attacks; it was refused."
        ) from exc
    except (xml.parsers.expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise UploadRefused(f"The {filetype.label} contains damaged XML and could not be checked.") from exc
    raise UploadRefused(f"The {filetype.label} contains an XML part we could not check.")


def _check_all_xml(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], filetype: FileType) -> None:
    for entry in entries:
        if entry.filename.lower().endswith((".xml", ".rels")) and not entry.is_dir():
            _check_xml_prolog(archive, entry, filetype)


def _is_macro_part(name: str) -> bool:
    lowered = name.lower()
    leaf = lowered.rsplit("/", 1)[-1]
    return (
        leaf in ("vbaproject.bin", "vbadata.xml")
        or lowered.startswith(("activex/", "word/activex/", "xl/activex/", "ppt/activex/"))
        or ("/embeddings/" in f"/{lowered}" and leaf.endswith((".bin", ".docm", ".xlsm", ".pptm", ".doc", ".xls")))
    )


def _check_ooxml(stream, head: bytes, filetype: FileType, sniffed: str) -> None:
    if not (sniffed in ("application/zip", "application/octet-stream") or sniffed.startswith("application/vnd.")):
        raise _mismatch(filetype, sniffed)
    with _open_zip(stream, filetype, head, sniffed) as archive:
        entries = _check_entries(archive, filetype)
        names = {entry.filename: entry for entry in entries}
        if any(_is_macro_part(name) for name in names):
            raise UploadRefused(filetypes.MACRO)
        if "[Content_Types].xml" not in names:
            raise UploadRefused(f"The name says this is {_a(filetype.label)}, but it is not an Office file inside.")
        _check_xml_prolog(archive, names["[Content_Types].xml"], filetype)
        with archive.open(names["[Content_Types].xml"]) as part:
            declared = part.read(CONTENT_TYPES_LIMIT + 1)
        if len(declared) > CONTENT_TYPES_LIMIT:
            raise UploadRefused(f"The {filetype.label} has an implausibly large list of parts and was refused.")
        try:
            types = ElementTree.fromstring(declared, forbid_dtd=True)
        except Exception as exc:  # defusedxml raises its own errors and ParseError
            raise UploadRefused(f"The {filetype.label} has a damaged list of parts.") from exc
        content_types = {element.get("ContentType", "") for element in types}
        if any("macroenabled" in ct.lower() or "vbaproject" in ct.lower() for ct in content_types):
            raise UploadRefused(filetypes.MACRO)
        actual = {filetypes.OOXML_MAIN_PARTS[ct] for ct in content_types if ct in filetypes.OOXML_MAIN_PARTS}
        if filetype.extension not in actual:
            found = _a(filetypes.ALLOWED[sorted(actual)[0]].label) if actual else "not a document we recognise"
            raise UploadRefused(
                f"The name says this is {_a(filetype.label)}, but inside it is {found}. "
                "Only files whose content matches their name are accepted."
            )
        _check_all_xml(archive, entries, filetype)


def _check_odf(stream, head: bytes, filetype: FileType, sniffed: str) -> None:
    if not (sniffed in ("application/zip", "application/octet-stream") or sniffed.startswith("application/vnd.")):
        raise _mismatch(filetype, sniffed)
    with _open_zip(stream, filetype, head, sniffed) as archive:
        entries = _check_entries(archive, filetype)
        if not entries or entries[0].filename != "mimetype":
            raise UploadRefused(f"The name says this is {_a(filetype.label)}, but it is not an OpenDocument file.")
        with archive.open(entries[0]) as part:
            mimetype = part.read(200).decode("ascii", "replace").strip()
        if any(entry.filename.startswith(("Basic/", "Scripts/")) for entry in entries):
            raise UploadRefused(
                "OpenDocument files with macros or scripts are not accepted: they could run on other members' "
                "computers. Save a copy without macros and upload that."
            )
        if filetypes.ODF_MIMETYPES.get(mimetype) != filetype.extension:
            found = filetypes.LABELS.get(mimetype)
            raise UploadRefused(
                f"The name says this is {_a(filetype.label)}, but inside it is "
                f"{_a(found) if found else describe(mimetype)}. "
                "Only files whose content matches their name are accepted."
            )
        _check_all_xml(archive, entries, filetype)

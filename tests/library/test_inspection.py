"""Upload safety: the type from the bytes must agree with the name, office files are opened as bounded zips with
their XML's DTDs refused, and pictures are re-encoded. Each hostile file is made here from a real one."""

import io
import zipfile

import pytest
from PIL import Image

from library.filenames import clean_filename, content_disposition
from library.inspection import UploadRefused, inspect_upload

from . import files


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(UploadRefused) as caught:
        inspect_upload(files.upload(name, data))
    return str(caught.value)


@pytest.mark.parametrize(
    ("name", "build", "content_type"),
    [
        ("plan.pdf", lambda: files.pdf("A plan."), "application/pdf"),
        (
            "brief.docx",
            lambda: files.docx("A brief."),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "raid.xlsx",
            lambda: files.xlsx(("Risk", "Owner")),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "deck.pptx",
            lambda: files.pptx("Slide one"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("notes.odt", lambda: files.odt("Notes."), "application/vnd.oasis.opendocument.text"),
        ("notes.txt", lambda: b"Plain notes\n", "text/plain"),
        ("README.md", lambda: "# Héading\n\n- one\n".encode(), "text/markdown"),
        ("risks.csv", lambda: b"id,risk\n1,late delivery\n", "text/csv"),
        ("chart.png", files.png, "image/png"),
        ("photo.JPG", files.jpeg, "image/jpeg"),
    ],
)
def test_allowed_types_are_accepted_with_the_type_sniffed_from_their_bytes(name, build, content_type):
    inspected = inspect_upload(files.upload(name, build(), content_type="application/x-evil"))

    assert inspected.filetype.content_type == content_type


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan.docm", "Macro-enabled Office files are not accepted"),
        ("old.doc", "Older Office formats"),
        ("page.html", "Web pages, SVG images and XML files are not accepted"),
        ("logo.svg", "Web pages, SVG images and XML files are not accepted"),
        ("run.js", "Scripts, program code"),
        ("shell.php", "Scripts, program code"),
        ("setup.exe", "Programs, installers"),
        ("bundle.zip", "Archives are not accepted"),
        ("passwd", "no extension"),
        ("movie.avi", "“.avi” files are not accepted"),
    ],
)
def test_refused_extensions_say_why(name, expected):
    assert expected in refusal(name, b"anything at all")


def test_content_must_agree_with_the_extension():
    assert "its content is a PHP script" in refusal("photo.jpg", b"<?php system($_GET['c']); ?>")
    assert "its content is a PostScript program" in refusal("scan.pdf", b"%!PS-Adobe-3.0\n/x { } def\n")
    assert "its content is a web page" in refusal("notes.txt", b"<html><body><script>alert(1)</script></body></html>")
    assert "its content is a PNG image" in refusal("photo.jpg", files.png())
    assert "inside it is an Excel workbook" in refusal("brief.docx", files.xlsx(("a",)))
    assert "but it is not an Office file inside" in refusal("brief.docx", _zip({"hello.txt": b"hi"}))


def _zip(parts: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_macros_hidden_in_an_ordinary_looking_docx_are_refused():
    with_vba = files.rezip(files.docx("Looks fine."), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})
    assert "Macro-enabled" in refusal("fine.docx", with_vba)

    macro_type = files.rezip(
        files.docx("Looks fine."),
        replace={
            "[Content_Types].xml": (
                b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                b'2006/content-types"><Override PartName="/word/document.xml" '
                b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
            )
        },
    )
    assert "Macro-enabled" in refusal("fine.docx", macro_type)


def test_xml_with_a_dtd_is_refused_before_any_parser_expands_it():
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:document>'
    )
    external = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&xxe;</Relationships>'
    )
    bomb = files.rezip(files.docx("Hello"), replace={"word/document.xml": billion_laughs})
    xxe = files.rezip(files.xlsx(("a",)), replace={"_rels/.rels": external})
    xxe_odt = files.rezip(files.odt("Hello"), replace={"content.xml": external})

    for name, data in (("a.docx", bomb), ("b.xlsx", xxe), ("c.odt", xxe_odt)):
        assert "document type declaration (DTD)" in refusal(name, data)


def test_zip_tricks_are_refused():
    docx = files.docx("Hello")
    symlink = files.rezip(docx, symlinks={"word/media/passwd": "../../../../etc/passwd"})
    escape = files.rezip(docx, add={"../../evil.xml": b"<a/>"})
    many = files.rezip(docx, add={f"customXml/item{i}.txt": b"" for i in range(5_001)})
    huge = files.rezip(docx, add={"word/media/zeros.bin.txt": b"\0" * (301 * 1024 * 1024)})

    assert "symbolic link" in refusal("a.docx", symlink)
    assert "unsafe names" in refusal("b.docx", escape)
    assert "possible zip bomb" in refusal("c.docx", many)
    assert "possible zip bomb" in refusal("d.docx", huge)
    assert len(huge) < 2 * 1024 * 1024  # the bomb is small on the wire: only the declared sizes give it away


def test_opendocument_macros_and_impostors_are_refused():
    with_basic = files.rezip(files.odt("Hi"), add={"Basic/Standard/Module1.xml": b"<script/>"})
    assert "macros or scripts" in refusal("a.odt", with_basic)
    assert "not an OpenDocument file" in refusal("b.odt", files.docx("Hi"))


def test_text_with_binary_data_is_refused_and_windows_text_is_accepted():
    assert "holds binary data" in refusal("notes.txt", b"hello\n" * 3000 + b"\0\0\0")
    inspected = inspect_upload(files.upload("export.csv", "café;résumé\n".encode("windows-1252")))
    assert inspected.text_encoding == "windows-1252"


def test_pictures_are_re_encoded_without_metadata():
    exif = Image.Exif()
    exif[0x010E] = "<script>alert('exif')</script>"  # ImageDescription
    original = files.jpeg(exif=exif.tobytes(), comment=b"<?php system($_GET[0]); ?>")
    trailing = files.png() + b"<?php echo 'hidden after IEND'; ?>"

    jpeg = inspect_upload(files.upload("photo.jpeg", original))
    png = inspect_upload(files.upload("chart.png", trailing))

    for inspected, marker in ((jpeg, b"<script>"), (jpeg, b"<?php"), (png, b"<?php")):
        stored = inspected.content.read()
        inspected.content.seek(0)
        assert marker not in stored
    assert Image.open(jpeg.content).size == (64, 48)


def test_a_picture_with_too_many_pixels_is_refused(settings):
    settings.LIBRARY_MAX_IMAGE_PIXELS = 1000
    assert "more than the library takes" in refusal("big.png", files.png(size=(100, 100)))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\me\\plan.docx", "plan.docx"),
        ("invoice\u202etxt.exe", "invoicetxt.exe"),  # a right-to-left override that made .exe read as .txt
        ("re\x00po\x1brt\n.pdf", "report.pdf"),
        ("  .hidden.pdf ", "hidden.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
        ("...", "file"),
    ],
)
def test_file_names_lose_paths_control_and_bidi_characters_and_excess_length(raw, clean):
    assert clean_filename(raw) == clean


def test_content_disposition_carries_an_ascii_fallback_and_the_exact_name():
    header = content_disposition('Plan "final"; v2 – café.pdf')

    assert header == (
        'attachment; filename="Plan _final__ v2  cafe.pdf"; '
        "filename*=UTF-8''Plan%20%22final%22%3B%20v2%20%E2%80%93%20caf%C3%A9.pdf"
    )

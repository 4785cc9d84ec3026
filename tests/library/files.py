"""Small real files for library tests, built in memory (and hostile variants of them)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from odf.opendocument import OpenDocumentText
from odf.text import P
from openpyxl import Workbook
from PIL import Image
from pptx import Presentation

from library.demo_files import text_pdf


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """What the browser sends; the content type is the browser's claim, which the library ignores."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf(*pages: str, title: str = "A document") -> bytes:
    """A text PDF with one page per argument (latin-1 text: the PDF core fonts have no more)."""
    sections = []
    for index, text in enumerate(pages):
        if index:
            sections.append(("\f", ""))
        sections.append((f"Page {index + 1}", text))
    return text_pdf(title, sections)


def docx(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx(*rows: tuple) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx(*slides: str) -> bytes:
    presentation = Presentation()
    for text in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = text
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def odt(*paragraphs: str) -> bytes:
    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def png(size=(64, 48), color=(0, 137, 90), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG", **save_options)
    return buffer.getvalue()


def jpeg(size=(64, 48), color=(0, 137, 90), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def rezip(data: bytes, *, replace: dict | None = None, add: dict | None = None, symlinks: dict | None = None) -> bytes:
    """Rewrite a zip-based office file: replace or add parts, or add symbolic-link entries."""
    replace, add, symlinks = replace or {}, add or {}, symlinks or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, replace.get(entry.filename, source.read(entry.filename)))
        for name, content in add.items():
            target.writestr(name, content)
        for name, points_to in symlinks.items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16) | 0x20
            target.writestr(info, points_to)
    return buffer.getvalue()

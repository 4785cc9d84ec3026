"""Text out of documents (for search) and a small preview image out of PDFs and pictures.

Every extractor stops at a page limit, a character limit and a deadline, and says so in its note; the Celery task
that calls them has time limits of its own for the one page that takes forever. Files reach here only after
`library.inspection` accepted them (zip bounds checked, no DTDs), and are read from a local path.
"""

import io
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image

PREVIEW_WIDTH = 480
PREVIEW_MAX_HEIGHT = 720


@dataclass
class Extracted:
    text: str
    pages: int | None = None
    note: str = ""


@dataclass
class Preview:
    png: bytes
    width: int
    height: int


class _Budget:
    """Characters still wanted and time still left; extractors ask it before each page, slide, sheet or row."""

    def __init__(self, max_chars: int, seconds: float):
        self.left = max_chars
        self.deadline = time.monotonic() + seconds
        self.parts: list[str] = []
        self.note = ""

    def add(self, text: str) -> bool:
        """Keep the text; False once the budget is spent (the caller stops)."""
        text = " ".join((text or "").split())
        if text:
            self.parts.append(text[: self.left])
            self.left -= len(text) + 1
        if self.left <= 0:
            self.note = self.note or "Only the beginning of the text was kept for search."
            return False
        if time.monotonic() > self.deadline:
            self.note = self.note or "Text extraction took too long; only the beginning is searchable."
            return False
        return True

    def result(self, pages: int | None = None) -> Extracted:
        return Extracted(" ".join(self.parts)[: max(0, settings.LIBRARY_EXTRACT_MAX_CHARS)], pages, self.note)


def extract_text(path: Path, content_type: str, *, encoding: str = "") -> Extracted:
    """The document's text, bounded by LIBRARY_EXTRACT_MAX_PAGES, _MAX_CHARS and _SECONDS."""
    budget = _Budget(settings.LIBRARY_EXTRACT_MAX_CHARS, settings.LIBRARY_EXTRACT_SECONDS)
    try:
        if content_type == "application/pdf":
            return _pdf(path, budget)
        if content_type.startswith("application/vnd.openxmlformats-officedocument.wordprocessingml"):
            return _docx(path, budget)
        if content_type.startswith("application/vnd.openxmlformats-officedocument.presentationml"):
            return _pptx(path, budget)
        if content_type.startswith("application/vnd.openxmlformats-officedocument.spreadsheetml"):
            return _xlsx(path, budget)
        if content_type.startswith("application/vnd.oasis.opendocument"):
            return _odf(path, budget)
        if content_type.startswith("text/"):
            return _text(path, budget, encoding or "utf-8")
    except Exception as exc:  # a damaged file must not stop the version from being listed and downloaded
        return Extracted("", None, f"The text could not be read for search ({exc.__class__.__name__}).")
    return Extracted("")


def _pdf(path: Path, budget: _Budget) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        return Extracted("", None, "The PDF is password-protected, so its text is not searchable.")
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages):
        if number >= settings.LIBRARY_EXTRACT_MAX_PAGES:
            budget.note = f"Only the first {number} of {pages} pages were read for search."
            break
        if not budget.add(page.extract_text() or ""):
            break
    return budget.result(pages)


def _docx(path: Path, budget: _Budget) -> Extracted:
    from docx import Document

    document = Document(str(path))
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return budget.result()
    for table in document.tables:
        for row in table.rows:
            if not budget.add(" ".join(cell.text for cell in row.cells)):
                return budget.result()
    return budget.result()


def _pptx(path: Path, budget: _Budget) -> Extracted:
    from pptx import Presentation

    presentation = Presentation(str(path))
    slides = len(presentation.slides)
    for number, slide in enumerate(presentation.slides):
        if number >= settings.LIBRARY_EXTRACT_MAX_PAGES:
            budget.note = f"Only the first {number} of {slides} slides were read for search."
            break
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text if slide.notes_slide.notes_text_frame else "")
        if not budget.add(" ".join(texts)):
            break
    return budget.result(slides)


def _xlsx(path: Path, budget: _Budget) -> Extracted:
    from openpyxl import load_workbook

    # A file object, not the path: openpyxl refuses names without an .xlsx extension, and stored keys have none.
    handle = path.open("rb")
    workbook = load_workbook(handle, read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            if not budget.add(sheet.title):
                break
            for row in sheet.iter_rows(values_only=True):
                if not budget.add(" ".join(str(value) for value in row if value is not None)):
                    return budget.result(len(workbook.worksheets))
        return budget.result(len(workbook.worksheets))
    finally:
        workbook.close()
        handle.close()


def _odf(path: Path, budget: _Budget) -> Extracted:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    document = load(str(path))
    for element in document.getElementsByType(odf_text.P) + document.getElementsByType(odf_text.H):
        if not budget.add(teletype.extractText(element)):
            break
    return budget.result()


def _text(path: Path, budget: _Budget, encoding: str) -> Extracted:
    with path.open("r", encoding=encoding, errors="replace") as handle:
        while chunk := handle.read(64 * 1024):
            if not budget.add(chunk):
                break
    return budget.result()


# --- Previews ----------------------------------------------------------------------------------------------------


def render_preview(path: Path, content_type: str) -> Preview | None:
    """A PNG of a PDF's first page or a reduced copy of a picture; None for other types or unreadable files."""
    try:
        if content_type == "application/pdf":
            image = _pdf_first_page(path)
        elif content_type in ("image/png", "image/jpeg"):
            image = Image.open(path)
            image.load()
        else:
            return None
    except Exception:
        return None
    if image is None:
        return None
    image.thumbnail((PREVIEW_WIDTH, PREVIEW_MAX_HEIGHT))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return Preview(out.getvalue(), image.width, image.height)


def _pdf_first_page(path: Path):
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        if len(document) == 0:
            return None
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            return None
        scale = min(PREVIEW_WIDTH / width, PREVIEW_MAX_HEIGHT / height, 4.0)
        image = page.render(scale=scale).to_pil()
        page.close()
        return image
    finally:
        document.close()

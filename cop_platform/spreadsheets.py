"""CSV downloads that are safe to open in a spreadsheet.

A cell that starts with =, +, -, @ (or a tab or carriage return, or those after leading spaces) is read as a
formula by Excel, LibreOffice and Google Sheets, so text from users could run one ("CSV injection"). Text cells
like that get a leading apostrophe, which spreadsheets show as text. Numbers are written as numbers.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value) -> str | int | float | Decimal:
    """One cell: numbers as they are, text with control characters removed and formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value).replace("\x00", "")
    if text.lstrip(" ").startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_download(filename: str, rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Stream rows as a UTF-8 CSV attachment (with a byte-order mark, so Excel reads the accents right)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""Reading ids that arrive as text (query strings, form fields)."""

from django.http import Http404

BIGGEST_ID = 2**63 - 1  # the largest id a bigint column holds


def id_or_404(raw) -> int:
    """An id from a query string or form field: "abc", "-1" or a number past any id is a 404, not a 500."""
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or int(text) > BIGGEST_ID:
        raise Http404("No such item.")
    return int(text)

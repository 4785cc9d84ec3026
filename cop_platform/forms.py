"""Form helpers every app shares."""

from django import forms


def capped(model, name: str, limit: int, *, rows: int = 6) -> forms.CharField:
    """A model TextField's form field, capped at `limit` characters (the column has no length of its own): the form
    refuses a longer value with an error and shows the text back, and the browser's maxlength stops typing past it.
    Keeps the model field's label, help text and whether it is required."""
    return model._meta.get_field(name).formfield(max_length=limit, widget=forms.Textarea(attrs={"rows": rows}))

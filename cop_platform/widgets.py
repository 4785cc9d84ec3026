"""Date inputs that browsers can fill: `<input type="date">` and `type="datetime-local"` accept only ISO values.

Django renders dates in the locale's first input format (`01/12/2026` in en-GB), which a browser's date picker
reads as empty, so every date and datetime input in the project uses these widgets.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class PlainSelect(forms.Select):
    """A flat `<select>` (no option groups) rendered in Python rather than through a template per option: the
    search page lists every community the visitor may read, and the templates cost it several milliseconds."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) in chosen else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )

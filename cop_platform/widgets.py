"""Date inputs that browsers can fill: `<input type="date">` and `type="datetime-local"` accept only ISO values.

Django renders dates in the locale's first input format (`01/12/2026` in en-GB), which a browser's date picker
reads as empty, so every date and datetime input in the project uses these widgets.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")

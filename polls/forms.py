from django import forms

from communities.models import Segment

from .models import MAX_CHOICES, RATING_POINTS, Poll, Question
from .survey_templates import TEMPLATES

MARKDOWN_HELP = "Optional. Markdown: **bold**, *italic*, lists, [links](https://…)."
DATETIME = {"widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class PollForm(forms.Form):
    question = forms.CharField(max_length=300)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000, help_text=MARKDOWN_HELP
    )
    choices = forms.CharField(
        label="Options",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=f"One option per line, 2 to {MAX_CHOICES}.",
    )
    kind = forms.ChoiceField(
        label="Voters pick", choices=Poll.Kind.choices, initial=Poll.Kind.SINGLE, widget=forms.RadioSelect
    )
    max_choices = forms.IntegerField(
        label="Most options a voter may pick",
        min_value=1,
        max_value=MAX_CHOICES,
        initial=2,
        required=False,
        help_text="For multiple choice only.",
    )
    results = forms.ChoiceField(
        label="Show results", choices=Poll.Results.choices, initial=Poll.Results.ALWAYS, widget=forms.RadioSelect
    )
    public_voters = forms.BooleanField(
        label="Show who voted for what (public voters)",
        required=False,
        help_text="Leave unticked for an anonymous poll: counts only, no names, not even in the export.",
    )
    opens_at = forms.DateTimeField(
        label="Opens", required=False, help_text="In your time zone. Empty: open now.", **DATETIME
    )
    closes_at = forms.DateTimeField(
        label="Closes", required=False, help_text="Empty: open until a facilitator closes it.", **DATETIME
    )

    def __init__(self, *args, votes_cast: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if votes_cast:
            # Members voted on these options: changing them would change what their votes mean.
            for name in ("choices", "kind", "max_choices"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: people have voted."

    def clean_question(self):
        question = " ".join(self.cleaned_data["question"].split())
        if len(question) < 3:
            raise forms.ValidationError("Write the question you are asking.")
        return question

    def clean_choices(self):
        labels = _lines(self.cleaned_data["choices"])
        if len(labels) < 2:
            raise forms.ValidationError("Give at least two options, one per line.")
        if len(labels) > MAX_CHOICES:
            raise forms.ValidationError(f"A poll has at most {MAX_CHOICES} options; you gave {len(labels)}.")
        if any(len(label) > 200 for label in labels):
            raise forms.ValidationError("Keep each option under 200 characters.")
        if len({label.casefold() for label in labels}) != len(labels):
            raise forms.ValidationError("Two options read the same; make each option different.")
        return labels

    def clean(self):
        data = super().clean()
        labels = data.get("choices") or []
        if data.get("kind") == Poll.Kind.MULTIPLE:
            most = data.get("max_choices") or len(labels)
            if labels and most > len(labels):
                self.add_error("max_choices", f"There are only {len(labels)} options to pick from.")
            data["max_choices"] = most
        else:
            data["max_choices"] = 1
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if closes and opens and closes <= opens:
            self.add_error("closes_at", "The poll must close after it opens.")
        return data


class VoteForm(forms.Form):
    """The ballot: radio buttons for single choice, checkboxes (with a limit) for multiple choice."""

    def __init__(self, *args, poll: Poll, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        options = [(c.pk, c.label) for c in choices]
        if poll.is_multiple:
            self.fields["choice"] = forms.TypedMultipleChoiceField(
                label=poll.question,
                choices=options,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text=f"Pick up to {poll.pick_limit}." if poll.pick_limit < len(options) else "Pick any.",
                error_messages={"required": "Pick at least one option."},
            )
        else:
            self.fields["choice"] = forms.TypedChoiceField(
                label=poll.question,
                choices=options,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Pick an option."},
            )

    def clean_choice(self):
        value = self.cleaned_data["choice"]
        picks = value if isinstance(value, list) else [value]
        if len(picks) > self.poll.pick_limit:
            raise forms.ValidationError(f"Pick at most {self.poll.pick_limit} options.")
        return picks


class ReopenForm(forms.Form):
    closes_at = forms.DateTimeField(
        label="Close again at", required=False, help_text="Empty: open until a facilitator closes it.", **DATETIME
    )


# --- Surveys -------------------------------------------------------------------------------------------------


class SurveyForm(forms.Form):
    template = forms.ChoiceField(
        label="Start from",
        required=False,
        widget=forms.RadioSelect,
        choices=[("", "A blank survey")] + [(t.key, t.title) for t in TEMPLATES.values()],
        initial="",
    )
    title = forms.CharField(max_length=200, required=False, help_text="Empty: the template's title.")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000, help_text=MARKDOWN_HELP
    )
    is_anonymous = forms.BooleanField(
        label="Anonymous responses",
        required=False,
        help_text="Nothing links a response to the member who gave it; answers cannot be filtered by segment.",
    )
    segments = forms.ModelMultipleChoiceField(
        label="Ask only these segments",
        queryset=Segment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every member.",
    )
    opens_at = forms.DateTimeField(label="Opens", required=False, help_text="Empty: when you publish it.", **DATETIME)
    closes_at = forms.DateTimeField(label="Closes", required=False, help_text="Empty: until you close it.", **DATETIME)

    def __init__(self, *args, community, editing=False, responses=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segments"].queryset = Segment.objects.filter(community=community)
        if editing:
            del self.fields["template"]
            self.fields["title"].required = True
            self.fields["title"].help_text = ""
        if responses:
            for name in ("is_anonymous", "segments", "opens_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed: people have responded."

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("template") and "title" not in self.errors:
            self.add_error("title", "Give the survey a title, or start from a template.")
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if closes and opens and closes <= opens:
            self.add_error("closes_at", "The survey must close after it opens.")
        return data


class SectionForm(forms.Form):
    title = forms.CharField(label="Section title", max_length=200)
    description = forms.CharField(label="Introduction", max_length=500, required=False)


class QuestionForm(forms.Form):
    section = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="Kind of answer", choices=Question.Kind.choices)
    text = forms.CharField(label="Question", max_length=300)
    help_text = forms.CharField(label="Hint", max_length=300, required=False)
    required = forms.BooleanField(label="An answer is required", required=False, initial=True)
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text="Single and multiple choice: one option per line, 2 to 20.",
    )
    low_label = forms.CharField(label="What 1 means", max_length=60, required=False, help_text="Rating scale only.")
    high_label = forms.CharField(label="What 5 means", max_length=60, required=False, help_text="Rating scale only.")
    min_value = forms.DecimalField(
        label="Smallest number allowed", max_digits=12, decimal_places=2, required=False, help_text="Number only."
    )
    max_value = forms.DecimalField(
        label="Largest number allowed", max_digits=12, decimal_places=2, required=False, help_text="Number only."
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = survey.sections.all()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            labels = _lines(data.get("options", ""))
            if len(labels) < 2 or len(labels) > 20:
                self.add_error("options", "Give 2 to 20 options, one per line.")
            elif len({label.casefold() for label in labels}) != len(labels):
                self.add_error("options", "Two options read the same; make each option different.")
            elif any(len(label) > 200 for label in labels):
                self.add_error("options", "Keep each option under 200 characters.")
            data["options"] = labels
        else:
            data["options"] = []
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "The largest number must not be below the smallest.")
        return data


def _rating_choices(question: Question):
    labels = {1: question.low_label, 5: question.high_label}
    return [(str(p), f"{p} – {labels[p]}" if labels.get(p) else str(p)) for p in RATING_POINTS]


class ResponseForm(forms.Form):
    """One field per question, named q<pk>; `answers()` gives {question pk: value} for the service."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.field_name] = self._field(question)

    @staticmethod
    def _field(question: Question):
        common = {"label": question.text, "required": question.required, "help_text": question.help_text}
        options = [(str(o.pk), o.label) for o in question.options.all()]
        kind = question.kind
        if kind == Question.Kind.SINGLE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        if kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, **common)
        if kind == Question.Kind.RATING:
            return forms.ChoiceField(choices=_rating_choices(question), widget=forms.RadioSelect, **common)
        if kind == Question.Kind.NUMBER:
            return forms.DecimalField(
                max_digits=12,
                decimal_places=2,
                min_value=question.min_value,
                max_value=question.max_value,
                **common,
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(q.field_name) for q in self.questions}

    @staticmethod
    def initial_from(answers) -> dict:
        """Form initial data from stored answers (to edit a response)."""
        initial: dict = {}
        for answer in answers:
            question = answer.question
            name = question.field_name
            if question.kind == Question.Kind.MULTIPLE:
                initial.setdefault(name, []).append(str(answer.option_id))
            elif question.kind == Question.Kind.SINGLE:
                initial[name] = str(answer.option_id)
            elif question.kind == Question.Kind.RATING:
                initial[name] = str(int(answer.number))
            elif question.kind == Question.Kind.NUMBER:
                initial[name] = answer.number
            else:
                initial[name] = answer.text
        return initial

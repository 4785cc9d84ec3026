"""Surveys facilitators start from: sections and questions they then edit before publishing."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Q:
    kind: str
    text: str
    required: bool = True
    options: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""
    help_text: str = ""


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    description: str
    sections: tuple[tuple[str, tuple[Q, ...]], ...] = field(default_factory=tuple)


USEFUL = {"low_label": "Not useful", "high_label": "Very useful"}

TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in [
        Template(
            "next-quarter",
            "What should we focus on next quarter?",
            "Help the facilitators choose the community's themes, hot seats and events for the next three months. "
            "It takes about three minutes.",
            (
                (
                    "Priorities",
                    (
                        Q(
                            "multiple",
                            "Which topics should we focus on next quarter?",
                            options=(
                                "Benefits realisation",
                                "Risk management",
                                "Portfolio prioritisation",
                                "Agile in government",
                                "Assurance and gateway reviews",
                                "Stakeholder engagement",
                            ),
                            help_text="Tick every topic you would join in on.",
                        ),
                        Q(
                            "single",
                            "Which kind of activity helps you most?",
                            options=("Expert hot seats", "Forum discussions", "Webinars", "Templates and guides"),
                        ),
                        Q("rating", "How useful has the community been to your work so far?", **USEFUL),
                    ),
                ),
                (
                    "About you",
                    (
                        Q("number", "How many projects or programmes are you involved in right now?", required=False),
                        Q("text", "What one thing would make this community more useful to you?", required=False),
                    ),
                ),
            ),
        ),
        Template(
            "hotseat-feedback",
            "Hot seat feedback",
            "Tell us how the last hot seat went, so the next one is better.",
            (
                (
                    "The hot seat",
                    (
                        Q("rating", "How useful were the expert's answers?", **USEFUL),
                        Q("single", "Did you ask a question?", options=("Yes", "No, I read along", "I missed it")),
                        Q("text", "Who would you like to see in the hot seat next?", required=False),
                    ),
                ),
            ),
        ),
        Template(
            "event-feedback",
            "Event feedback",
            "Thank you for coming. Three quick questions about the event.",
            (
                (
                    "The event",
                    (
                        Q("rating", "How would you rate the event?", low_label="Poor", high_label="Excellent"),
                        Q(
                            "multiple",
                            "What worked well?",
                            required=False,
                            options=("The speakers", "The discussion", "The format", "Meeting peers"),
                        ),
                        Q("text", "What should we change next time?", required=False),
                    ),
                ),
            ),
        ),
        Template(
            "newsletter-feedback",
            "Newsletter feedback",
            "Is the monthly newsletter worth your time? Help us make it so.",
            (
                (
                    "The newsletter",
                    (
                        Q(
                            "single",
                            "How much of the newsletter do you usually read?",
                            options=("All of it", "The headlines", "Rarely any"),
                        ),
                        Q(
                            "multiple",
                            "Which sections do you find most useful?",
                            required=False,
                            options=("Active conversations", "Unanswered questions", "Hot seats", "New members"),
                        ),
                        Q("rating", "How useful is the newsletter?", **USEFUL),
                        Q("text", "Anything you would add or drop?", required=False),
                    ),
                ),
            ),
        ),
    ]
}

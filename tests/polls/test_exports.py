"""CSV exports: every naughty string survives the round trip, formulas are neutralised, and names appear only
where members were told they would."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from cop_platform.spreadsheets import csv_download, safe_cell
from polls import services

from ..factories import make_membership, make_user
from .conftest import answers_for, vote

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
CORPORA = next(
    (p for p in (REPO.parent / "shared" / "corpora", REPO.parent.parent / "shared" / "corpora") if p.exists()), None
)
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", ' =HYPERLINK("http://x")', "\t=1", "\r=1"]


def naughty_strings() -> list[str]:
    if CORPORA is None:
        pytest.skip("the shared corpora are not beside the repository")
    lines = (CORPORA / "blns.txt").read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line and not line.startswith("#")]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def expected_cell(text: str) -> str:
    """What a spreadsheet must be handed for a text cell: the text, NULs dropped, formulas made plain text."""
    text = text.replace("\x00", "")
    trigger = ("=", "+", "-", "@", "\t", "\r", "\n")
    return "'" + text if text.lstrip(" ").startswith(trigger) or text.startswith(trigger) else text


def test_every_naughty_string_survives_the_round_trip_and_no_cell_starts_a_formula():
    strings = naughty_strings() + FORMULAS

    rows = read_csv(csv_download("x.csv", [[s] for s in strings]))

    assert [row[0] for row in rows] == [expected_cell(s) for s in strings]
    for row in rows:
        assert not row[0].lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_numbers_stay_numbers_even_when_negative():
    assert safe_cell(-3) == -3
    assert safe_cell(Decimal("-2.50")) == Decimal("-2.50")
    assert safe_cell("-3") == "'-3"  # text that looks like a number is still text from a person


def test_a_public_polls_export_names_voters_safely(poll, as_facilitator, community):
    the_poll = poll(public_voters=True, choices=["@SUM(1+1)", "=cmd", "Plain"])
    voter = make_membership(community, make_user(first_name='=HYPERLINK("x")', last_name="+Evil")).user
    vote(
        the_poll,
        voter,
        "@SUM(1+1)",
    )

    rows = read_csv(as_facilitator.get(reverse("polls:poll_export", args=[community.slug, the_poll.pk])))

    assert rows[0] == ["Voter", "Choices", "Voted (UTC)", "Last changed (UTC)"]
    assert rows[1][0] == "'" + voter.display_name
    assert rows[1][1] == "'@SUM(1+1)"


def test_an_anonymous_polls_export_has_no_names_and_no_times(poll, as_facilitator, community, member, other):
    the_poll = poll(public_voters=False)
    vote(the_poll, member, "PPM tool")
    vote(the_poll, other, "Spreadsheet")

    response = as_facilitator.get(reverse("polls:poll_export", args=[community.slug, the_poll.pk]))
    rows = read_csv(response)

    assert rows == [["Ballot", "Choices"], ["1", "PPM tool"], ["2", "Spreadsheet"]]  # sorted by what was picked
    assert response["Content-Disposition"].startswith('attachment; filename="poll-')


def test_a_survey_export_has_one_row_per_response_with_cells_made_safe(survey, as_facilitator, community, finance):
    the_survey = survey()
    strings = naughty_strings()[:40] + FORMULAS
    people = []
    for index, text in enumerate(strings):
        person = make_membership(community, make_user(first_name="@Bob" if index == 0 else "Ann")).user
        if index == 0:
            community.memberships.get(user=person).segments.add(finance)
        services.response_submit(
            survey=the_survey,
            user=person,
            answers=answers_for(the_survey, text=text, number=Decimal("-3") if index == 0 else None),
        )
        people.append(person)

    rows = read_csv(as_facilitator.get(reverse("polls:survey_export", args=[community.slug, the_survey.pk])))

    header, body = rows[0], rows[1:]
    questions = list(the_survey.questions.all())
    assert header == ["Respondent", "Segments", "Submitted (UTC)", "Last changed (UTC)", *[q.text for q in questions]]
    assert len(body) == len(strings)
    assert sorted(row[-1] for row in body) == sorted(expected_cell(s.strip()) if s.strip() else "" for s in strings)
    first = body[0]
    assert first[0] == "'" + people[0].display_name and first[1] == "finance"
    assert first[4:8] == ["Hot seats", "Risk", "4", "-3"]  # a number is written as a number, not text


def test_an_anonymous_survey_export_has_only_the_answers(survey, as_facilitator, community, member, other):
    the_survey = survey(is_anonymous=True)
    for person in (member, other):
        services.response_submit(survey=the_survey, user=person, answers=answers_for(the_survey, text="Same"))

    rows = read_csv(as_facilitator.get(reverse("polls:survey_export", args=[community.slug, the_survey.pk])))

    assert rows[0] == [q.text for q in the_survey.questions.all()]
    assert rows[1:] == [["Hot seats", "Risk", "4", "", "Same"]] * 2
    assert member.display_name not in str(rows)

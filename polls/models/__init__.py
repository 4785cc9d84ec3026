"""The polls app's models: quick polls (polls.py) and surveys (surveys.py)."""

from .polls import MAX_CHOICES, MIN_CHOICES, Ballot, BallotChoice, Choice, Poll, State
from .surveys import RATING_POINTS, Answer, Option, Participation, Question, Response, Section, Survey

__all__ = [
    "MAX_CHOICES",
    "MIN_CHOICES",
    "RATING_POINTS",
    "Answer",
    "Ballot",
    "BallotChoice",
    "Choice",
    "Option",
    "Participation",
    "Poll",
    "Question",
    "Response",
    "Section",
    "State",
    "Survey",
]

"""Every write of the polls app. Views and other apps call these, never the models' save()."""

from .errors import PollError
from .polls import index_poll, poll_close, poll_create, poll_reopen, poll_update, vote_cast, vote_withdraw
from .reminders import send_reminders
from .surveys import (
    Submitted,
    anonymous_response,
    index_survey,
    question_delete,
    question_move,
    question_save,
    response_submit,
    section_delete,
    section_save,
    survey_close,
    survey_create,
    survey_publish,
    survey_remind,
    survey_reopen,
    survey_update,
)

__all__ = [
    "PollError",
    "Submitted",
    "anonymous_response",
    "index_poll",
    "index_survey",
    "poll_close",
    "poll_create",
    "poll_reopen",
    "poll_update",
    "question_delete",
    "question_move",
    "question_save",
    "response_submit",
    "section_delete",
    "section_save",
    "send_reminders",
    "survey_close",
    "survey_create",
    "survey_publish",
    "survey_remind",
    "survey_reopen",
    "survey_update",
    "vote_cast",
    "vote_withdraw",
]

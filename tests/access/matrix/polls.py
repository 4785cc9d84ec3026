"""Polls and surveys: voting, the survey builder, results and exports."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, who

ROWS = [
    Row(
        "polls:poll_list",
        marker="poll",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:poll_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:poll_detail",
        args={"pk": "poll"},
        marker="poll",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:poll_vote",
        args={"pk": "poll"},
        method="post",
        data={"choice": "choice"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "polls:poll_withdraw",
        args={"pk": "poll"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "polls:poll_edit",
        args={"pk": "poll"},
        marker="poll",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:poll_close",
        args={"pk": "poll"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:poll_reopen",
        args={"pk": "poll"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:poll_voters",
        args={"pk": "poll"},
        marker="poll",
        expect=kinds(
            public=who(FORBIDDEN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
            hidden=who(NOT_FOUND, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN),
        ),
    ),
    Row(
        "polls:poll_export",
        args={"pk": "poll"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_detail",
        args={"pk": "survey"},
        marker="survey",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_respond",
        args={"pk": "survey"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "polls:survey_anonymous_edit",
        args={"pk": "survey", "key": "not-a-key"},
        expect=kinds(
            public=who(REDIRECT, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=REDIRECT, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT
            ),
        ),
    ),
    Row(
        "polls:survey_edit",
        args={"pk": "survey"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_build",
        args={"pk": "survey"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:section_create",
        args={"pk": "survey"},
        marker="survey",
        method="post",
        data={"title": "More"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:section_edit",
        args={"pk": "survey", "section_pk": "section"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:section_delete",
        args={"pk": "survey", "section_pk": "section"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:question_create",
        args={"pk": "survey"},
        marker="survey",
        method="post",
        data={"section": "section", "kind": "text", "text": "Why?"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:question_edit",
        args={"pk": "survey", "question_pk": "survey_question"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:question_delete",
        args={"pk": "survey", "question_pk": "survey_question"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:question_move",
        args={"pk": "survey", "question_pk": "survey_question"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:survey_publish",
        args={"pk": "survey"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:survey_close",
        args={"pk": "survey"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:survey_reopen",
        args={"pk": "survey"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:survey_remind",
        args={"pk": "survey"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "polls:survey_results",
        args={"pk": "survey"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_text_answers",
        args={"pk": "survey", "question_pk": "survey_question"},
        marker="survey",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "polls:survey_export",
        args={"pk": "survey"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
]

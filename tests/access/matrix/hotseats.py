"""Hot seats: list, detail, questions, answers, calendars and the guest expert's invitation."""

from . import DONE, FORBIDDEN, GONE, LOGIN, NOT_FOUND, OK, Row, kinds, same, who

ROWS = [
    Row(
        "hotseats:hotseat_list",
        marker="hotseat",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:hotseat_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:calendar_feed",
        marker="hotseat",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND),
        ),
    ),
    Row(
        "hotseats:calendar_feed_private",
        args={"token": "calendar.token"},
        marker="hotseat",
        expect=same(who(OK)),
    ),
    Row(
        "hotseats:calendar_feed_reset",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "hotseats:hotseat_detail",
        args={"pk": "hotseat"},
        marker="hotseat",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:hotseat_edit",
        args={"pk": "hotseat"},
        marker="hotseat",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:hotseat_summary",
        args={"pk": "hotseat"},
        marker="hotseat",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "hotseats:expert_desk",
        args={"pk": "hotseat"},
        marker="hotseat",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:hotseat_ics",
        args={"pk": "hotseat"},
        marker="hotseat",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "hotseats:question_ask",
        args={"pk": "hotseat"},
        method="post",
        data={"body": "What about gate reviews?"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "hotseats:question_vote",
        args={"pk": "hotseat", "question_pk": "question"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "hotseats:answer_post",
        args={"pk": "hotseat", "question_pk": "question"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "hotseats:question_moderate",
        args={"pk": "hotseat", "question_pk": "question"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "hotseat_expert_accept",
        args={"token": "expert.token"},
        marker="hotseat",
        expect=same(who(GONE, anonymous=LOGIN)),
    ),
]

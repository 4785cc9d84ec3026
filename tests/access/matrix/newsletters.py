"""Newsletters: archive, the facilitators' editor and the endpoints reached from emails."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, same, who

ROWS = [
    Row(
        "newsletters:archive",
        marker="newsletter",
        expect=kinds(
            public=who(OK),
            private=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, applicant=FORBIDDEN, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "newsletters:prepare",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=FORBIDDEN,
                member=FORBIDDEN,
                facilitator=DONE,
                owner=DONE,
                staff=DONE,
            ),
        ),
    ),
    Row(
        "newsletters:archive_detail",
        args={"pk": "newsletter"},
        marker="newsletter",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "newsletters:edit",
        args={"pk": "newsletter"},
        marker="newsletter",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=FORBIDDEN,
                member=FORBIDDEN,
                facilitator=REDIRECT,
                owner=REDIRECT,
                staff=REDIRECT,
            ),
        ),
    ),
    Row(
        "newsletters:preview",
        args={"pk": "newsletter", "fmt": "html"},
        marker="newsletter",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "newsletters:action",
        args={"pk": "newsletter"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(FORBIDDEN, anonymous=LOGIN),
            hidden=who(
                FORBIDDEN, anonymous=LOGIN, outsider=NOT_FOUND, invitee=NOT_FOUND, banned=NOT_FOUND, departed=NOT_FOUND
            ),
        ),
    ),
    Row(
        "newsletters:send_confirm",
        args={"pk": "newsletter"},
        marker="newsletter",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=FORBIDDEN,
                member=FORBIDDEN,
                facilitator=REDIRECT,
                owner=REDIRECT,
                staff=REDIRECT,
            ),
        ),
    ),
    Row(
        "newsletters:report",
        args={"pk": "newsletter"},
        marker="newsletter",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "newsletters:unsubscribe",
        args={"token": "unsubscribe_token"},
        marker="community",
        expect=same(who(OK)),
    ),
    Row(
        "newsletters:open",
        args={"token": "track_token"},
        expect=same(who(OK)),
    ),
    Row(
        "newsletters:click",
        args={"token": "track_token"},
        data={"u": "community.get_absolute_url"},
        expect=same(who(REDIRECT)),
    ),
    Row(
        "newsletters:preferences",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "newsletters:preferences_token",
        args={"token": "preferences_token"},
        expect=same(who(OK)),
    ),
    Row("newsletters:notifications", expect=same(who(OK, anonymous=LOGIN))),
    Row("newsletters:notifications_read_all", method="post", expect=same(who(DONE, anonymous=LOGIN))),
    Row(
        "newsletters:notification_open",
        args={"pk": "alert"},
        # The facilitator's notice of the member's message: it opens at the message; nobody else's to open.
        expect=same(who(NOT_FOUND, anonymous=LOGIN, facilitator=REDIRECT)),
    ),
    Row(
        "newsletters:notification_read",
        args={"pk": "alert"},
        method="post",
        expect=same(who(NOT_FOUND, anonymous=LOGIN, facilitator=DONE)),
    ),
]

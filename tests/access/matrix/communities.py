"""Community pages: landing, joining, members, themes, management, invitations, profiles, search."""

from . import DONE, FORBIDDEN, GONE, LANDING, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, same, who

ROWS = [
    Row(
        "communities:home",
        expect=same(who(OK)),
    ),
    Row(
        "communities:community_list",
        expect=same(who(OK)),
    ),
    Row(
        "communities:community_create",
        expect=same(who(FORBIDDEN, anonymous=LOGIN, staff=OK)),
    ),
    Row(
        "communities:community_detail",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(OK),
            hidden=who(NOT_FOUND, applicant=OK, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "communities:join",
        marker="community",
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(DONE, anonymous=LOGIN),
            hidden=who(
                DONE, anonymous=LOGIN, outsider=NOT_FOUND, invitee=NOT_FOUND, banned=NOT_FOUND, departed=NOT_FOUND
            ),
        ),
    ),
    Row(
        "communities:join_request",
        marker="community",
        expect=kinds(
            public=who(REDIRECT, anonymous=LOGIN, outsider=OK, invitee=OK, departed=OK, staff=OK),
            private=who(REDIRECT, anonymous=LOGIN, outsider=OK, invitee=OK, departed=OK, staff=OK),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=REDIRECT,
                member=REDIRECT,
                facilitator=REDIRECT,
                owner=REDIRECT,
                staff=OK,
            ),
        ),
    ),
    Row(
        "communities:leave",
        marker="community",
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(DONE, anonymous=LOGIN),
            hidden=who(
                DONE, anonymous=LOGIN, outsider=NOT_FOUND, invitee=NOT_FOUND, banned=NOT_FOUND, departed=NOT_FOUND
            ),
        ),
    ),
    Row(
        "communities:member_directory",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            # A private community's non-members land on its landing page (issue 8, item 6).
            private=who(LANDING, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "communities:theme_list",
        marker="theme",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "communities:theme_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:theme_detail",
        args={"theme_slug": "theme.slug"},
        marker="theme",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "communities:theme_edit",
        args={"theme_slug": "theme.slug"},
        marker="theme",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:requests_queue",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:request_approve",
        args={"pk": "pending"},
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
        "communities:request_decline",
        args={"pk": "pending"},
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
        "communities:member_manage",
        args={"pk": "membership"},
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:banned_list",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:invitation_list",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:invitation_revoke",
        args={"pk": "invitation"},
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
        "communities:welcome_queue",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:welcome_compose",
        args={"pk": "membership"},
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK
            ),
        ),
    ),
    Row(
        "communities:community_edit",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, owner=OK, staff=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, owner=OK, staff=OK),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=FORBIDDEN,
                member=FORBIDDEN,
                facilitator=FORBIDDEN,
                owner=OK,
                staff=OK,
            ),
        ),
    ),
    Row(
        "communities:invitation_accept",
        args={"token": "invitation.token"},
        marker="community",
        expect=same(who(GONE, anonymous=LOGIN, invitee=OK, member=REDIRECT, facilitator=REDIRECT, owner=REDIRECT)),
    ),
    Row(
        "communities:profile_detail",
        args={"pk": "membership.user_id"},
        expect=same(who(OK)),
    ),
    Row(
        "communities:search",
        expect=same(who(OK)),
    ),
    Row(
        "communities:calendar_feed",
        marker="event",  # every app's dated items: the world's event (and hot seat)
        expect=kinds(public=who(OK), private=who(NOT_FOUND)),
    ),
    Row(
        "communities:feed_list",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "communities:feed_token_reset",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            hidden=who(
                NOT_FOUND,
                anonymous=LOGIN,
                applicant=FORBIDDEN,
                member=DONE,
                facilitator=DONE,
                owner=DONE,
                staff=FORBIDDEN,
            ),
        ),
    ),
    Row(
        "communities:feed",
        args={"key": "threads"},
        marker="thread",
        # Only public communities have public feeds; private ones come through a member's secret address.
        expect=kinds(public=who(OK), private=who(NOT_FOUND)),
    ),
    Row(
        "communities:feed_private",
        args={"token": "feed_token.token", "key": "threads"},
        marker="thread",
        expect=same(who(OK)),
    ),
]

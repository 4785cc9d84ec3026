"""Jobs: the board, the feed, postings, saving, applying, moderation and settings."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, same, who

ROWS = [
    Row(
        "jobs:jobs_list",
        marker="posting",
        expect=kinds(
            public=who(OK, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "jobs:feed",
        marker="posting",
        expect=kinds(
            public=who(OK, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN),
        ),
    ),
    Row(
        "jobs:posting_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "jobs:moderation_queue",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "jobs:moderation_act",
        args={"pk": "posting"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=NOT_FOUND, owner=NOT_FOUND, staff=NOT_FOUND),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN),
        ),
    ),
    Row(
        "jobs:settings",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "jobs:posting_detail",
        args={"pk": "posting"},
        marker="posting",
        expect=kinds(
            public=who(OK, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "jobs:posting_apply",
        args={"pk": "posting"},
        expect=kinds(
            public=who(REDIRECT, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=REDIRECT, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT
            ),
        ),
    ),
    Row(
        "jobs:posting_save",
        args={"pk": "posting"},
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "jobs:posting_edit",
        args={"pk": "posting"},
        marker="posting",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "jobs:posting_close",
        args={"pk": "posting"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "jobs:posting_extend",
        args={"pk": "posting"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "jobs:posting_flag",
        args={"pk": "posting"},
        marker="posting",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "jobs:all_jobs",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "jobs:saved",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
    Row(
        "jobs:searches",
        expect=same(who(OK, anonymous=LOGIN)),
    ),
]

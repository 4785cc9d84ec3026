"""Jobs: the board, a posting, applying, saving, the poster's and the facilitators' pages, the member's own lists.

The world's posting is live and by the facilitator: the member may flag it, only its poster edits or extends it.
Site staff read and moderate every community but post nothing (they are not members).
"""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, same, who

READERS = {"member": OK, "facilitator": OK, "owner": OK, "staff": OK}


def readers(answer: str = OK) -> dict:
    """Public: everyone; private: members and staff (anonymous visitors asked to log in); hidden: the same, but
    anonymous visitors get a 404 too."""
    inside = dict.fromkeys(READERS, answer)
    return kinds(
        public=who(answer),
        private=who(NOT_FOUND, anonymous=LOGIN, **inside),
        hidden=who(NOT_FOUND, **inside),
    )


def signed_in(public: dict, inside: dict) -> dict:
    """A page behind a login: public as given; private and hidden 404 for non-members (staff read them)."""
    return kinds(public=public, private=who(NOT_FOUND, anonymous=LOGIN, **inside))


MODERATORS = {"facilitator": OK, "owner": OK, "staff": OK}
MODERATE = {"facilitator": DONE, "owner": DONE, "staff": DONE}

ROWS = [
    Row("jobs:jobs_list", marker="job", expect=readers()),
    Row(
        "jobs:feed",
        marker="job",
        expect=kinds(public=who(OK), private=who(NOT_FOUND)),
    ),
    Row(
        "jobs:posting_create",
        marker="community",
        expect=signed_in(
            who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            {"member": OK, "facilitator": OK, "owner": OK, "staff": FORBIDDEN},
        ),
    ),
    Row(
        "jobs:moderation_queue",
        marker="community",
        expect=signed_in(who(FORBIDDEN, anonymous=LOGIN, **MODERATORS), {"member": FORBIDDEN, **MODERATORS}),
    ),
    Row(
        "jobs:moderation_act",
        args={"pk": "job"},
        method="post",
        data={"action": "hide", "reason": "Spam"},
        expect=signed_in(who(FORBIDDEN, anonymous=LOGIN, **MODERATE), {"member": FORBIDDEN, **MODERATE}),
    ),
    Row(
        "jobs:settings",
        marker="community",
        expect=signed_in(who(FORBIDDEN, anonymous=LOGIN, **MODERATORS), {"member": FORBIDDEN, **MODERATORS}),
    ),
    Row("jobs:posting_detail", args={"pk": "job"}, marker="job", expect=readers()),
    Row("jobs:posting_apply", args={"pk": "job"}, expect=readers(REDIRECT)),
    Row(
        "jobs:posting_save",
        args={"pk": "job"},
        method="post",
        data={"save": "1"},
        expect=signed_in(who(DONE, anonymous=LOGIN), dict.fromkeys(READERS, DONE)),
    ),
    Row(
        "jobs:posting_edit",
        args={"pk": "job"},
        marker="job",
        expect=signed_in(
            who(FORBIDDEN, anonymous=LOGIN, facilitator=OK),
            {"member": FORBIDDEN, "facilitator": OK, "owner": FORBIDDEN, "staff": FORBIDDEN},
        ),
    ),
    Row(
        "jobs:posting_close",
        args={"pk": "job"},
        method="post",
        expect=signed_in(who(FORBIDDEN, anonymous=LOGIN, **MODERATE), {"member": FORBIDDEN, **MODERATE}),
    ),
    Row(
        "jobs:posting_extend",
        args={"pk": "job"},
        marker="job",
        expect=signed_in(
            who(FORBIDDEN, anonymous=LOGIN, facilitator=OK),
            {"member": FORBIDDEN, "facilitator": OK, "owner": FORBIDDEN, "staff": FORBIDDEN},
        ),
    ),
    Row(
        "jobs:posting_flag",
        args={"pk": "job"},
        marker="job",
        expect=signed_in(
            who(FORBIDDEN, anonymous=LOGIN, member=OK, owner=OK),
            {"member": OK, "facilitator": FORBIDDEN, "owner": OK, "staff": FORBIDDEN},
        ),
    ),
    Row("jobs:all_jobs", expect=same(who(OK))),
    Row("jobs:saved", expect=same(who(OK, anonymous=LOGIN))),
    Row("jobs:searches", expect=same(who(OK, anonymous=LOGIN))),
]

"""Facilitation: Today, Health (and its CSV), the ladder and nudges, cohorts, the knowledge map, lifecycle, and
members' "Who knows" page."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, kinds, who

MANAGERS = kinds(
    public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
    private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
    hidden=who(NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
)

ROWS = [
    *(
        Row(f"facilitation:{name}", marker="community", expect=MANAGERS)
        for name in ("today", "health", "ladder", "cohorts", "lifecycle", "knowledge_map")
    ),
    Row("facilitation:health_csv", args={"table": "summary"}, expect=MANAGERS),
    Row(
        "facilitation:nudge",
        args={"pk": "membership"},
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
        "facilitation:ask_who_knows",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            hidden=who(
                NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, staff=FORBIDDEN, member=OK, facilitator=OK, owner=OK
            ),
        ),
    ),
]

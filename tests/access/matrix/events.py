"""Events: the list, an event, its .ics, answers, the facilitators' pages, notes; the community calendar feed is
in communities.py."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, kinds, who

READERS = kinds(
    public=who(OK),
    private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
    hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
)


def managers(allowed):
    return kinds(
        public=who(FORBIDDEN, anonymous=LOGIN, facilitator=allowed, owner=allowed, staff=allowed),
        private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=allowed, owner=allowed, staff=allowed),
    )


EVENT = {"pk": "event"}

ROWS = [
    Row("events:event_list", marker="event", expect=READERS),
    Row("events:event_detail", args=EVENT, marker="event", expect=READERS),
    Row("events:event_ics", args=EVENT, marker="event", expect=READERS),
    Row("events:event_create", expect=managers(OK)),
    Row("events:event_edit", args=EVENT, marker="event", expect=managers(OK)),
    Row("events:event_cancel", args=EVENT, method="post", expect=managers(DONE)),
    Row(
        "events:event_rsvp",
        args=EVENT,
        method="post",
        data={"status": "interested"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row("events:attendee_list", args=EVENT, marker="event", expect=managers(OK)),
    Row("events:attendee_export", args=EVENT, expect=managers(OK)),
    Row("events:attendance_mark", args=EVENT, method="post", expect=managers(DONE)),
    Row("events:notes_edit", args=EVENT, marker="event", expect=managers(OK)),
]

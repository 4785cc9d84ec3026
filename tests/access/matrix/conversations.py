"""Conversations: only participants read and write one (404 for anyone else, facilitators and staff included); a
reported message reaches that community's facilitators, who see it alone."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, kinds, same, who

PARTICIPANTS_READ = same(who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK))
PARTICIPANTS_WRITE = same(who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE))
SIGNED_IN = same(who(OK, anonymous=LOGIN))
SIGNED_IN_POST = same(who(DONE, anonymous=LOGIN))
REVIEWERS = kinds(
    public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
    private=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
    hidden=who(NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
)
REVIEWERS_POST = kinds(
    public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
    private=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
    hidden=who(
        NOT_FOUND, anonymous=LOGIN, applicant=FORBIDDEN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE
    ),
)

ROWS = [
    Row("conversations:conversation_list", expect=SIGNED_IN),
    Row("conversations:compose", expect=SIGNED_IN),
    Row("conversations:block_list", expect=SIGNED_IN),
    Row("conversations:member_block", args={"user_pk": "membership.user_id"}, method="post", expect=SIGNED_IN_POST),
    Row("conversations:member_unblock", args={"user_pk": "membership.user_id"}, method="post", expect=SIGNED_IN_POST),
    Row(
        "conversations:conversation_detail",
        args={"pk": "conversation"},
        marker="conversation",
        expect=PARTICIPANTS_READ,
    ),
    Row(
        "conversations:conversation_reply",
        args={"pk": "conversation"},
        method="post",
        data={"body": "Thanks!"},
        expect=PARTICIPANTS_WRITE,
    ),
    Row("conversations:conversation_leave", args={"pk": "conversation"}, method="post", expect=PARTICIPANTS_WRITE),
    Row(
        "conversations:message_report",
        args={"pk": "conversation", "message_pk": "message"},
        marker="conversation",
        # The member wrote the message: you report what others wrote.
        expect=same(who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK)),
    ),
    Row("conversations:report_list", marker="report", expect=REVIEWERS),
    Row("conversations:report_close", args={"pk": "report"}, method="post", expect=REVIEWERS_POST),
]

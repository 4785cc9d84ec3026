"""Library: browsing, resources, files and versions, guides and revisions, comments, moderation."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, Row, kinds, same, who

ROWS = [
    Row(
        "library:home",
        marker="document",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:browse",
        marker="document",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:key_links",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:tag_detail",
        args={"tag": "risk"},
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:resource_add_choose",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_add",
        args={"kind": "guide"},
        marker="community",
        expect=same(who(NOT_FOUND, anonymous=LOGIN)),
    ),
    Row(
        "library:guide_from_source",
        args={"source_key": "forums.thread", "pk": "thread"},
        marker="thread",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_detail",
        args={"pk": "document"},
        marker="document",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:resource_edit",
        args={"pk": "document"},
        marker="document",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_delete",
        args={"pk": "document"},
        marker="document",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_feature",
        args={"pk": "document"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "library:resource_react",
        args={"pk": "document", "kind": "thanks"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_follow",
        args={"pk": "document"},
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "library:resource_flag",
        args={"pk": "document"},
        marker="document",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:resource_moderate",
        args={"pk": "document"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "library:toolkit_file_add",
        args={"pk": "document"},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "library:file_download",
        args={"pk": "document", "file_pk": "file"},
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:version_upload",
        args={"pk": "document", "file_pk": "file"},
        marker="document",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:version_download",
        args={"pk": "document", "version_pk": "version"},
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:version_preview",
        args={"pk": "document", "version_pk": "version"},
        expect=kinds(
            public=who(NOT_FOUND),
            private=who(NOT_FOUND, anonymous=LOGIN),
            hidden=who(NOT_FOUND),
        ),
    ),
    Row(
        "library:version_delete",
        args={"pk": "document", "version_pk": "version"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:guide_edit",
        args={"pk": "guide"},
        marker="guide",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:revision_list",
        args={"pk": "guide"},
        marker="guide",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:revision_detail",
        args={"pk": "guide", "number": 1},
        marker="guide",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:revision_restore",
        args={"pk": "guide", "number": 1},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:comment_create",
        args={"pk": "guide"},
        method="post",
        data={"body": "Thanks for this."},
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:comment_edit",
        args={"comment_pk": "comment"},
        marker="comment",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "library:comment_delete",
        args={"comment_pk": "comment"},
        marker="comment",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "library:comment_flag",
        args={"comment_pk": "comment"},
        marker="comment",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "library:moderation_queue",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "library:moderation_act",
        args={"what": "resource", "pk": "document"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=NOT_FOUND, owner=NOT_FOUND, staff=NOT_FOUND),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN),
        ),
    ),
]

"""Forums: lists, threads, posts, categories and moderation."""

from . import DONE, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, kinds, same, who

ROWS = [
    Row(
        "forums:latest",
        marker="thread",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:unanswered",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:mine",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:articles",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:tag_list",
        marker="community",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:tag_detail",
        args={"tag_slug": "tag"},
        marker="thread",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:category_manage",
        marker="category",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:category_edit",
        args={"category_slug": "category.slug"},
        marker="category",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:category_move",
        args={"category_slug": "category.slug", "direction": "up"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE, owner=DONE, staff=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "forums:category_follow",
        args={"category_slug": "category.slug"},
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "forums:category_detail",
        args={"category_slug": "category.slug"},
        marker="thread",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:thread_create",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "forums:thread_detail",
        args={"pk": "thread"},
        marker="thread",
        expect=kinds(
            public=who(OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            hidden=who(NOT_FOUND, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:thread_reply",
        args={"pk": "thread"},
        marker="thread",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "forums:thread_edit",
        args={"pk": "thread"},
        marker="thread",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:thread_follow",
        args={"pk": "thread"},
        method="post",
        expect=kinds(
            public=who(DONE, anonymous=LOGIN),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=DONE),
        ),
    ),
    Row(
        "forums:thread_accept",
        args={"pk": "thread"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=DONE, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "forums:thread_moderate",
        args={"pk": "thread"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=NOT_FOUND, owner=NOT_FOUND, staff=NOT_FOUND),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN),
        ),
    ),
    Row(
        "forums:post_permalink",
        args={"pk": "post"},
        expect=kinds(
            public=who(REDIRECT),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=REDIRECT, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT
            ),
            hidden=who(NOT_FOUND, member=REDIRECT, facilitator=REDIRECT, owner=REDIRECT, staff=REDIRECT),
        ),
    ),
    Row(
        "forums:post_edit",
        args={"pk": "post"},
        marker="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:post_delete",
        args={"pk": "post"},
        marker="post",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=DONE),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=DONE, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "forums:post_react",
        args={"pk": "post", "kind": "thanks"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=DONE, owner=DONE),
            private=who(NOT_FOUND, anonymous=LOGIN, member=DONE, facilitator=FORBIDDEN, owner=DONE, staff=FORBIDDEN),
        ),
    ),
    Row(
        "forums:post_flag",
        args={"pk": "post"},
        marker="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, member=OK, owner=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=OK, facilitator=FORBIDDEN, owner=OK, staff=FORBIDDEN),
        ),
    ),
    Row(
        "forums:post_revisions",
        args={"pk": "post"},
        marker="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:post_moderate",
        args={"pk": "post"},
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row(
        "forums:moderation_queue",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:moderation_log",
        marker="community",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN, facilitator=OK, owner=OK, staff=OK),
            private=who(NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=OK, owner=OK, staff=OK),
        ),
    ),
    Row(
        "forums:member_sanction",
        args={"user_pk": "membership.user_id"},
        marker="community",
        method="post",
        expect=kinds(
            public=who(FORBIDDEN, anonymous=LOGIN),
            private=who(
                NOT_FOUND, anonymous=LOGIN, member=FORBIDDEN, facilitator=FORBIDDEN, owner=FORBIDDEN, staff=FORBIDDEN
            ),
        ),
    ),
    Row("forums_blog:member_blog", args={"pk": "membership.user_id"}, expect=same(who(OK))),
    Row("forums_blog:member_blog_feed", args={"pk": "membership.user_id"}, expect=same(who(OK))),
]

"""The Django admin: every pattern the admin site has, generated from its registry (the admin checks its own
users: only staff get in, and a staff account without model permissions sees the index and nothing else)."""

from django.contrib import admin

from . import FORBIDDEN, LOGIN, NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Row, same, who

# Everyone but staff is sent to log in; staff without permissions are refused each model's pages.
STAFF_REFUSED = same(who(LOGIN, staff=FORBIDDEN))
# An object that does not exist (the same answer on every database): its history page sends staff back to the index.
MISSING = "999999999"


def _model_rows() -> list[Row]:
    rows = []
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rows.append(Row(f"{prefix}_changelist", expect=STAFF_REFUSED))
        rows.append(Row(f"{prefix}_add", expect=STAFF_REFUSED))
        for view in ("delete", "change"):
            rows.append(Row(f"{prefix}_{view}", args={"object_id": MISSING}, expect=STAFF_REFUSED))
        rows.append(Row(f"{prefix}_history", args={"object_id": MISSING}, expect=same(who(LOGIN, staff=REDIRECT))))
    return rows


ROWS = [
    Row("admin:index", expect=same(who(LOGIN, staff=OK))),
    # allauth guards the admin's login page: people who are logged in but not staff are refused it.
    Row("admin:login", expect=same(who(FORBIDDEN, anonymous=LOGIN, staff=REDIRECT))),
    Row("admin:logout", expect=same(who(REDIRECT, anonymous=LOGIN, staff=NOT_ALLOWED))),
    Row("admin:password_change", expect=same(who(LOGIN, staff=OK))),
    Row("admin:password_change_done", expect=same(who(LOGIN, staff=OK))),
    Row("admin:autocomplete", expect=same(who(LOGIN, staff=FORBIDDEN))),
    Row("admin:jsi18n", expect=same(who(LOGIN, staff=OK))),
    Row(
        "admin:view_on_site",
        args={"content_type_id": MISSING, "object_id": MISSING},
        expect=same(who(LOGIN, staff=NOT_FOUND)),
    ),
    Row("admin:app_list", args={"app_label": "communities"}, expect=same(who(LOGIN, staff=NOT_FOUND))),
    Row("admin:taggit_tag_merge_tags", expect=same(who(LOGIN, staff=OK))),
    Row("admin:auth_user_password_change", args={"id": MISSING}, expect=same(who(LOGIN, staff=FORBIDDEN))),
    *_model_rows(),
]

"""In-app notifications: the same Alert rows the alert machinery writes, shown on the site.

One notice is one Alert: at most one email (the immediate send claims it once; the digest skips it once it was read
on the site) and one line under the bell. Notices about one page (a thread, a conversation) are grouped, newest
first. The page shows only notices from communities the member is still active in; opening one asks its event
type again whether the member may still see it (`Notice.visible_to`), and says so when they may not.

The bell's unread count costs no query of its own: the auth backends below load the user with the count as a
subquery of the one query that loads the user anyway, so the count is the same one query whether there are 0 or
500 unread notices.
"""

from functools import lru_cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Membership

from .alerts import notices_for
from .models import Alert

UNREAD_CAP = 99  # the bell shows "99+" past this


def unread_subquery():
    """The number of the outer user's unread on-site notices, as one scalar subquery."""
    counted = (
        Alert.objects.filter(
            user=OuterRef("pk"),
            read_at__isnull=True,
            community__memberships__user=OuterRef("pk"),
            community__memberships__status=Membership.Status.ACTIVE,
        )
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# Stands for the user's id while the ORM writes the query once; any integer no real user has would do.
_SENTINEL_ID = -424242


@lru_cache(maxsize=4)
def _user_query(db_alias: str) -> tuple[str, tuple, int]:
    """The user-with-count query as SQL, its parameters and where the id goes in them: written once per process,
    so a signed-in request no longer pays for compiling a subquery with two joins (a tenth of a list page)."""
    User = get_user_model()
    queryset = User._default_manager.using(db_alias).annotate(unread_notices=unread_subquery())
    sql, params = queryset.filter(pk=_SENTINEL_ID).order_by().query.sql_with_params()
    assert params.count(_SENTINEL_ID) == 1, params
    return sql, params, params.index(_SENTINEL_ID)


class _CountingMixin:
    def get_user(self, user_id):
        User = get_user_model()
        db_alias = router.db_for_read(User)
        sql, params, at = _user_query(db_alias)
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = list(User._default_manager.db_manager(db_alias).raw(sql, (*params[:at], pk, *params[at + 1 :])))
        user = rows[0] if rows else None
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CountingMixin, DjangoModelBackend):
    """Django's backend, loading the bell's count with the user."""


class AuthenticationBackend(_CountingMixin, AllauthBackend):
    """allauth's backend, loading the bell's count with the user."""


def unread_count(user) -> int:
    """The bell's figure: free when the user came through the backends above, else one query."""
    if not user.is_authenticated:
        return 0
    value = getattr(user, "unread_notices", None)
    if value is None:
        value = Alert.objects.on_site_for(user).unread().count()
        user.unread_notices = value
    return value


def groups(user, offset: int, limit: int) -> list[dict]:
    """One page of the member's notices grouped per page, newest group first (two queries, whatever the size)."""
    rows = list(
        Alert.objects.on_site_for(user)
        .values("group_key")
        .annotate(
            last_pk=Max("pk"),
            latest=Max("created_at"),
            total=Count("pk"),
            unread=Count("pk", filter=Q(read_at__isnull=True)),
        )
        .order_by("-latest", "-last_pk")[offset : offset + limit]
    )
    latest = Alert.objects.select_related("community").in_bulk([row["last_pk"] for row in rows])
    for row in rows:
        row["alert"] = latest[row["last_pk"]]
    return rows


def mark_group_read(*, user, alert: Alert) -> int:
    """Mark every notice about the same page read; returns how many were unread."""
    return Alert.objects.filter(user=user, group_key=alert.group_key, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def mark_all_read(*, user) -> int:
    return Alert.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def still_visible(alert: Alert, user) -> bool:
    """Ask the notice's event type again: the member may have lost sight of the content since."""
    if not Membership.objects.active().filter(user=user, community_id=alert.community_id).exists():
        return False
    notice = notices_for(alert.event).get(user.pk)
    return notice is not None and notice.visible_to(user)

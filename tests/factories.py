"""Plain factory functions with keyword defaults."""

from datetime import timedelta
from uuid import uuid4

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from communities.models import Community, Invitation, Membership

PASSWORD = "a-Very-good-passw0rd"


def make_user(**kw) -> User:
    kw.setdefault("email", f"user-{uuid4().hex[:8]}@example.org")
    kw.setdefault("first_name", "Test")
    kw.setdefault("last_name", uuid4().hex[:6].title())
    verified = kw.pop("verified", True)
    user = User.objects.create_user(password=PASSWORD, **kw)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_community(**kw) -> Community:
    kw.setdefault("name", f"Community {uuid4().hex[:6]}")
    kw.setdefault("slug", f"c-{uuid4().hex[:8]}")
    kw.setdefault("description", "Project people learning together.")
    kw.setdefault("visibility", Community.Visibility.PUBLIC)
    kw.setdefault("join_policy", Community.JoinPolicy.OPEN)
    return Community.objects.create(**kw)


def make_membership(community, user=None, **kw) -> Membership:
    kw.setdefault("role", Membership.Role.MEMBER)
    kw.setdefault("status", Membership.Status.ACTIVE)
    if kw["status"] == Membership.Status.ACTIVE:
        kw.setdefault("joined_at", timezone.now())
    return Membership.objects.create(community=community, user=user or make_user(), **kw)


def make_invitation(community, *, email="invitee@example.org", invited_by=None, **kw) -> Invitation:
    kw.setdefault("expires_at", timezone.now() + timedelta(days=14))
    return Invitation.objects.create(community=community, email=email, invited_by=invited_by, **kw)

"""Shared fixtures: one community and the fixed cast of personas every permission test uses."""

import pytest
from django.test import Client

from communities import extensions
from communities.models import Community, Membership
from cop_platform.celery import app

from .factories import make_community, make_membership, make_user
from .helpers import login

pytest_plugins = ["tests.support.worker_fixtures"]


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in the test's process whether or not REDIS_URL is set (nothing consumes a test's queue), unless
    the test asks for real workers with the `queue` fixture (tests/support/worker_fixtures.py)."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "library": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "library"},
        },
    }
    settings.CLAMD_URL = ""
    # Off unless a test turns it on (tests/forums/test_anonymous_page_cache.py): with REDIS_URL set, the test
    # processes share one Redis, and each test's database is its own.
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    settings.SIGNUP_MIN_SECONDS = 0  # tests/hardening/test_signup_timing.py measures the floor itself


@pytest.fixture
def community(db):
    return make_community(name="PPM Community", slug="ppm", join_policy=Community.JoinPolicy.APPROVAL)


@pytest.fixture
def owner(community):
    return make_membership(
        community, make_user(first_name="Olivia", email="owner@example.org"), role=Membership.Role.OWNER
    ).user


@pytest.fixture
def facilitator(community):
    return make_membership(
        community, make_user(first_name="Priya", email="facilitator@example.org"), role=Membership.Role.FACILITATOR
    ).user


@pytest.fixture
def member(community):
    return make_membership(community, make_user(first_name="Tom", email="member@example.org")).user


@pytest.fixture
def outsider(db):
    return make_user(first_name="Olly", email="outsider@example.org")


@pytest.fixture
def staff(db):
    return make_user(first_name="Alex", email="staff@example.org", is_staff=True)


@pytest.fixture
def client_as(request):
    """A client for a persona by fixture name ("member", "banned"...); "anonymous" is a visitor not logged in."""

    def make(persona: str) -> Client:
        if persona == "anonymous":
            return Client()
        person = request.getfixturevalue(persona)
        return login(getattr(person, "user", person))  # a membership fixture stands for its member

    return make


@pytest.fixture
def as_member(member):
    return login(member)


@pytest.fixture
def as_facilitator(facilitator):
    return login(facilitator)


@pytest.fixture
def as_owner(owner):
    return login(owner)


@pytest.fixture
def as_outsider(outsider):
    return login(outsider)


@pytest.fixture
def as_staff(staff):
    return login(staff)


@pytest.fixture
def plug_in():
    """Register extension items for one test, as a fake app's AppConfig.ready() would; removed afterwards."""
    added = []

    def plug(*items):
        extensions.register(*items)
        added.extend(items)
        return items[-1]

    yield plug
    extensions.unregister(*added)

import pytest
from django.core.files.storage import storages

from communities.models import Community, Membership
from library import services
from library.inspection import inspect_upload
from library.models import Resource, ResourceVersion
from library.tasks import process_version

from ..factories import make_community, make_membership, make_user
from . import files

DOCUMENT_PHRASE = "quantified schedule risk analysis"


def add_document(community, author, *, name="guide.pdf", data=None, kind=Resource.Kind.DOCUMENT, **kw) -> Resource:
    data = data if data is not None else files.pdf(f"We always run a {DOCUMENT_PHRASE} before baselining.")
    kw.setdefault("title", "Contingency for station rebuilds")
    return services.resource_create(
        community=community, author=author, kind=kind, inspected=inspect_upload(files.upload(name, data)), **kw
    )


def current_version(resource: Resource) -> ResourceVersion:
    return ResourceVersion.objects.filter(file__resource=resource).order_by("-number").first()


def process(resource_or_version) -> str:
    """Run the extraction task directly, as a worker would (no eager mode)."""
    version = (
        current_version(resource_or_version) if isinstance(resource_or_version, Resource) else resource_or_version
    )
    return process_version(version.pk)


def stored_keys() -> list[str]:
    """Every blob in the library storage (directories walked), for asserting what was or was not stored."""
    storage = storages["library"]
    found, stack = [], [""]
    while stack:
        folder = stack.pop()
        try:
            directories, names = storage.listdir(folder)
        except FileNotFoundError:
            continue
        stack.extend(f"{folder}/{d}".lstrip("/") for d in directories)
        found.extend(f"{folder}/{n}".lstrip("/") for n in names)
    return found


@pytest.fixture
def document(community, member):
    resource = add_document(community, member)
    process(resource)
    return resource


@pytest.fixture
def private_community(db):
    return make_community(
        name="Benefits Network", slug="brn", visibility=Community.Visibility.PRIVATE, join_policy="invite"
    )


@pytest.fixture
def private_member(private_community):
    return make_membership(private_community, make_user(first_name="Pat")).user


@pytest.fixture
def departed(private_community):
    return make_membership(private_community, make_user(first_name="Lee"), status=Membership.Status.LEFT).user


@pytest.fixture
def banned(private_community):
    return make_membership(private_community, make_user(first_name="Bo"), status=Membership.Status.BANNED).user

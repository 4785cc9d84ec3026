"""Issue 9, fixes 6 and 7 (and the expertise part of 3): a replaced avatar stops being served and no upload gets a
guessable name; every free-text field has a cap the form enforces, keeping what was typed."""

import importlib
import inspect
from io import BytesIO
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Profile
from communities.models import Community, Membership

from ..factories import make_community, make_membership, make_user
from ..helpers import login, page_source

pytestmark = pytest.mark.django_db

APPS = ["accounts", "communities", "forums", "hotseats", "library", "polls", "newsletters"]


def every_form_class():
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_free_text_field_of_every_form_has_a_cap():
    uncapped = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in every_form_class()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert uncapped == []


# --- The profile ----------------------------------------------------------------------------------------------


@pytest.fixture
def person(db):
    return make_user(first_name="Grace", last_name="Hopper", email="grace@example.org")


def profile_data(**overrides):
    return {
        "user-first_name": "Grace",
        "user-last_name": "Hopper",
        "user-time_zone": "Europe/London",
        "profile-organisation": "US Navy",
        "profile-job_title": "Rear Admiral",
        "profile-bio": "I wrote the first compiler.",
        "profile-expertise": "",
        **overrides,
    }


def test_a_megabyte_bio_is_refused_and_what_was_typed_is_kept(person):
    bio = "Compilers. " * 100_000  # about 1 MB
    response = login(person).post(reverse("accounts:profile_edit"), profile_data(**{"profile-bio": bio}))

    assert response.status_code == 200
    page = page_source(response)
    assert "at most 2000 characters" in page.replace(",", "")
    assert bio.strip() in page  # the text comes back to be shortened, not lost
    assert 'value="US Navy"' in page
    assert Profile.objects.filter(user=person, bio=bio).exists() is False


def test_an_expertise_tag_over_100_characters_is_a_form_error_that_keeps_the_input(person):
    long_tag = "x" * 150
    response = login(person).post(
        reverse("accounts:profile_edit"), profile_data(**{"profile-expertise": f"risk, {long_tag}"})
    )

    assert response.status_code == 200
    page = page_source(response)
    assert "under 100 characters" in page
    assert long_tag in page and 'value="US Navy"' in page and "I wrote the first compiler." in page


def test_expertise_tags_within_the_limits_are_saved(person):
    login(person).post(reverse("accounts:profile_edit"), profile_data(**{"profile-expertise": "risk, benefits"}))

    assert sorted(t.name for t in Profile.objects.get(user=person).expertise.all()) == ["benefits", "risk"]


def test_a_too_long_community_description_is_refused_and_kept():
    community = make_community(name="PPM", slug="ppm", visibility=Community.Visibility.PUBLIC)
    owner = make_membership(community, make_user(), role=Membership.Role.OWNER).user
    url = reverse("communities:community_edit", args=[community.slug])
    data = {
        "name": "PPM",
        "slug": "ppm",
        "tagline": "",
        "description": "Plans. " * 3_000,
        "join_policy": "open",
        "visibility": "public",
        "stage": community.stage,
        "welcome_template": community.welcome_template,
        "welcome_target_hours": community.welcome_target_hours,
        "newsletter_day": community.newsletter_day,
    }

    response = login(owner).post(url, data)

    assert response.status_code == 200
    assert "Plans. Plans." in page_source(response)
    community.refresh_from_db()
    assert len(community.description) < 10_000


# --- Avatars ------------------------------------------------------------------------------------------------------


def png(colour) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def upload_avatar(client, colour):
    return client.post(reverse("accounts:profile_edit"), profile_data(**{"profile-avatar": png(colour)}))


def test_a_replaced_avatar_is_deleted_after_commit_so_its_old_address_serves_nothing(
    person, django_capture_on_commit_callbacks
):
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(client, (200, 40, 40))
    first = Profile.objects.get(user=person).avatar
    storage, first_name = first.storage, first.name
    assert storage.exists(first_name)

    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(client, (40, 200, 40))

    second = Profile.objects.get(user=person).avatar
    assert second.name != first_name and storage.exists(second.name)
    assert not storage.exists(first_name)  # what MEDIA_URL (Django, a proxy or a bucket) would have served


def test_the_old_avatar_stays_until_the_new_one_is_committed(person, django_capture_on_commit_callbacks):
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(client, (200, 40, 40))
    first_path = Path(Profile.objects.get(user=person).avatar.path)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload_avatar(client, (40, 200, 40))

    assert first_path.exists()  # nothing is deleted before the transaction commits
    assert len(callbacks) == 1


def test_uploaded_avatars_get_unguessable_names(person, django_capture_on_commit_callbacks):
    client = login(person)
    names = []
    for colour in [(200, 40, 40), (40, 200, 40)]:
        with django_capture_on_commit_callbacks(execute=True):
            upload_avatar(client, colour)
        names.append(Path(Profile.objects.get(user=person).avatar.name).stem)

    for stem in names:
        assert len(stem) >= 20, stem  # about 144 random bits, not "avatar" or "avatar_Ab3dE9x"
        assert "avatar" not in stem and str(person.pk) != stem
    assert names[0] != names[1]


def test_removing_the_avatar_deletes_its_file(person, django_capture_on_commit_callbacks):
    client = login(person)
    with django_capture_on_commit_callbacks(execute=True):
        upload_avatar(client, (200, 40, 40))
    path = Path(Profile.objects.get(user=person).avatar.path)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile_edit"), profile_data(**{"profile-avatar-clear": "on"}))

    assert not Profile.objects.get(user=person).avatar
    assert not path.exists()
    assert str(settings.MEDIA_ROOT) in str(path)

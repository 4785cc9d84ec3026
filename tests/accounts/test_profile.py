"""Editing a profile, uploading an avatar, and seeing both on the public profile page."""

import os
import re
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Profile

from ..factories import make_user
from ..helpers import login

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "files"
needs_corpus = pytest.mark.skipif(not FILES.is_dir(), reason=f"test corpus not found at {FILES}")

# The time zone middleware is checked through the client with a probe view mounted next to the real URLs.
urlpatterns = [
    path("tz-probe/", login_not_required(lambda request: HttpResponse(timezone.get_current_timezone_name()))),
    path("", include("cop_platform.urls")),
]


@pytest.fixture
def person(db):
    return make_user(first_name="Grace", last_name="Hopper", email="grace@example.org")


@pytest.fixture
def as_person(person):
    return login(person)


def form_data(**overrides):
    data = {
        "user-first_name": "Grace",
        "user-last_name": "Hopper",
        "user-time_zone": "Europe/London",
        "profile-organisation": "US Navy",
        "profile-job_title": "Rear Admiral",
        "profile-bio": "I wrote the first **compiler**.",
        "profile-expertise": "",
    }
    data.update(overrides)
    return data


def image_bytes(fmt="PNG", size=(640, 480), colour=(200, 40, 40)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def save_profile(client, **overrides):
    return client.post(reverse("accounts:profile_edit"), form_data(**overrides))


class _TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_in(html: str) -> list[tuple[str, dict]]:
    collector = _TagCollector()
    collector.feed(html)
    collector.close()
    return collector.tags


# --- Details ------------------------------------------------------------------------------------------------------


def test_saving_the_profile_stores_every_field_and_shows_it_on_the_profile_page(person, as_person):
    response = save_profile(
        as_person,
        **{
            "user-first_name": "Amazing",
            "user-last_name": "Grace",
            "user-time_zone": "America/New_York",
            "profile-organisation": "Harvard Computation Lab",
            "profile-job_title": "Programmer",
            "profile-expertise": "COBOL, compilers, Project management",
        },
    )

    assert response.status_code == 302
    assert response.url == person.get_absolute_url()
    person.refresh_from_db()
    profile = Profile.objects.get(user=person)
    assert (person.first_name, person.last_name, person.time_zone) == ("Amazing", "Grace", "America/New_York")
    assert (profile.organisation, profile.job_title) == ("Harvard Computation Lab", "Programmer")
    assert sorted(profile.expertise.names()) == ["COBOL", "Project management", "compilers"]
    page = as_person.get(response.url).content.decode()
    assert "Amazing Grace" in page
    assert "Programmer · Harvard Computation Lab" in page
    for topic in ("COBOL", "compilers", "Project management"):
        assert f'<span class="tag">{topic}</span>' in page
    assert "Your profile is saved." in page


def test_the_bio_is_rendered_from_markdown(person, as_person):
    save_profile(as_person, **{"profile-bio": "## What I do\n\n- **compilers**\n- see https://example.org"})

    profile = Profile.objects.get(user=person)
    assert "<strong>compilers</strong>" in profile.bio_html
    assert '<a href="https://example.org" rel="nofollow ugc noopener">' in profile.bio_html
    page = as_person.get(person.get_absolute_url()).content.decode()
    assert "<strong>compilers</strong>" in page


def test_script_in_the_bio_cannot_run_on_the_public_profile_page(person, as_person, client):
    hostile = (
        "<script>alert('bio')</script>\n\n"
        '<img src=x onerror="alert(1)">\n\n'
        "[click me](javascript:alert(document.cookie))\n\n"
        '<a href="javascript:alert(2)" onclick="alert(3)">x</a>'
    )
    save_profile(as_person, **{"profile-bio": hostile})

    assert Profile.objects.get(user=person).bio == hostile  # the source is kept as typed
    page = client.get(person.get_absolute_url()).content.decode()
    for tag, attrs in tags_in(page):
        assert not (tag == "script" and "src" not in attrs), "inline script on the page"
        assert tag not in {"img", "iframe", "object", "embed"} or "onerror" not in attrs
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript:"), attrs
    assert "&lt;script&gt;alert('bio')&lt;/script&gt;" in page  # shown as text, harmlessly


def test_the_time_zone_must_be_one_from_the_list(person, as_person):
    response = save_profile(as_person, **{"user-time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    person.refresh_from_db()
    assert person.time_zone == "Europe/London"


def test_the_public_profile_page_is_reachable_anonymously(client, person):
    Profile.objects.filter(user=person).update(job_title="Rear Admiral")

    response = client.get(person.get_absolute_url())

    assert response.status_code == 200
    assert "Grace Hopper" in response.content.decode()
    assert "Rear Admiral" in response.content.decode()
    assert "Edit my profile" not in response.content.decode()


def test_the_profile_editor_requires_logging_in(client):
    response = client.get(reverse("accounts:profile_edit"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- Time zone ----------------------------------------------------------------------------------------------------


@pytest.fixture
def probe(settings):
    settings.ROOT_URLCONF = __name__
    return "/tz-probe/"


def test_times_are_shown_in_the_members_own_time_zone(probe, person, as_person):
    save_profile(as_person, **{"user-time_zone": "America/New_York"})

    assert as_person.get(probe).content.decode() == "America/New_York"


def test_visitors_and_members_without_a_choice_see_site_time(probe, client, person, as_person):
    assert client.get(probe).content.decode() == "Europe/London"
    assert as_person.get(probe).content.decode() == "Europe/London"


def test_one_members_time_zone_does_not_leak_into_the_next_request(probe, client, person):
    tokyo = make_user(time_zone="Asia/Tokyo")
    assert login(tokyo).get(probe).content.decode() == "Asia/Tokyo"

    assert client.get(probe).content.decode() == "Europe/London"


# --- Avatar -------------------------------------------------------------------------------------------------------


def stored_avatar(person) -> bytes:
    profile = Profile.objects.get(user=person)
    assert profile.avatar, "no avatar was stored"
    with profile.avatar.open("rb") as fh:
        return fh.read()


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "me.png"), ("JPEG", "me.jpg"), ("GIF", "me.gif")])
def test_an_uploaded_photo_is_stored_as_a_256_pixel_square_png(person, as_person, fmt, name):
    response = save_profile(as_person, **{"profile-avatar": upload(name, image_bytes(fmt, size=(640, 480)))})

    assert response.status_code == 302
    with Image.open(BytesIO(stored_avatar(person))) as image:
        assert image.format == "PNG"
        assert image.size == (256, 256)
    page = as_person.get(person.get_absolute_url()).content.decode()
    assert f'src="{Profile.objects.get(user=person).avatar.url}"' in page


def test_saving_the_profile_again_keeps_the_avatar(person, as_person):
    save_profile(as_person, **{"profile-avatar": upload("me.png", image_bytes())})
    first = Profile.objects.get(user=person).avatar.name

    response = save_profile(as_person, **{"profile-job_title": "Commodore"})

    assert response.status_code == 302
    profile = Profile.objects.get(user=person)
    assert profile.avatar.name == first
    assert profile.job_title == "Commodore"


def test_a_profile_whose_avatar_file_went_missing_can_still_be_saved(person, as_person):
    save_profile(as_person, **{"profile-avatar": upload("me.png", image_bytes())})
    Path(Profile.objects.get(user=person).avatar.path).unlink()  # e.g. media not restored with the database

    response = save_profile(as_person, **{"profile-job_title": "Commodore"})

    assert response.status_code == 302
    assert Profile.objects.get(user=person).job_title == "Commodore"


@needs_corpus
@pytest.mark.parametrize("name", ["payload_in_all_known_metadata.jpg", "payload_in_all_known_metadata.png"])
def test_a_photo_with_script_in_its_metadata_is_accepted_but_stored_without_it(person, as_person, name):
    original = (FILES / name).read_bytes()
    markers = [b"<script", b"alert(", b"&lt;script"]
    assert any(marker in original for marker in markers), "the corpus file no longer carries its payload"

    response = save_profile(as_person, **{"profile-avatar": upload(name, original)})

    assert response.status_code == 302
    stored = stored_avatar(person)
    for marker in markers:
        assert marker not in stored.lower()
    with Image.open(BytesIO(stored)) as image:
        # Compressed text chunks (zTXt/iTXt) would hide the payload from a byte search; there must be none.
        assert image.format == "PNG"
        assert not getattr(image, "text", {}), image.text
        assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info


def avatar_errors(html: str) -> list[str]:
    return re.findall(r'<small class="error" id="id_profile-avatar_error">(.*?)</small>', html, re.S)


def assert_refused_and_nothing_saved(response, person, messages):
    html = response.content.decode()
    assert response.status_code == 200
    errors = avatar_errors(html)
    assert errors, "no error shown next to the avatar field"
    messages = (messages,) if isinstance(messages, str) else messages
    assert any(message in error for error in errors for message in messages), errors
    assert "nothing was saved yet" in html
    # What was typed elsewhere in the form comes back, so the member need not type it again.
    assert 'value="Typed but not saved"' in html
    assert "A bio I do not want to lose." in html
    profile = Profile.objects.get(user=person)
    assert not profile.avatar
    assert profile.job_title == ""
    assert profile.bio == ""
    person.refresh_from_db()
    assert person.first_name == "Grace"


TYPED = {
    "user-first_name": "Renamed",
    "profile-job_title": "Typed but not saved",
    "profile-bio": "A bio I do not want to lose.",
}
# Django's ImageField answers first for files Pillow cannot open at all; our validator for the rest.
NOT_AN_IMAGE = ("Upload a valid image", "not an image we can read")


@needs_corpus
@pytest.mark.parametrize("svg", sorted(p.name for p in FILES.glob("*.svg")) if FILES.is_dir() else [])
def test_an_svg_avatar_is_refused_with_a_clear_message(person, as_person, svg):
    content = (FILES / svg).read_bytes()
    for name, content_type in ((svg, "image/svg+xml"), (svg.replace(".svg", ".png"), "image/png")):
        response = save_profile(as_person, **TYPED, **{"profile-avatar": upload(name, content, content_type)})

        assert_refused_and_nothing_saved(response, person, NOT_AN_IMAGE)


def test_a_text_file_renamed_to_png_is_refused(person, as_person):
    response = save_profile(as_person, **TYPED, **{"profile-avatar": upload("cv.png", b"Just some notes, honest.\n")})

    assert_refused_and_nothing_saved(response, person, NOT_AN_IMAGE)


def test_a_truncated_photo_is_refused_rather_than_crashing(person, as_person):
    jpeg = image_bytes("JPEG", size=(800, 600))

    response = save_profile(as_person, **TYPED, **{"profile-avatar": upload("cut.jpg", jpeg[: len(jpeg) // 2])})

    assert_refused_and_nothing_saved(response, person, NOT_AN_IMAGE)


def test_an_avatar_over_two_megabytes_is_refused_with_the_limit_named(person, as_person):
    # Random pixels do not compress, so this is a genuine, readable PNG of about 3 MB.
    big = BytesIO()
    Image.frombytes("RGB", (1024, 1024), os.urandom(1024 * 1024 * 3)).save(big, format="PNG")
    assert big.tell() > 2 * 1024 * 1024

    response = save_profile(as_person, **TYPED, **{"profile-avatar": upload("huge.png", big.getvalue())})

    assert_refused_and_nothing_saved(response, person, "avatars may be at most 2.0")


def test_an_image_too_large_in_pixels_is_refused(person, as_person):
    response = save_profile(
        as_person, **TYPED, **{"profile-avatar": upload("wide.png", image_bytes(size=(5000, 4000)))}
    )

    assert_refused_and_nothing_saved(response, person, "too large in pixels")


def test_a_tiff_is_refused_naming_the_accepted_formats(person, as_person):
    response = save_profile(
        as_person, **TYPED, **{"profile-avatar": upload("scan.tif", image_bytes("TIFF"), "image/tiff")}
    )

    assert_refused_and_nothing_saved(response, person, "TIFF images are not accepted")


def test_the_profile_form_has_no_hidden_input_carrying_aria_attributes(as_person):
    """The Nu checker refuses `aria-*` on `<input type="hidden">`, which Django adds for the time zone's callable
    default (a hidden "initial" copy of the field with its aria-describedby)."""
    html = as_person.get(reverse("accounts:profile_edit")).content.decode()
    hidden = re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html)
    assert not [tag for tag in hidden if "aria-" in tag]

"""Facilitators welcome newcomers personally from a queue; the overdue ones get the template welcome automatically."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import ActivityEvent, Membership
from communities.tasks import send_overdue_welcomes

from ..conftest import login
from ..factories import make_community, make_membership, make_user

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TEMPLATE = "Hello {first_name}, welcome to **{community}**! Signed, {facilitator}."


@pytest.fixture(autouse=True)
def clock():
    """A frozen clock that tests move forward by hand."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(community, owner, facilitator):
    """The community with its template, and its facilitators already counted as welcomed (like founders)."""
    community.welcome_template = TEMPLATE
    community.welcome_target_hours = 24
    community.save()
    Membership.objects.filter(community=community, user__in=[owner, facilitator]).update(welcomed_at=START)
    return community


def newcomer(community, first_name, *, joined_ago=timedelta(0)):
    user = make_user(first_name=first_name, last_name="Newman", email=f"{first_name.lower()}@example.org")
    return make_membership(community, user, joined_at=timezone.now() - joined_ago)


def queue_url(community):
    return reverse("communities:welcome_queue", args=[community.slug])


def compose_url(membership):
    return reverse("communities:welcome_compose", args=[membership.community.slug, membership.pk])


def queue_rows(response) -> list[str]:
    """The newcomer rows of the welcome queue, as plain text, in page order."""
    html = response.content.decode()
    if "<tbody>" not in html:
        return []
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    body = re.sub(r'<span class="avatar[^"]*"[^>]*>.*?</span>', "", body)  # initials
    rows = body.split("</tr>")[:-1]
    return [" ".join(re.sub(r"<[^>]+>", " ", row).replace("\xa0", " ").split()) for row in rows]


def queue_first_names(response) -> list[str]:
    return [row.split()[0] for row in queue_rows(response)]


def textarea(response) -> str:
    match = re.search(r"<textarea[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
    assert match, "no textarea on the page"
    return match.group(1).strip()


# --- The queue -----------------------------------------------------------------------------------------------


def test_queue_lists_unwelcomed_newcomers_oldest_first_with_how_long_they_waited(setup, as_facilitator):
    newcomer(setup, "Cleo", joined_ago=timedelta(minutes=30))
    newcomer(setup, "Amara", joined_ago=timedelta(hours=5))
    newcomer(setup, "Bilal", joined_ago=timedelta(hours=2))
    welcomed = newcomer(setup, "Dora", joined_ago=timedelta(hours=8))
    Membership.objects.filter(pk=welcomed.pk).update(welcomed_at=START)
    newcomer(setup, "Ezra", joined_ago=timedelta(hours=9)).delete()
    make_membership(setup, make_user(first_name="Pending"), status=Membership.Status.PENDING)

    response = as_facilitator.get(queue_url(setup))

    assert queue_first_names(response) == ["Amara", "Bilal", "Cleo"]
    rows = queue_rows(response)
    assert "5 hours" in rows[0]
    assert "2 hours" in rows[1]
    assert "30 minutes" in rows[2]


def test_queue_shows_a_newcomers_expertise_and_links_to_their_welcome(setup, as_facilitator):
    amara = newcomer(setup, "Amara", joined_ago=timedelta(hours=1))
    amara.user.profile.expertise.add("benefits realisation")
    html = as_facilitator.get(queue_url(setup)).content.decode()
    assert "benefits realisation" in html
    assert compose_url(amara) in html


@pytest.mark.parametrize("page", ["queue", "compose"])
def test_members_and_outsiders_are_refused_the_welcome_pages(setup, page, as_member, as_outsider):
    amara = newcomer(setup, "Amara")
    url = queue_url(setup) if page == "queue" else compose_url(amara)
    assert as_member.get(url).status_code == 403
    assert as_outsider.get(url).status_code == 403


@pytest.mark.parametrize("page", ["queue", "compose"])
def test_anonymous_is_sent_to_log_in_for_the_welcome_pages(setup, page, client):
    amara = newcomer(setup, "Amara")
    url = queue_url(setup) if page == "queue" else compose_url(amara)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{resolve_url(settings.LOGIN_URL)}?next={url}"


def test_a_member_cannot_send_a_welcome(setup, as_member, mailoutbox, django_capture_on_commit_callbacks):
    amara = newcomer(setup, "Amara")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_member.post(compose_url(amara), {"body": "Hi from a member"})
    assert response.status_code == 403
    amara.refresh_from_db()
    assert amara.welcomed_at is None
    assert mailoutbox == []


# --- A personal welcome --------------------------------------------------------------------------------------


def test_compose_page_is_prefilled_from_the_community_template(setup, as_facilitator, facilitator):
    amara = newcomer(setup, "Amara")
    draft = textarea(as_facilitator.get(compose_url(amara)))
    assert draft == f"Hello Amara, welcome to **PPM Community**! Signed, {facilitator.display_name}."


def test_sending_a_personal_welcome_records_it_emails_it_and_shows_it_on_their_home_page(
    setup, as_facilitator, facilitator, mailoutbox, django_capture_on_commit_callbacks, clock
):
    amara = newcomer(setup, "Amara", joined_ago=timedelta(hours=3))
    body = "Amara, so glad you are here. Ask me anything about **benefits**."
    with django_capture_on_commit_callbacks(execute=True):
        response = as_facilitator.post(compose_url(amara), {"body": body})

    assert response.status_code == 302
    assert response.url == queue_url(setup)
    amara.refresh_from_db()
    assert amara.welcomed_by == facilitator
    assert amara.welcomed_at == START
    assert amara.welcome_method == Membership.WelcomeMethod.PERSONAL

    [email] = mailoutbox
    assert email.to == ["amara@example.org"]
    assert email.subject == "Welcome to PPM Community"
    # The plain-text part is the Markdown rendered as text.
    assert "Amara, so glad you are here. Ask me anything about benefits." in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Ask me anything about <strong>benefits</strong>." in html

    followed = as_facilitator.get(response.url)
    assert "Your welcome is on its way to Amara Newman." in followed.content.decode()
    assert queue_rows(followed) == []

    clock.shift(timedelta(hours=2))
    home = login(amara.user).get(reverse("communities:home")).content.decode()
    assert "Your welcomes" in home
    assert "a personal welcome" in home
    assert "Ask me anything about <strong>benefits</strong>." in home


def test_welcome_sent_twice_welcomes_only_once(
    setup, as_facilitator, as_owner, facilitator, mailoutbox, django_capture_on_commit_callbacks, clock
):
    amara = newcomer(setup, "Amara")
    with django_capture_on_commit_callbacks(execute=True):
        as_facilitator.post(compose_url(amara), {"body": "First welcome"})
    clock.shift(timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        again = as_owner.post(compose_url(amara), {"body": "Second welcome"}, follow=True)

    assert "Amara Newman has already been welcomed." in again.content.decode()
    amara.refresh_from_db()
    assert (amara.welcomed_by, amara.welcomed_at) == (facilitator, START)
    assert "Second welcome" not in amara.welcome_html
    assert [m.body.split("\n")[0] for m in mailoutbox] == ["First welcome"]
    assert ActivityEvent.objects.filter(verb=ActivityEvent.Verb.WELCOMED).count() == 1


def test_two_facilitators_racing_send_only_one_welcome(
    setup, facilitator, owner, mailoutbox, django_capture_on_commit_callbacks
):
    amara = newcomer(setup, "Amara")
    stale_copy = Membership.objects.get(pk=amara.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.welcome_send(membership=amara, by=facilitator, body="From Priya")
        second = services.welcome_send(membership=stale_copy, by=owner, body="From Olivia")
    assert (first, second) == (True, False)
    assert len(mailoutbox) == 1
    amara.refresh_from_db()
    assert amara.welcomed_by == facilitator


def test_template_placeholders_cannot_reach_into_python_objects(setup, as_facilitator, member):
    setup.welcome_template = "Hi {first_name}! {first_name.__class__} {user.password} {community.__init__} {0}"
    setup.save()
    row = setup.memberships.get(user=member)
    draft = textarea(as_facilitator.get(compose_url(row)))
    assert draft == "Hi Tom! {first_name.__class__} {user.password} {community.__init__} {0}"
    assert member.password not in draft


def test_placeholder_values_are_not_filled_in_a_second_time(setup, as_facilitator):
    sly = newcomer(setup, "{community}")
    draft = textarea(as_facilitator.get(compose_url(sly)))
    assert draft.startswith("Hello {community}, welcome to **PPM Community**!")


# --- The automatic welcome -----------------------------------------------------------------------------------


def test_overdue_newcomers_get_the_template_welcome_automatically(
    setup, facilitator, mailoutbox, django_capture_on_commit_callbacks, clock
):
    late = newcomer(setup, "Amara", joined_ago=timedelta(hours=25))
    recent = newcomer(setup, "Bilal", joined_ago=timedelta(hours=23))

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_overdue_welcomes()

    assert sent == 1
    late.refresh_from_db()
    recent.refresh_from_db()
    assert late.welcome_method == Membership.WelcomeMethod.AUTOMATIC
    assert late.welcomed_at == START
    assert late.welcomed_by is None
    assert recent.welcomed_at is None
    [email] = mailoutbox
    assert email.to == ["amara@example.org"]
    assert f"Hello Amara, welcome to PPM Community! Signed, {facilitator.display_name}." in email.body

    clock.shift(timedelta(hours=1))
    home = login(late.user).get(reverse("communities:home")).content.decode()
    assert "welcome message" in home
    assert "welcome to <strong>PPM Community</strong>!" in home


def test_automatic_welcome_run_twice_sends_nothing_the_second_time(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer(setup, "Amara", joined_ago=timedelta(hours=30))
    with django_capture_on_commit_callbacks(execute=True):
        first = send_overdue_welcomes()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_overdue_welcomes()
    assert (first, second) == (1, 0)
    assert len(mailoutbox) == 1


def test_newcomers_within_the_target_are_welcomed_automatically_once_it_passes(
    setup, mailoutbox, django_capture_on_commit_callbacks, clock
):
    bilal = newcomer(setup, "Bilal", joined_ago=timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_welcomes() == 0
    clock.shift(timedelta(hours=1, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_welcomes() == 1
    bilal.refresh_from_db()
    assert bilal.welcome_method == Membership.WelcomeMethod.AUTOMATIC
    assert [m.to for m in mailoutbox] == [["bilal@example.org"]]


def test_each_communitys_own_welcome_target_decides_who_is_overdue(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    setup.welcome_target_hours = 2
    setup.save()
    patient = make_community(name="Patient People", welcome_template="Hi {first_name}, from {facilitator}")
    newcomer(setup, "Amara", joined_ago=timedelta(hours=3))
    newcomer(patient, "Bilal", joined_ago=timedelta(hours=3))
    newcomer(patient, "Cleo", joined_ago=timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_welcomes() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["amara@example.org", "cleo@example.org"]
    [to_cleo] = [m for m in mailoutbox if m.to == ["cleo@example.org"]]
    assert to_cleo.body.startswith("Hi Cleo, from The Patient People team")  # no facilitator to sign it


def test_personally_welcomed_newcomers_are_not_welcomed_again_automatically(
    setup, as_facilitator, mailoutbox, django_capture_on_commit_callbacks, clock
):
    amara = newcomer(setup, "Amara", joined_ago=timedelta(hours=20))
    with django_capture_on_commit_callbacks(execute=True):
        as_facilitator.post(compose_url(amara), {"body": "Personal hello"})
    clock.shift(timedelta(hours=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_welcomes() == 0
    amara.refresh_from_db()
    assert amara.welcome_method == Membership.WelcomeMethod.PERSONAL
    assert len(mailoutbox) == 1


# --- The welcome record --------------------------------------------------------------------------------------


def test_queue_page_shows_the_median_time_to_welcome_and_the_personal_share(
    setup, as_facilitator, django_capture_on_commit_callbacks, clock
):
    quick, slower, forgotten = (newcomer(setup, name) for name in ("Amara", "Bilal", "Cleo"))
    clock.shift(timedelta(hours=1))
    as_facilitator.post(compose_url(quick), {"body": "Hello Amara"})  # waited 1 h
    clock.shift(timedelta(hours=2))
    as_facilitator.post(compose_url(slower), {"body": "Hello Bilal"})  # waited 3 h
    clock.shift(timedelta(hours=27))
    newcomer(setup, "Dora", joined_ago=timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_overdue_welcomes() == 1  # Cleo, after 30 h

    response = as_facilitator.get(queue_url(setup))
    html = response.content.decode()

    assert "<strong>1</strong><span>waiting</span>" in html
    assert "<strong>3 h 0 min</strong><span>median time to welcome</span>" in html
    assert "<strong>67%</strong><span>welcomed personally (2 of 3)</span>" in html
    assert "<strong>1</strong><span>welcomed automatically</span>" in html
    assert queue_first_names(response) == ["Dora"]
    forgotten.refresh_from_db()
    assert forgotten.welcome_method == Membership.WelcomeMethod.AUTOMATIC


def test_welcome_record_is_blank_before_anyone_is_welcomed(setup, as_facilitator):
    newcomer(setup, "Amara")
    html = as_facilitator.get(queue_url(setup)).content.decode()
    assert "<strong>—</strong><span>median time to welcome</span>" in html
    assert "<strong>—</strong><span>welcomed personally (0 of 0)</span>" in html

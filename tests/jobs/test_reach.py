"""How postings reach people: saved-search alerts (honouring preferences and privacy), the daily digest, the
newsletter section, the Atom feed, search and the JobPosting JSON-LD. A private community's posting never
reaches a non-member through any of them."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities import search
from communities.extensions import NewsletterSection, lookup
from jobs import services
from jobs.activity import JOBS
from jobs.models import JobSearch, Posting
from newsletters import alerts
from newsletters.models import Alert

from ..factories import make_membership, make_user
from ..helpers import login
from ..newsletters.helpers import dispatch_all, mails_to, subscribe
from .conftest import make_posting

pytestmark = pytest.mark.django_db
LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def saved_search(user, **kw):
    kw.setdefault("name", "PMO roles")
    return JobSearch.objects.create(user=user, **kw)


def jobs_alerts(user) -> list[Alert]:
    return list(Alert.objects.filter(user=user, alert_type=JOBS))


def test_a_matching_saved_search_brings_an_alert_daily_by_default(community, poster, member, other_member):
    saved_search(member, tags="PRINCE2")
    saved_search(other_member, tags="agile")
    make_posting(community, poster, tags=["PRINCE2"])
    dispatch_all()
    (alert,) = jobs_alerts(member)
    assert alert.frequency == "daily" and alert.title.startswith("New job: PMO manager")
    assert jobs_alerts(other_member) == []


def test_immediate_sends_an_email_and_off_sends_nothing(community, poster, member, other_member):
    subscribe(member, community, jobs="immediate")
    subscribe(other_member, community, jobs="off")
    saved_search(member)
    saved_search(other_member)
    mail.outbox.clear()
    make_posting(community, poster)
    dispatch_all()
    (message,) = mails_to(mail.outbox, member)
    assert "PMO manager" in message.subject
    assert mails_to(mail.outbox, other_member) == [] and jobs_alerts(other_member) == []


def test_pattern_and_location_must_match(community, poster, member):
    saved_search(member, working_pattern=Posting.Pattern.REMOTE)
    saved_search(member, name="Bristol", location="Bristol")
    make_posting(community, poster, location="Leeds")
    dispatch_all()
    assert jobs_alerts(member) == []
    make_posting(community, poster, title="Remote role", working_pattern=Posting.Pattern.REMOTE, location="")
    dispatch_all()
    assert [a.title for a in jobs_alerts(member)] == ["New job: Remote role at Leeds City Council"]


def test_a_pending_posting_alerts_nobody_until_approved(community, member, other_member, facilitator):
    saved_search(other_member)
    waiting = make_posting(community, member, live=False)
    dispatch_all()
    assert jobs_alerts(other_member) == []
    services.posting_approve(posting=waiting, by=facilitator)
    dispatch_all()
    assert len(jobs_alerts(other_member)) == 1


def test_a_private_postings_alert_never_reaches_a_non_member(private_community, insider, outsider, member):
    saved_search(outsider)  # a search over "all my communities"
    saved_search(member)
    saved_search(insider)
    make_membership(private_community, make_user(first_name="Poster"))
    author = private_community.memberships.exclude(user=insider).get().user
    make_posting(private_community, author)
    dispatch_all()
    assert jobs_alerts(outsider) == [] and jobs_alerts(member) == []
    assert len(jobs_alerts(insider)) == 1


def test_the_digest_drops_a_posting_hidden_or_closed_since(community, poster, member, facilitator):
    saved_search(member)
    posting = make_posting(community, poster)
    dispatch_all()
    services.posting_set_hidden(posting=posting, by=facilitator, hidden=True)
    mail.outbox.clear()
    alerts.send_daily_digests(now=timezone.now() + timedelta(days=1))
    assert not any("PMO manager" in m.body for m in mails_to(mail.outbox, member))


def test_the_new_jobs_section_lists_live_postings_of_the_period_only(community, private_community, poster, insider):
    live = make_posting(community, poster, title="Live role")
    closed = make_posting(community, poster, title="Closed role")
    services.posting_close(posting=closed, by=poster)
    make_posting(private_community, insider, title="Private role")
    section = lookup(NewsletterSection, "new_jobs")
    start, end = timezone.now() - timedelta(days=30), timezone.now() + timedelta(minutes=1)
    built = section.build(community, start, end)
    assert built["title"] == "New jobs"
    assert [i["url"] for i in built["items"]] == [live.get_absolute_url()]
    assert "Private role" not in json.dumps(built)


def test_the_atom_feed_lists_live_public_postings(community, poster, client):
    make_posting(community, poster, title="Feed role <b>bold</b>")
    closed = make_posting(community, poster, title="Gone role")
    services.posting_close(posting=closed, by=poster)
    response = client.get(reverse("jobs:feed", args=[community.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.text for e in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert "Feed role <b>bold</b> at Leeds City Council" in titles
    assert not any("Gone role" in (t or "") for t in titles)


def test_private_communities_have_no_feed_and_no_json_ld(private_community, insider, client):
    posting = make_posting(private_community, insider)
    assert client.get(reverse("jobs:feed", args=[private_community.slug])).status_code in (302, 404)
    assert login(insider).get(reverse("jobs:feed", args=[private_community.slug])).status_code == 404
    page = login(insider).get(posting.get_absolute_url()).content.decode()
    assert "PMO manager" in page and not LD.search(page)


def test_search_finds_live_postings_and_only_for_readers(community, private_community, poster, insider, outsider):
    make_posting(community, poster, title="Benefits realisation lead")
    make_posting(private_community, insider, title="Benefits realisation secret")
    found = [d.title for d in search.search(outsider, "benefits realisation")]
    assert any("Benefits realisation lead" in t for t in found)
    assert not any("secret" in t for t in found)
    assert any("secret" in d.title for d in search.search(insider, "benefits realisation"))


def test_a_closed_posting_leaves_search(community, poster, outsider):
    posting = make_posting(community, poster, title="Portfolio analyst")
    services.posting_close(posting=posting, by=poster)
    assert not list(search.search(outsider, "portfolio analyst"))


def test_public_posting_json_ld_is_a_valid_job_posting(community, poster, client):
    posting = make_posting(
        community,
        poster,
        title='Programme manager </script><script>alert("x")</script>',
        employer="Home Office",
        contract=Posting.Contract.INTERIM,
    )
    page = client.get(posting.get_absolute_url()).content.decode()
    (raw,) = LD.findall(page)
    assert "</script>" not in raw and "<script" not in raw
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    for required in ("title", "description", "datePosted", "validThrough", "hiringOrganization", "employmentType"):
        assert data[required], required
    assert data["title"] == posting.title
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "Home Office"}
    assert data["jobLocation"]["address"]["addressLocality"] == "Leeds"
    assert data["employmentType"] == "CONTRACTOR"
    assert data["baseSalary"]["currency"] == "GBP"
    assert data["baseSalary"]["value"]["minValue"] == 52000 and data["baseSalary"]["value"]["maxValue"] == 58000
    assert data["validThrough"] == posting.closes_at.isoformat()


def test_remote_json_ld_says_telecommute_and_no_salary_means_no_base_salary(community, poster, client):
    posting = make_posting(
        community, poster, working_pattern=Posting.Pattern.REMOTE, location="", salary_min=None, salary_max=None
    )
    data = json.loads(LD.search(client.get(posting.get_absolute_url()).content.decode()).group(1))
    assert data["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in data and "baseSalary" not in data


def test_closed_and_pending_postings_carry_no_json_ld(community, poster, member, facilitator):
    closed = make_posting(community, poster)
    services.posting_close(posting=closed, by=poster)
    waiting = make_posting(community, member, live=False)
    assert not LD.search(login(facilitator).get(closed.get_absolute_url()).content.decode())
    assert not LD.search(login(facilitator).get(waiting.get_absolute_url()).content.decode())


@pytest.fixture
def other_member(community):
    return make_membership(community, make_user(first_name="Maya", email="maya@example.org")).user


def test_the_preferences_page_offers_and_saves_the_jobs_choice(community, member):
    from newsletters.models import Subscription

    from ..newsletters.test_preferences import preference_data

    client = login(member)
    page = client.get(reverse("newsletters:preferences")).content.decode()
    assert "New jobs matching my saved job searches" in page and f'name="c{community.pk}-jobs"' in page
    response = client.post(reverse("newsletters:preferences"), preference_data(community, jobs="immediate"))
    assert response.status_code == 302
    assert Subscription.objects.get(user=member, community=community).frequency(JOBS) == "immediate"

"""The library from the rest of the platform, all through the registry: files attached to forum posts and hot-seat
answers, threads written up as guides, alerts for followers, digest lines, the newsletter section, moderation
notices, and the demo."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from communities.activity import MODERATION
from communities.extensions import content_of
from forums import services as forum_services
from forums.models import Category, Post, Thread
from hotseats import services as hotseat_services
from hotseats.models import Answer, Question
from library import services
from library.inspection import inspect_upload
from library.models import Attachment, Resource, ResourceFollow
from newsletters import alerts
from newsletters.models import Alert
from newsletters.sections import build_sections

from ..conftest import login
from ..factories import make_membership, make_user
from ..helpers import assert_kept_out
from ..newsletters.helpers import dispatch_all, mails_to, subscribe
from . import files
from .conftest import add_document, current_version, stored_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(community, member):
    category = Category.objects.create(community=community, name="Tools", slug="tools")
    return forum_services.thread_create(
        category=category, author=member, kind=Thread.Kind.QUESTION, title="Share your risk register?", body="Please."
    )


# --- Attachments on forum posts ------------------------------------------------------------------------------------


def reply_url(thread):
    return reverse("forums:thread_reply", args=[thread.community.slug, thread.pk])


def test_a_file_attached_to_a_reply_is_filed_in_the_library_and_shown_on_the_post(thread, as_facilitator, client):
    data = files.xlsx(("Risk", "Owner"), ("Supplier late", "Head of ICT"))

    response = as_facilitator.post(
        reply_url(thread), {"body": "Attached is ours.", "library_files": [files.upload("Our register.xlsx", data)]}
    )

    post = Post.objects.get(is_opening=False)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    resource = attachment.resource
    assert attachment.target == post and resource.source_url == post.get_absolute_url()
    assert (resource.kind, resource.title, resource.community) == ("document", "Our register", thread.community)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert (
        "Our register.xlsx" in page
        and f"Excel workbook · {attachment.file.current_version.size / 1024:.1f}\xa0KB" in page
    )
    assert attachment.download_url in page
    assert client.get(attachment.download_url)["Content-Disposition"].startswith("attachment;")
    library_page = client.get(resource.get_absolute_url()).content.decode()
    assert f'Attached to <a href="{post.get_absolute_url()}">a forum post</a>' in library_page


def test_a_refused_attachment_keeps_the_reply_unposted_with_its_text(thread, as_facilitator):
    response = as_facilitator.post(
        reply_url(thread),
        {"body": "Here is the macro version.", "library_files": [files.upload("register.xlsm", files.xlsx(("a",)))]},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Macro-enabled Office files are not accepted" in body and "Here is the macro version." in body
    assert not Post.objects.filter(is_opening=False).exists()
    assert not Attachment.objects.exists() and not Resource.objects.exists() and stored_keys() == []


def test_an_oversized_attachment_is_dropped_while_streaming_and_the_reply_is_not_posted(
    thread, as_facilitator, settings
):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 20_000

    response = as_facilitator.post(
        reply_url(thread),
        {"body": "Big one.", "library_files": [files.upload("big.pdf", files.pdf("x") + b"%" * 30_000)]},
    )

    assert response.status_code == 200 and "larger than" in response.content.decode()
    assert not Post.objects.filter(is_opening=False).exists() and stored_keys() == []


def test_a_file_already_in_the_library_is_linked_not_stored_twice(thread, as_facilitator, community, member):
    data = files.pdf("The checklist.")
    existing = add_document(community, member, data=data)

    as_facilitator.post(reply_url(thread), {"body": "See this.", "library_files": [files.upload("copy.pdf", data)]})

    assert Attachment.objects.get().resource == existing
    assert Resource.objects.count() == 1 and len(stored_keys()) == 1


def test_attachments_in_a_private_community_stay_private(private_community, private_member, outsider, client):
    category = Category.objects.create(community=private_community, name="Evaluation", slug="evaluation")
    thread = forum_services.thread_create(
        category=category, author=private_member, kind=Thread.Kind.DISCUSSION, title="Our PIR", body="Findings."
    )
    login(private_member).post(
        reply_url(thread), {"body": "Attached.", "library_files": [files.upload("pir.pdf", files.pdf("Findings."))]}
    )
    attachment = Attachment.objects.get()

    refused = login(outsider).get(attachment.download_url)
    assert_kept_out(refused, private_community)
    assert "Content-Disposition" not in refused
    assert client.get(attachment.download_url).status_code == 302


# --- Attachments on hot-seat answers -------------------------------------------------------------------------------


def test_an_expert_attaches_slides_to_a_hot_seat_answer(community, facilitator, member, client):
    now = timezone.now()
    hotseat = hotseat_services.hotseat_create(
        community=community,
        by=facilitator,
        title="Assurance with Rebecca",
        topic="Gateway reviews.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=2),
        experts=[facilitator],
    )
    question = hotseat_services.question_ask(hotseat=hotseat, asker=member, body="What do reviewers read first?")

    response = login(facilitator).post(
        reverse("hotseats:answer_post", args=[community.slug, hotseat.pk, question.pk]),
        {
            "body": "The business case. Slides attached.",
            "library_files": [files.upload("Gateway.pptx", files.pptx("Gateway"))],
        },
    )

    assert response.status_code == 302
    answer = Answer.objects.get()
    attachment = Attachment.objects.get()
    assert attachment.target == answer and attachment.resource.source_url == answer.get_absolute_url()
    page = client.get(hotseat.get_absolute_url()).content.decode()
    assert "Gateway.pptx" in page and "PowerPoint presentation" in page
    assert Question.objects.get().pk == question.pk


# --- A thread written up as a guide ---------------------------------------------------------------------------------


def test_the_thread_author_and_facilitators_are_offered_to_save_it_as_a_guide(
    thread, as_member, as_facilitator, community
):
    other = login(make_membership(community, make_user()).user)
    action = reverse("library:guide_from_source", args=[community.slug, "forums.thread", thread.pk])

    assert action in as_member.get(thread.get_absolute_url()).content.decode()
    assert action in as_facilitator.get(thread.get_absolute_url()).content.decode()
    assert action not in other.get(thread.get_absolute_url()).content.decode()
    assert other.get(action).status_code == 403


def test_a_thread_and_its_accepted_answer_become_a_guide_that_links_back(
    thread, facilitator, as_facilitator, community
):
    answer = forum_services.post_reply(thread=thread, author=facilitator, body="Use **next actions** with dates.")
    forum_services.answer_accept(thread=thread, post=answer, by=thread.author)
    url = reverse("library:guide_from_source", args=[community.slug, "forums.thread", thread.pk])

    draft = as_facilitator.get(url).content.decode()
    only_answer = as_facilitator.get(url, {"from": "accepted"}).content.decode()
    assert "## The question" in draft and "## The accepted answer" in draft and "next actions" in draft
    assert "## The question" not in only_answer and "## The accepted answer" in only_answer

    response = as_facilitator.post(
        url, {"title": "Keeping registers alive", "body": "Review weekly. **Next actions.**"}
    )

    guide = Resource.objects.get(kind=Resource.Kind.GUIDE)
    assert response["Location"] == guide.get_absolute_url()
    assert guide.source == thread and guide.source_url == thread.get_absolute_url()
    assert guide.revisions.count() == 1 and "<strong>Next actions.</strong>" in guide.body_html
    page = as_facilitator.get(guide.get_absolute_url()).content.decode()
    assert f'Written up from <a href="{thread.get_absolute_url()}">' in page


def test_a_hidden_thread_cannot_be_written_up_by_someone_who_cannot_read_it(thread, facilitator, community, member):
    forum_services.post_hide(post=thread.posts.get(is_opening=True), by=facilitator)
    outsider = make_user()

    assert content_of("forums.thread", outsider, thread.pk) is None
    assert content_of("forums.thread", facilitator, thread.pk) is not None
    url = reverse("library:guide_from_source", args=["nope", "forums.thread", thread.pk])
    assert login(facilitator).get(url).status_code == 404


# --- Activity, alerts, digests, newsletter -------------------------------------------------------------------------


def test_followers_hear_of_a_new_version_at_once_if_they_asked(document, community, facilitator, member, mailoutbox):
    ResourceFollow.objects.create(resource=document, user=facilitator)
    subscribe(facilitator, community, followed="immediate")
    dispatch_all()
    mailoutbox.clear()

    services.version_add(
        resource=document,
        file=document.files.get(),
        by=member,
        inspected=inspect_upload(files.upload("v2.pdf", files.pdf("Second edition."))),
        change_note="Second edition",
    )
    dispatch_all()

    sent = mails_to(mailoutbox, facilitator)
    assert [m.subject for m in sent] == [
        f"New version of “{document.files.get().title}” in {document.title} (version 2)"
    ]
    assert "Second edition" in sent[0].body
    assert not mails_to(mailoutbox, member), "the uploader is the actor: no alert"


def test_new_resources_reach_members_as_daily_digest_lines_and_members_only_ones_only_members(
    community, member, facilitator, mailoutbox
):
    reader = make_membership(community, make_user(first_name="Reader")).user
    add_document(community, member, title="Open template")
    add_document(
        community, member, title="Draft restructure", licence=Resource.Licence.MEMBERS_ONLY, data=files.pdf("x")
    )
    dispatch_all()

    daily = set(Alert.objects.filter(user=reader, frequency="daily").values_list("title", flat=True))
    assert f"New in the library: Open template (document, from {member.display_name})" in daily
    assert f"New in the library: Draft restructure (document, from {member.display_name})" in daily
    outsider_alerts = Alert.objects.filter(user__memberships__isnull=True)
    assert not outsider_alerts.exists()

    alerts.send_daily_digests(now=timezone.now() + timedelta(minutes=1))
    digest = mails_to(mailoutbox, reader)[0]
    assert "Open template" in digest.body and "Draft restructure" in digest.body


def test_the_newsletter_has_a_new_in_the_library_section_without_members_only_items(community, member):
    add_document(community, member, title="Benefits map template")
    add_document(community, member, title="Internal only", licence=Resource.Licence.MEMBERS_ONLY, data=files.pdf("y"))
    now = timezone.now()

    sections = {s["key"]: s for s in build_sections(community, now - timedelta(days=30), now + timedelta(minutes=1))}

    assert sections["library"]["title"] == "New in the library"
    assert [item["title"] for item in sections["library"]["items"]] == ["Benefits map template"]


def test_a_flag_tells_the_facilitators_while_it_is_open(document, community, facilitator):
    reporter = make_membership(community, make_user()).user
    services.flag_create(target=document, reporter=reporter, reason="off_topic", note="Not PPM")
    dispatch_all()

    alert = Alert.objects.get(user=facilitator, alert_type=MODERATION)
    assert alert.title == "Something in the library was flagged: Off-topic"
    assert alert.url == reverse("library:moderation_queue", args=[community.slug])


def test_the_demo_library_holds_real_files_a_guide_key_links_and_the_promised_attachment(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", stdout=open(tmp_path / "seed.log", "w"))  # noqa: SIM115

    ppm = Resource.objects.filter(community__slug="ppm-community")
    kinds = {(r.kind, r.title) for r in ppm}
    assert ("template", "One-page benefits profile") in kinds
    assert ("template", "Risk register with scoring and next actions") in kinds
    assert ("presentation", "Preparing for a Gateway 2 review") in kinds
    assert ("document", "Tailoring PRINCE2 for small projects") in kinds
    assert ("guide", "Keeping a risk register alive") in kinds
    assert ppm.filter(kind=Resource.Kind.KEY_LINK).count() == 12
    types = {current_version(r).content_type for r in ppm.filter(kind__in=Resource.FILE_KINDS)}
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= types
    promised = Post.objects.get(body__contains="Attached is our version")
    assert Attachment.objects.get(target_id=promised.pk).file.current_version.name == "One-page benefits profile.docx"
    guide = ppm.get(kind=Resource.Kind.GUIDE)
    assert guide.source_url.endswith(f"/forums/t/{guide.source_id}/")

    call_command("seed_demo", stdout=open(tmp_path / "again.log", "w"))  # noqa: SIM115
    assert Resource.objects.filter(community__slug="ppm-community").count() == ppm.count()

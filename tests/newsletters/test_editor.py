"""The newsletter editor's choices survive: refreshing keeps what was typed and chosen, sending asks first, and a
special edition can join a month that already has its issue."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership, Segment
from newsletters import services, tasks
from newsletters.models import Delivery, Newsletter

from .helpers import local, make_category, messages_of, reply, start_thread, text_of, url

pytestmark = pytest.mark.django_db

# Active 3 before Active 1, Active 2 left out; the unanswered section left out; articles first.
CHOICES = {
    "subject": "March at PPM",
    "intro": "Hello everyone",
    "article": "",
    "s0-keep": "on",
    "s0-pos": "2",
    "s0-i0-keep": "on",
    "s0-i0-pos": "5",
    "s0-i1-pos": "2",
    "s0-i2-keep": "on",
    "s0-i2-pos": "1",
    "s1-pos": "3",
    "s1-i0-keep": "on",
    "s2-keep": "on",
    "s2-pos": "1",
    "s2-i0-keep": "on",
}


class _EditorForm(HTMLParser):
    """What a browser would submit from the editor's draft form, as rendered."""

    def __init__(self):
        super().__init__()
        self.data, self._in_form, self._textarea, self._select = {}, False, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and not a.get("action"):
            self._in_form = True
        if not self._in_form or "name" not in a and tag not in ("option",):
            return
        if tag == "input" and a.get("type") not in ("checkbox", "submit") or tag == "input" and "checked" in a:
            self.data.setdefault(a["name"], []).append(a.get("value", "on"))
        elif tag == "textarea":
            self._textarea = a["name"]
            self.data[a["name"]] = [""]
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = [a.get("value", "")]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def editor_form(client, newsletter, **changes) -> dict:
    parser = _EditorForm()
    parser.feed(client.get(url("edit", newsletter)).content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    data.pop("csrfmiddlewaretoken", None)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def layout_of(newsletter) -> list[tuple[str, list[str]]]:
    newsletter.refresh_from_db()
    return [(s["key"], [i["title"] for i in s["items"]]) for s in newsletter.sections]


def test_refresh_sections_keeps_the_unsaved_introduction_and_the_saved_choices(
    as_facilitator, draft, community, member
):
    # Hand-made items point at threads that do not exist, so none is mistaken for the real one below.
    for section in draft.sections:
        for entry in section["items"]:
            entry["url"] = entry["url"].replace("/t/", "/t/9000")
    draft.save(update_fields=["sections"])
    as_facilitator.post(url("edit", draft), CHOICES)
    fresh = start_thread(make_category(community), member, title="Who runs gateway reviews?")
    reply(fresh, member)

    # The facilitator types a new introduction and, before saving, refreshes the sections.
    data = editor_form(as_facilitator, draft, intro="Hello **everyone**, a busy month!", rebuild="1")
    response = as_facilitator.post(url("edit", draft), data, follow=True)

    sections = layout_of(draft)
    assert sections[:2] == [
        ("articles", ["Playbook"]),
        ("active_threads", ["Active 3", "Active 1", "Who runs gateway reviews?"]),
    ]
    assert "unanswered" not in [key for key, _ in sections]
    assert draft.intro == "Hello **everyone**, a busy month!"
    assert "your introduction, choices and order are kept." in " ".join(messages_of(response))
    html = response.content.decode()
    assert "Hello **everyone**, a busy month!</textarea>" in html
    # What was left out is still on the board, unticked, to tick again later.
    assert '<input type="checkbox" name="s1-i1-keep"> <span>Active 2' in html
    assert '<input type="checkbox" name="s2-keep"> <strong>Questions waiting' in html


def test_an_item_left_out_can_be_ticked_again_later(as_facilitator, draft):
    as_facilitator.post(url("edit", draft), CHOICES)

    as_facilitator.post(url("edit", draft), editor_form(as_facilitator, draft, **{"s1-i1-keep": "on"}))

    assert layout_of(draft) == [("articles", ["Playbook"]), ("active_threads", ["Active 3", "Active 2", "Active 1"])]


def test_refresh_with_a_rejected_form_loses_nothing(as_facilitator, draft):
    data = editor_form(as_facilitator, draft, subject="", intro="Kept", rebuild="1")
    response = as_facilitator.post(url("edit", draft), data)

    assert response.status_code == 200
    assert "This field is required." in text_of(response)
    assert "Kept</textarea>" in response.content.decode()
    assert Newsletter.objects.get(pk=draft.pk).intro == "Hello everyone"


def test_send_now_shows_the_recipients_and_segments_first_and_one_click_sends_nothing(
    as_facilitator, draft, community, member, mailoutbox
):
    finance = Segment.objects.create(community=community, name="finance")
    Membership.objects.get(user=member, community=community).segments.add(finance)
    draft.segments.set([finance])

    one_click = as_facilitator.post(url("action", draft), {"action": "send"})

    assert one_click.status_code == 302 and one_click.url == url("send_confirm", draft)
    assert Newsletter.objects.get(pk=draft.pk).status == Newsletter.Status.DRAFT
    assert not Delivery.objects.exists()
    confirm = text_of(as_facilitator.get(url("send_confirm", draft)))
    assert "Recipients 1 member" in confirm
    assert "Segments finance" in confirm
    assert "Send to 1 member" in confirm
    editor = as_facilitator.get(url("edit", draft)).content.decode()
    assert f'href="{url("send_confirm", draft)}"' in editor
    assert 'value="send"' not in editor

    as_facilitator.post(url("action", draft), {"action": "send", "confirm": "yes"})
    tasks.send_newsletter_batch(draft.pk)
    assert [m.to for m in mailoutbox] == [[member.email]]


def test_a_special_edition_joins_a_month_that_has_its_issue_and_can_be_scheduled(
    as_facilitator, community, member, mailoutbox
):
    prepare = reverse("newsletters:prepare", args=[community.slug])
    as_facilitator.post(prepare)
    response = as_facilitator.post(prepare, {"edition": "special"}, follow=True)

    monthly, special = Newsletter.objects.order_by("pk")
    assert (monthly.period, monthly.edition) == (special.period, Newsletter.Edition.MONTHLY)
    assert special.edition == Newsletter.Edition.SPECIAL
    assert response.redirect_chain[-1][0] == url("edit", special)
    assert "special edition" in special.subject
    assert "Special edition" in text_of(as_facilitator.get(reverse("newsletters:archive", args=[community.slug])))

    tomorrow = timezone.localdate() + timedelta(days=1)
    as_facilitator.post(url("action", special), {"action": "schedule", "when": f"{tomorrow}T10:00"})
    assert Newsletter.objects.get(pk=special.pk).status == Newsletter.Status.SCHEDULED
    with time_machine.travel(local(tomorrow, 10, 5), tick=False):
        assert tasks.dispatch_scheduled() == 1
        tasks.send_newsletter_batch(special.pk)
    assert Newsletter.objects.get(pk=special.pk).status == Newsletter.Status.SENT
    assert Newsletter.objects.get(pk=monthly.pk).status == Newsletter.Status.DRAFT


def test_a_special_edition_does_not_stand_in_for_the_monthly_issue(community):
    services.newsletter_prepare(community=community, special=True)

    assert tasks.prepare_due_newsletters() == 1
    assert sorted(Newsletter.objects.values_list("edition", flat=True)) == ["monthly", "special"]
    _, created = services.newsletter_prepare(community=community)
    assert not created


def test_the_segments_choice_is_a_named_group_not_an_empty_label(as_facilitator, draft, community):
    Segment.objects.create(community=community, name="finance")

    html = as_facilitator.get(url("edit", draft)).content.decode()

    assert 'for=""' not in html
    assert re.search(r"<fieldset[^>]*>\s*<legend>Segments</legend>", html)
    assert re.search(r'<label for="id_segments_0"><input type="checkbox" name="segments"[^>]*> finance</label>', html)

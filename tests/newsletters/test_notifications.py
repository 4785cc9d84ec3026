"""The bell and the notifications page: the alert machinery's notices on the site, grouped per page, marked read,
never a second email, nothing the member can no longer see, and a fixed number of queries whatever the count."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from communities.models import ActivityEvent, Membership
from conversations import services as conversations
from newsletters.alerts import send_daily_digests
from newsletters.models import Alert, Frequency, Subscription, group_key_for

from ..factories import make_membership, make_user
from ..helpers import login, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(community):
    return make_membership(community, make_user(first_name="Maya")).user


def _send(sender, recipient, community, capture, body="Hello", conversation=None):
    with capture(execute=True):
        if conversation is None:
            return conversations.start_conversation(
                sender=sender, recipients=[recipient], community=community, body=body
            )
        conversations.message_post(conversation=conversation, author=sender, body=body)
        return conversation


def _alerts(user, community, count: int, groups: int = 1):
    event = ActivityEvent.objects.create(community=community, verb="message_sent")
    events = ActivityEvent.objects.bulk_create(
        [ActivityEvent(community=community, verb="message_sent") for _ in range(count)]
    )
    Alert.objects.bulk_create(
        [
            Alert(
                user=user,
                event=e,
                community=community,
                alert_type="messages",
                frequency=Frequency.DAILY,
                title=f"Notice {i}",
                url=f"/messages/{i % groups + 1}/#message-{i}",
                group_key=group_key_for(f"/messages/{i % groups + 1}/"),
            )
            for i, e in enumerate(events)
        ]
    )
    return event


def test_the_bell_shows_the_unread_count_on_every_page(as_member, member, other, community):
    assert "Notifications" in text_of(as_member.get("/"))
    _alerts(member, community, 3)
    for url in ("/", reverse("conversations:conversation_list"), community.get_absolute_url()):
        page = as_member.get(url).content.decode()
        assert '<span class="badge">3<span class="visually-hidden"> unread</span></span>' in page, url


@pytest.mark.parametrize("count", [0, 5, 500])
def test_the_bell_costs_the_same_queries_whatever_the_count(count, member, community, django_assert_num_queries):
    if count:
        _alerts(member, community, count, groups=7)
    client = login(member)
    client.get("/messages/")  # warm the session
    with django_assert_num_queries(4):  # session, user with its bell count, memberships, conversations
        page = client.get("/messages/").content.decode()
    if count:
        label = "99+" if count > 99 else str(count)
        assert f'<span class="badge">{label}<span' in page
    else:
        assert 'visually-hidden"> unread' not in page


@pytest.mark.parametrize("count", [5, 500])
def test_the_notifications_page_costs_six_queries(count, member, community, django_assert_max_num_queries):
    _alerts(member, community, count, groups=40)
    client = login(member)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("newsletters:notifications"))
    assert response.status_code == 200
    assert response.content.decode().count('<li class="notification') == min(count, 25)


def test_notices_group_per_page_newest_first(member, other, community, django_capture_on_commit_callbacks):
    first = _send(other, member, community, django_capture_on_commit_callbacks, body="One")
    _send(other, member, community, django_capture_on_commit_callbacks, body="Two", conversation=first)
    _send(other, member, community, django_capture_on_commit_callbacks, body="Three", conversation=first)
    third = make_membership(community, make_user(first_name="Zed")).user
    _send(third, member, community, django_capture_on_commit_callbacks, body="Separate")
    page = text_of(login(member).get(reverse("newsletters:notifications")))
    assert page.count("sent you a message") == 2
    assert "3 new updates" in page
    assert page.index("Zed") < page.index("3 new updates")  # newest group first


def test_opening_marks_the_group_read_and_goes_to_the_exact_place(
    member, other, community, django_capture_on_commit_callbacks
):
    conversation = _send(other, member, community, django_capture_on_commit_callbacks)
    _send(other, member, community, django_capture_on_commit_callbacks, body="Again", conversation=conversation)
    client = login(member)
    alert = Alert.objects.filter(user=member).latest("pk")
    response = client.get(reverse("newsletters:notification_open", args=[alert.pk]))
    assert response.status_code == 302
    assert response.url == conversation.messages.latest("pk").get_absolute_url()
    assert not Alert.objects.filter(user=member, read_at__isnull=True).exists()


def test_mark_one_and_mark_all(member, community):
    _alerts(member, community, 6, groups=3)
    client = login(member)
    one = Alert.objects.filter(user=member).first()
    client.post(reverse("newsletters:notification_read", args=[one.pk]))
    assert Alert.objects.filter(user=member, read_at__isnull=True).count() == 4
    client.post(reverse("newsletters:notifications_read_all"))
    assert not Alert.objects.filter(user=member, read_at__isnull=True).exists()


def test_nobody_reads_or_marks_someone_elses_notices(member, other, community):
    _alerts(member, community, 2)
    alert = Alert.objects.filter(user=member).first()
    client = login(other)
    assert client.get(reverse("newsletters:notification_open", args=[alert.pk])).status_code == 404
    assert client.post(reverse("newsletters:notification_read", args=[alert.pk])).status_code == 404
    assert "Notice" not in text_of(client.get(reverse("newsletters:notifications")))
    assert Alert.objects.filter(read_at__isnull=True).count() == 2
    assert login(other).get(f"/notifications/{2**64}/").status_code == 404


def test_one_notice_is_at_most_one_email(member, other, community, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=member, community=community, alerts={"messages": "immediate"})
    _send(other, member, community, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_a_notice_read_on_the_site_is_not_in_the_digest(member, other, community, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=member, community=community, alerts={"messages": "daily"})
    _send(other, member, community, django_capture_on_commit_callbacks)
    alert = Alert.objects.get(user=member)
    login(member).get(reverse("newsletters:notification_open", args=[alert.pk]))
    assert send_daily_digests() == 0
    assert not mail.outbox


def test_no_notice_about_what_the_member_can_no_longer_see(
    member, other, community, django_capture_on_commit_callbacks
):
    conversation = _send(other, member, community, django_capture_on_commit_callbacks)
    conversations.conversation_leave(conversation=conversation, user=member)
    alert = Alert.objects.get(user=member)
    client = login(member)
    response = client.get(reverse("newsletters:notification_open", args=[alert.pk]))
    assert response.status_code == 410
    assert "Hello" not in text_of(response)
    # After leaving the community, its notices leave the page and the bell.
    Membership.objects.filter(user=member, community=community).update(status=Membership.Status.LEFT)
    Alert.objects.filter(pk=alert.pk).update(read_at=None)
    page = client.get(reverse("newsletters:notifications")).content.decode()
    assert "sent you a message" not in page
    assert 'visually-hidden"> unread' not in page


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("newsletters:notifications"))
    assert response.status_code == 302
    assert "Notifications" not in text_of(client.get("/"))
    assert timezone.now()

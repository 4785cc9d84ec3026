"""Staff inspect every app in the admin; each changelist runs the same number of queries for 5 or 50 rows."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities import activity, moderation
from communities.models import Flag, ModerationAction, OutboundEmail
from forums.models import Category, Post, Reaction, Thread
from hotseats.models import Answer, Expert, HotSeat, Question
from newsletters.models import Alert, Delivery, MailSettings, Newsletter, Subscription

from ..factories import make_membership, make_user
from ..helpers import login

pytestmark = pytest.mark.django_db

MODELS = [
    Category,
    Thread,
    Post,
    Reaction,
    HotSeat,
    Question,
    Answer,
    Newsletter,
    Delivery,
    Alert,
    Subscription,
    MailSettings,
    Flag,
    ModerationAction,
    OutboundEmail,
]


def grow(community, start: int, n: int) -> None:
    """n more rows of every model, each with its own people, so a list that fetched per row would show it."""
    now = timezone.now()
    for i in range(start, start + n):
        user = make_membership(community, make_user(first_name=f"Staffed{i}")).user
        category = Category.objects.create(community=community, name=f"Category {i}", slug=f"category-{i}")
        thread = Thread.objects.create(community=community, category=category, title=f"Thread {i}", author=user)
        post = Post.objects.create(thread=thread, author=user, body=f"Body {i}", body_html=f"<p>Body {i}</p>")
        Reaction.objects.create(post=post, user=make_user(), kind=Reaction.Kind.THANKS)
        hotseat = HotSeat.objects.create(
            community=community,
            title=f"Hot seat {i}",
            topic="t",
            topic_html="t",
            opens_at=now + timedelta(days=i),
            closes_at=now + timedelta(days=i + 1),
            created_by=user,
        )
        Expert.objects.create(hotseat=hotseat, user=user, accepted_at=now)
        question = Question.objects.create(hotseat=hotseat, asker=user, body="q", body_html="q")
        Answer.objects.create(question=question, expert=user, body="a", body_html="a")
        newsletter = Newsletter.objects.create(
            community=community, period=(now + timedelta(days=31 * i)).date().replace(day=1), subject=f"Issue {i}"
        )
        Delivery.objects.create(newsletter=newsletter, recipient=user, email=user.email)
        event = activity.record(community=community, actor=user, verb="joined", target=community)
        Alert.objects.create(
            user=user, event=event, community=community, alert_type="followed", frequency="daily", title="t", url="/"
        )
        Subscription.objects.create(user=user, community=community, alerts={"followed": "off"})
        MailSettings.objects.create(user=user)
        Flag.objects.create(community=community, target=post, reporter=make_user(), reason=Flag.Reason.SPAM)
        moderation.log(community=community, moderator=user, action="hide", target=post, target_user=make_user())
        OutboundEmail.objects.create(to=user.email, subject=f"Mail {i}", text="Hello")


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_changelist_runs_the_same_queries_for_5_or_50_rows(community):
    client = login(make_user(is_staff=True, is_superuser=True))

    def measure() -> dict[str, int]:
        counts = {}
        for model in MODELS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(changelist(model)).status_code == 200, model
            counts[model._meta.label] = len(queries)
        return counts

    grow(community, 0, 5)
    small = measure()
    grow(community, 5, 45)
    large = measure()

    assert large == small
    assert max(small.values()) <= 12, small
    assert all(model in admin.site._registry for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}")
def test_each_change_page_opens_for_staff(model, community):
    grow(community, 0, 1)
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])

    assert login(make_user(is_staff=True, is_superuser=True)).get(url).status_code == 200

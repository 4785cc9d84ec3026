"""A poll inside a forum thread, through the registry: shown in the thread, voted on there, as readable as its
thread, added with the thread's "Add a poll" action; and the thread page's query count does not grow with votes."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Membership
from forums import services as forum_services
from forums.models import Category, Thread
from polls import services
from polls.models import Ballot, Poll

from ..conftest import login
from ..factories import make_community, make_membership, make_user
from .conftest import CHOICES, choice_id, text_of, vote
from .test_query_budgets import fill_poll, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(community, other):
    """A discussion started by `other`, an ordinary member."""
    category = Category.objects.create(community=community, name="Benefits", slug="benefits")
    return forum_services.thread_create(
        category=category,
        author=other,
        kind=Thread.Kind.DISCUSSION,
        title="Which method do you use for benefits tracking?",
        body="Tell us in the poll below.",
    )


@pytest.fixture
def thread_poll(thread, facilitator):
    def make(**kw):
        return services.poll_create(
            community=thread.community, by=facilitator, question="Which method?", choices=CHOICES, host=thread, **kw
        )

    return make


def add_poll_url(thread) -> str:
    return f"{reverse('polls:poll_create', args=[thread.community.slug])}?thread={thread.pk}"


POLL_FORM = {"question": "Which tool?", "choices": "Excel\nA PPM tool", "kind": "single", "results": "always"}


def test_the_thread_shows_its_poll_and_a_member_votes_from_the_thread(thread, thread_poll, as_member, member):
    poll = thread_poll()

    page = as_member.get(thread.get_absolute_url())
    assert "Which method?" in text_of(page)
    assert f'id="poll-{poll.pk}"' in page.content.decode()

    response = as_member.post(
        reverse("polls:poll_vote", args=[thread.community.slug, poll.pk]),
        {"choice": choice_id(poll, "PPM tool"), "next": thread.get_absolute_url()},
    )

    assert response.status_code == 302
    assert response.url == f"{thread.get_absolute_url()}#poll-{poll.pk}"
    assert Ballot.objects.get(poll=poll).user == member
    assert "PPM tool (your choice) 1 vote, 100%" in text_of(as_member.get(thread.get_absolute_url()))


def test_a_thread_without_a_poll_shows_no_poll(thread, as_member):
    assert "poll-box" not in as_member.get(thread.get_absolute_url()).content.decode()


def test_a_poll_in_a_hidden_thread_is_hidden_too_and_takes_no_votes(thread, thread_poll, as_member, as_facilitator):
    poll = thread_poll()
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)

    assert as_member.get(poll.get_absolute_url()).status_code == 404
    vote_url = reverse("polls:poll_vote", args=[thread.community.slug, poll.pk])
    assert as_member.post(vote_url, {"choice": choice_id(poll, "PPM tool")}).status_code == 404
    assert as_facilitator.get(poll.get_absolute_url()).status_code == 200  # moderators still see hidden threads
    assert not Ballot.objects.exists()


def test_a_poll_in_a_closed_thread_takes_no_votes(thread, thread_poll, as_member):
    poll = thread_poll()
    Thread.objects.filter(pk=thread.pk).update(is_closed=True)

    response = as_member.post(
        reverse("polls:poll_vote", args=[thread.community.slug, poll.pk]), {"choice": choice_id(poll, "PPM tool")}
    )

    assert response.status_code == 400
    assert not Ballot.objects.exists()


def test_the_poll_page_links_back_to_its_thread(thread, thread_poll, as_member):
    poll = thread_poll()

    page = as_member.get(poll.get_absolute_url()).content.decode()

    assert f'Part of the thread <a href="{thread.get_absolute_url()}">' in page


@pytest.mark.parametrize(
    "persona,offered", [("other", True), ("facilitator", True), ("member", False), ("outsider", False)]
)
def test_the_thread_starter_and_facilitators_are_offered_add_a_poll(persona, offered, thread, client_as):
    page = client_as(persona).get(thread.get_absolute_url()).content.decode()

    assert (add_poll_url(thread).replace("&", "&amp;") in page) is offered


def test_the_thread_starter_adds_a_poll_to_their_thread(thread, other):
    client = login(other)

    assert client.get(add_poll_url(thread)).status_code == 200
    response = client.post(add_poll_url(thread), POLL_FORM)

    poll = Poll.objects.get()
    assert response.status_code == 302 and response.url == f"{thread.get_absolute_url()}#poll-{poll.pk}"
    assert poll.host == thread and poll.created_by == other
    assert poll.voter_count == 0 and not poll.public_voters
    # One poll per thread: the action is no longer offered, and a second try is refused.
    assert add_poll_url(thread) not in client.get(thread.get_absolute_url()).content.decode()
    assert client.post(add_poll_url(thread), POLL_FORM).status_code == 403
    assert Poll.objects.count() == 1


def test_a_second_poll_on_one_thread_is_refused_by_the_database(thread, thread_poll):
    first = thread_poll()

    with pytest.raises(IntegrityError), transaction.atomic():
        Poll.objects.create(
            community=first.community, question="Again?", host_type=first.host_type, host_id=first.host_id
        )


@pytest.mark.parametrize("persona", ["member", "outsider", "banned"])
def test_others_cannot_add_a_poll_to_someone_elses_thread(persona, thread, client_as):
    client = client_as(persona)

    assert client.get(add_poll_url(thread)).status_code == 403
    assert client.post(add_poll_url(thread), POLL_FORM).status_code == 403
    assert not Poll.objects.exists()


def test_a_thread_of_another_community_or_a_missing_one_is_not_found(thread, facilitator, as_facilitator):
    elsewhere = make_community(name="Elsewhere", slug="elsewhere")
    make_membership(elsewhere, facilitator, role=Membership.Role.FACILITATOR)
    wrong_community = f"{reverse('polls:poll_create', args=[elsewhere.slug])}?thread={thread.pk}"
    missing = f"{reverse('polls:poll_create', args=[thread.community.slug])}?thread=999999"

    assert as_facilitator.get(wrong_community).status_code == 404
    assert as_facilitator.get(missing).status_code == 404
    assert as_facilitator.get(f"{missing[:-6]}abc").status_code == 404


def test_the_thread_starter_edits_but_cannot_close_their_poll(thread, other):
    client = login(other)
    client.post(add_poll_url(thread), POLL_FORM)
    poll = Poll.objects.get()

    assert client.get(reverse("polls:poll_edit", args=[thread.community.slug, poll.pk])).status_code == 200
    assert client.post(reverse("polls:poll_close", args=[thread.community.slug, poll.pk])).status_code == 403
    assert client.get(reverse("polls:poll_export", args=[thread.community.slug, poll.pk])).status_code == 403


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context.captured_queries)


def test_the_thread_page_costs_the_same_with_5_and_500_votes(community, facilitator, member, other):
    category = Category.objects.create(community=community, name="Polls", slug="polls")
    counts = {}
    for size in (5, 500):
        thread = forum_services.thread_create(
            category=category, author=other, kind=Thread.Kind.DISCUSSION, title=f"Thread {size}", body="Vote!"
        )
        poll = services.poll_create(
            community=community, by=facilitator, question="Which?", choices=CHOICES, host=thread, public_voters=True
        )
        fill_poll(poll, people(community, size))
        vote(poll, member, "Spreadsheet")
        path = thread.get_absolute_url()
        counts[size] = (count_queries(login(make_user()), path), count_queries(login(member), path))

    assert counts[5] == counts[500]

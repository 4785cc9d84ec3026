"""The world the access matrix is driven against: for each community kind (public, private, hidden) a community
with one of every object a URL can name, and the fixed cast of personas who stand in the same relation to each.

Every object carries a marker text (`World.marker(kind, name)`): an answer that lets a persona in must show the
marker of the object it names; an answer that refuses must show no marker of that community at all.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from communities import services as community_services
from communities.models import Community, Invitation, Membership
from forums import services as forum_services
from forums.models import Category, Thread
from hotseats import services as hotseat_services
from hotseats.models import CalendarFeed, Expert
from jobs import services as job_services
from jobs.models import Posting
from library import services as library_services
from library.inspection import inspect_upload
from library.models import Resource, ResourceVersion
from newsletters import tokens
from newsletters.models import Delivery, Newsletter
from polls import services as poll_services
from polls.models import Question as SurveyQuestion

from ..factories import make_membership, make_user
from ..library import files

KINDS = ("public", "private", "hidden")
PERSONAS = (
    "anonymous",
    "outsider",
    "applicant",
    "invitee",
    "member",
    "facilitator",
    "owner",
    "banned",
    "departed",
    "staff",
)


@dataclass
class Place:
    """One community of a kind and its objects (attribute access: place.thread, place.poll...)."""

    kind: str
    objects: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    def add(self, name, obj, marker=None):
        self.objects[name] = obj
        if marker:
            self.markers[name] = marker
        return obj


@dataclass
class World:
    people: dict
    places: dict

    def marker(self, kind, name):
        return self.places[kind].markers[name]

    def all_markers(self, kind):
        return set(self.places[kind].markers.values())


def mark(kind: str, name: str) -> str:
    # Letters only, so no slug, id or path can contain it by accident.
    return f"Zq{kind.title()}{name.title().replace('_', '')}Marker"


def build_world() -> World:
    people = {
        "outsider": make_user(first_name="Olly", last_name="Outsider", email="outsider@example.org"),
        "applicant": make_user(first_name="Abe", last_name="Applicant", email="applicant@example.org"),
        "invitee": make_user(first_name="Ivy", last_name="Invitee", email="invitee@example.org"),
        "member": make_user(first_name="Tom", last_name="Member", email="member@example.org"),
        "facilitator": make_user(first_name="Priya", last_name="Facilitator", email="facilitator@example.org"),
        "owner": make_user(first_name="Olivia", last_name="Owner", email="owner@example.org"),
        "banned": make_user(first_name="Bram", last_name="Banned", email="banned@example.org"),
        "departed": make_user(first_name="Lee", last_name="Departed", email="departed@example.org"),
        "staff": make_user(first_name="Alex", last_name="Staff", email="staff@example.org", is_staff=True),
    }
    places = {kind: _build_place(kind, people) for kind in KINDS}
    return World(people=people, places=places)


def _build_place(kind: str, people: dict) -> Place:
    # Fresh user objects: permission checks cache a user's memberships on the instance.
    people = {persona: type(user).objects.get(pk=user.pk) for persona, user in people.items()}
    place = Place(kind=kind)
    now = timezone.now()
    m = lambda name: mark(kind, name)  # noqa: E731
    community = place.add(
        "community",
        Community.objects.create(
            name=f"{m('community')} network",
            slug=f"{kind}-cop",
            description="Project people learning together.",
            visibility=kind,
            join_policy=Community.JoinPolicy.APPROVAL,
        ),
        m("community"),
    )
    role, status = Membership.Role, Membership.Status
    make_membership(community, people["owner"], role=role.OWNER)
    make_membership(community, people["facilitator"], role=role.FACILITATOR)
    place.add("membership", make_membership(community, people["member"]))
    place.add("pending", make_membership(community, people["applicant"], status=status.PENDING, joined_at=None))
    make_membership(community, people["banned"], status=status.BANNED)
    make_membership(community, people["departed"], status=status.LEFT)
    place.add(
        "invitation",
        Invitation.objects.create(
            community=community,
            email=people["invitee"].email,
            invited_by=people["owner"],
            expires_at=now + timedelta(days=14),
        ),
    )
    people = {persona: type(user).objects.get(pk=user.pk) for persona, user in people.items()}
    facilitator, member = people["facilitator"], people["member"]
    place.add(
        "theme",
        community_services.theme_save(
            community=community,
            by=facilitator,
            title=m("theme"),
            slug="benefits",
            starts_on=now.date(),
            ends_on=(now + timedelta(days=30)).date(),
        ),
        m("theme"),
    )
    # Forums
    category = place.add(
        "category", Category.objects.create(community=community, name=m("category"), slug="questions"), m("category")
    )
    thread = place.add(
        "thread",
        forum_services.thread_create(
            category=category,
            author=member,
            kind=Thread.Kind.QUESTION,
            title=m("thread"),
            body="We have our first gateway review next month. Any tips?",
            tags=["assurance"],
        ),
        m("thread"),
    )
    place.add("opening", thread.posts.order_by("pk").first())
    place.add(
        "post",
        forum_services.post_reply(thread=thread, author=people["facilitator"], body=f"{m('post')} is our advice."),
        m("post"),
    )
    place.add("tag", "assurance")
    # Hot seats
    hotseat = place.add(
        "hotseat",
        hotseat_services.hotseat_create(
            community=community,
            by=facilitator,
            title=m("hotseat"),
            topic="Ask anything about gateway reviews.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=4),
            experts=[],
            guest_emails=["guest@example.org"],
        ),
        m("hotseat"),
    )
    place.add(
        "question",
        hotseat_services.question_ask(hotseat=hotseat, asker=member, body=f"{m('question')}?"),
        m("question"),
    )
    place.add("expert", Expert.objects.get(hotseat=hotseat, is_guest=True))
    place.add("calendar", CalendarFeed.objects.create(user=member, community=community))
    # Library
    document = place.add(
        "document",
        library_services.resource_create(
            community=community,
            author=member,
            kind=Resource.Kind.DOCUMENT,
            title=m("document"),
            inspected=inspect_upload(files.upload("guide.pdf", files.pdf("Schedule risk analysis."))),
        ),
        m("document"),
    )
    version = ResourceVersion.objects.filter(file__resource=document).order_by("-number").first()
    place.add("file", version.file)
    place.add("version", version)
    guide = place.add(
        "guide",
        library_services.resource_create(
            community=community, author=member, kind=Resource.Kind.GUIDE, title=m("guide"), body="How we do it."
        ),
        m("guide"),
    )
    library_services.guide_edit(resource=guide, editor=member, title=m("guide"), body="How we really do it.")
    place.add(
        "comment",
        library_services.comment_create(resource=guide, author=member, body=f"{m('comment')} helped."),
        m("comment"),
    )
    # Polls and surveys
    poll = place.add(
        "poll",
        poll_services.poll_create(community=community, by=facilitator, question=m("poll"), choices=["Yes", "No"]),
        m("poll"),
    )
    place.add("choice", poll.choices.order_by("pk").first())
    survey = place.add(
        "survey", poll_services.survey_create(community=community, by=facilitator, title=m("survey")), m("survey")
    )
    section = place.add("section", survey.sections.get())
    place.add(
        "survey_question",
        poll_services.question_save(
            survey=survey,
            by=facilitator,
            section=section,
            kind=SurveyQuestion.Kind.TEXT,
            text="What helps?",
            required=False,
        ),
    )
    poll_services.survey_publish(survey=survey, by=facilitator)
    # Newsletters: a sent issue with a delivery to the member (the email links' tokens)
    newsletter = place.add(
        "newsletter",
        Newsletter.objects.create(
            community=community,
            period=now.date().replace(day=1),
            subject=m("newsletter"),
            intro="Hello everyone",
            intro_html="<p>Hello everyone</p>",
            sections=[],
            status=Newsletter.Status.SENT,
            sent_at=now,
        ),
        m("newsletter"),
    )
    delivery = place.add(
        "delivery",
        Delivery.objects.create(
            newsletter=newsletter, recipient=member, email=member.email, status=Delivery.Status.SENT, sent_at=now
        ),
    )
    place.add("unsubscribe_token", tokens.make(delivery.pk, tokens.UNSUBSCRIBE))
    place.add("track_token", tokens.make(delivery.pk, tokens.TRACK))
    place.add("preferences_token", tokens.make(member.pk, tokens.PREFERENCES))
    # Jobs: a live posting by the member
    posting = job_services.posting_create(
        community=community,
        author=member,
        title=m("posting"),
        employer="Leeds City Council",
        closes_on=(now + timedelta(days=30)).date(),
        apply_url="https://jobs.example.org/pmo",
        description="Run the portfolio office.",
    )
    if posting.status == Posting.Status.PENDING:
        job_services._go_live(posting, now=now)  # as a facilitator's approval would
    place.add("posting", posting, m("posting"))
    return place

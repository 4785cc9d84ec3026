"""A hand-built community whose figures are known, day by day (see the expected values in the tests).

D is today; everything happens in the three days before it:

    D-3 09:00 Ben (newcomer) asks T1 [risk] in Questions        11:00 Eve replies (2 h)   12:00 Ann marks it helpful
    D-2 08:00 Ann asks T2 [benefits, risk]   10:00 Cat (newcomer) asks T3 [benefits]   11:00 Cat asks T4 [procurement]
    D-1 09:00 Dan votes in a poll   14:00 Eve replies to T2 (30 h)   15:00 Eve's answer to T2 is accepted
    visits: Dan D-3, D-2, D-1; Ann D-3; Cat D-2
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from communities import activity
from communities.models import ActivityEvent, CommunityVisit, Membership
from forums.activity import Verb as ForumVerb
from polls.activity import Verb as PollVerb
from tests.factories import make_community, make_membership, make_user


def at(days_ago: int, hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@dataclass
class Hand:
    community: object
    facilitator: object
    ann: object
    ben: object
    cat: object
    dan: object
    eve: object


def _event(community, actor, verb, when, **data):
    event = activity.record(community=community, actor=actor, verb=verb, **data)
    ActivityEvent.objects.filter(pk=event.pk).update(created_at=when)


def build(community=None) -> Hand:
    community = community or make_community(name="Hand-built", slug="hand")
    people = {}
    joined = {"ann": 40, "ben": 10, "cat": 5, "dan": 60, "eve": 100, "facilitator": 200}
    welcome = {"ann": "personal", "ben": "automatic"}
    for name, days in joined.items():
        user = make_user(first_name=name.title(), email=f"{name}@hand.example.org")
        role = Membership.Role.FACILITATOR if name == "facilitator" else Membership.Role.MEMBER
        make_membership(
            community,
            user,
            role=role,
            joined_at=at(days, 8),
            welcomed_at=at(days - 1, 8) if name in welcome else None,
            welcome_method=welcome.get(name, ""),
        )
        people[name] = user
    ann, ben, cat, dan, eve = (people[n] for n in ("ann", "ben", "cat", "dan", "eve"))
    q = {"category": "Questions", "question": True}
    _event(community, ben, ForumVerb.THREAD_STARTED, at(3, 9), topic="t:1", tags=["risk"], **q)
    _event(community, eve, ForumVerb.POST_REPLIED, at(3, 11), topic="t:1")
    _event(community, ann, ForumVerb.POST_REACTED, at(3, 12), topic="t:1", credit="helpful", credit_to=eve.pk)
    _event(community, ann, ForumVerb.THREAD_STARTED, at(2, 8), topic="t:2", tags=["benefits", "risk"], **q)
    _event(community, cat, ForumVerb.THREAD_STARTED, at(2, 10), topic="t:3", tags=["benefits"], **q)
    _event(community, cat, ForumVerb.THREAD_STARTED, at(2, 11), topic="t:4", tags=["procurement"], **q)
    _event(community, dan, PollVerb.POLL_VOTED, at(1, 9))
    _event(community, eve, ForumVerb.POST_REPLIED, at(1, 14), topic="t:2")
    _event(community, eve, ForumVerb.ANSWER_ACCEPTED, at(1, 15), topic="t:2")
    today = timezone.localdate()
    for user, days in ((dan, 3), (dan, 2), (dan, 1), (ann, 3), (cat, 2)):
        CommunityVisit.objects.create(community=community, user=user, day=today - timedelta(days=days))
    return Hand(community=community, facilitator=people["facilitator"], ann=ann, ben=ben, cat=cat, dan=dan, eve=eve)

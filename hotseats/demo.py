"""Demo hot seats for `manage.py seed_demo`: a past one with its transcript, a live one and an upcoming one."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from communities.models import ActivityEvent, Theme
from communities.search import refresh_vectors

from . import services
from .models import Answer, HotSeat, Question

PAST_QA = [
    (
        27,
        "How early should benefits owners be named — at the strategic outline case, or later?",
        "As early as the strategic outline case. If nobody will own a benefit at SOC stage, ask whether it is real.",
    ),
    (
        16,
        "What do you do when the SRO changes halfway through a programme?",
        "Re-baseline the benefits with the new SRO within a month. Walk the benefits map together; it becomes theirs.",
    ),
    (
        8,
        "Any tips on measuring non-cashable benefits such as staff time released?",
        "Measure what the time is used for instead. Time 'released' that is not redeployed is not a benefit yet.",
    ),
    (
        40,
        "How do you stop double counting between projects in a portfolio?",
        "Keep one benefits register for the portfolio and give each benefit a single owning project.",
    ),
]
LIVE_QA = [
    (
        3,
        "What does a good Gateway 0 look like for a small council programme?",
        "Proportionate: a half-day review with two reviewers is fine for a small programme. Focus on the business "
        "need and whether the programme is achievable at all.",
    ),
    (37, "How should a junior PM prepare to be interviewed by a review team?", None),
    (11, "Is it worth commissioning an independent assurance review for a £2m capital project?", None),
    (24, "How do assurance reviews work alongside internal audit without duplication?", None),
]


def seed(cast: dict) -> None:
    """Add a theme and three hot seats to the PPM community, once."""
    ppm, facilitator, people, now = cast["ppm"], cast["facilitator"], cast["people"], cast["now"]
    if HotSeat.objects.filter(community=ppm).exists():
        return
    today = now.date()
    theme, _ = Theme.objects.get_or_create(
        community=ppm,
        slug="benefits-realisation",
        defaults={
            "title": "Benefits realisation",
            "starts_on": today.replace(day=1),
            "ends_on": _month_end(today),
            "tags": "benefits realisation, assurance",
            "description": "This month we focus on how we identify, own and realise benefits, and how "
            "assurance helps keep them honest.",
            "created_by": facilitator,
        },
    )
    Theme.objects.get_or_create(
        community=ppm,
        slug="portfolio-prioritisation",
        defaults={
            "title": "Portfolio prioritisation",
            "starts_on": _month_end(today) + timedelta(days=1),
            "ends_on": _month_end(_month_end(today) + timedelta(days=1)),
            "tags": "portfolio management, PMO",
            "created_by": facilitator,
        },
    )
    past = _hotseat(
        ppm,
        facilitator,
        [people[30]],
        "Benefits realisation with Amelia Wright",
        "Amelia leads benefits realisation at Sheffield City Council. Ask her anything about benefits "
        "maps, owners, measures and keeping benefits alive after go-live.",
        now - timedelta(days=20),
        theme,
        "benefits realisation",
    )
    _transcript(past, people, PAST_QA, now - timedelta(days=20))
    services.summary_write(
        hotseat=past,
        by=facilitator,
        summary="**Key points from Amelia's hot seat**\n\n- Name benefit owners at strategic outline case stage\n"
        "- Re-baseline benefits with every new SRO\n- Time released only counts once it is redeployed\n"
        "- One portfolio benefits register stops double counting",
    )
    live = _hotseat(
        ppm,
        facilitator,
        [people[22], people[7]],
        "Assurance and gateway reviews",
        "Rebecca (Infrastructure and Projects Authority) and Mark (Ministry of Justice) take your "
        "questions on gateway reviews, assurance plans and preparing for a review.",
        now - timedelta(days=1),
        theme,
        "assurance, gateway reviews",
    )
    _transcript(live, people, LIVE_QA, now - timedelta(days=1))
    _hotseat(
        ppm,
        facilitator,
        [people[14]],
        "Portfolio prioritisation in practice",
        "Sophie (Home Office) on scoring models, saying no, and getting leaders to agree what comes first.",
        now + timedelta(days=9),
        None,
        "portfolio management, prioritisation",
    )
    refresh_vectors()


def _month_end(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def _hotseat(community, facilitator, experts, title, topic, opens_at, theme, tags):
    hotseat = services.hotseat_create(
        community=community,
        by=facilitator,
        title=title,
        topic=topic,
        opens_at=opens_at,
        closes_at=opens_at + timedelta(days=5),
        theme=theme,
        tags=tags,
        experts=experts,
    )
    return hotseat


def _transcript(hotseat, people, qa, opened):
    """Questions, votes and answers as if asked over the first days (written directly: the clock has moved on)."""
    expert = hotseat.experts.first().user
    voters = people[:12]
    for index, (asker, text, answer) in enumerate(qa):
        asked = opened + timedelta(hours=2 + 5 * index)
        question = Question.objects.create(
            hotseat=hotseat, asker=people[asker], body=text, body_html=f"<p>{text}</p>", created_at=asked
        )
        for voter in voters[: 10 - 2 * index]:
            if voter.pk != question.asker_id:
                question.votes.create(user=voter)
        question.vote_count = question.votes.count()
        if answer:
            Answer.objects.create(
                question=question,
                expert=expert,
                body=answer,
                body_html=f"<p>{answer}</p>",
                created_at=asked + timedelta(hours=3),
            )
            question.answer_count = 1
        question.save()
    HotSeat.objects.filter(pk=hotseat.pk).update(
        question_count=len(qa), answered_count=sum(1 for *_, a in qa if a), opening_announced_at=opened
    )
    ActivityEvent.objects.filter(target_type=ContentType.objects.get_for_model(HotSeat), target_id=hotseat.pk).update(
        created_at=opened - timedelta(days=7)
    )
    hotseat.refresh_from_db()
    services.index_hotseat(hotseat)

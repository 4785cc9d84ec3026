"""Demo jobs for `manage.py seed_demo`: a dozen realistic postings in the PPM community from councils, the NHS,
fire and rescue and central government; two closed, one waiting for approval; a saved search for the demo member."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import JobSearch, Posting

P, C = Posting.Pattern, Posting.Contract

POSTINGS = [
    # title, employer, location, pattern, contract, salary text, min, max, days open, tags, state
    (
        "PMO manager",
        "Leeds City Council",
        "Leeds",
        P.HYBRID,
        C.PERMANENT,
        "£52,805 to £56,921",
        52805,
        56921,
        28,
        ["PMO", "P3O", "portfolio management"],
        "live",
    ),
    (
        "Programme manager, digital transformation",
        "NHS England",
        "Leeds",
        P.HYBRID,
        C.FIXED_TERM,
        "Agenda for Change band 8b: £62,215 to £72,293",
        62215,
        72293,
        21,
        ["MSP", "agile", "digital"],
        "live",
    ),
    (
        "Benefits realisation lead",
        "HM Revenue and Customs",
        "Manchester",
        P.HYBRID,
        C.PERMANENT,
        "£55,000 to £62,000 (Grade 7)",
        55000,
        62000,
        35,
        ["benefits realisation", "MSP", "business case"],
        "live",
    ),
    (
        "Portfolio analyst",
        "West Yorkshire Fire and Rescue Service",
        "Birkenshaw",
        P.ON_SITE,
        C.PERMANENT,
        "£35,745 to £38,223",
        35745,
        38223,
        14,
        ["portfolio management", "reporting", "Power BI"],
        "live",
    ),
    (
        "Interim assurance lead",
        "Ministry of Justice",
        "",
        P.REMOTE,
        C.INTERIM,
        "£650 a day, outside IR35",
        None,
        None,
        10,
        ["assurance", "gateway reviews", "IPA"],
        "live",
    ),
    (
        "Senior project manager, estates",
        "Bristol City Council",
        "Bristol",
        P.HYBRID,
        C.PERMANENT,
        "£49,498 to £52,805",
        49498,
        52805,
        30,
        ["PRINCE2", "construction", "stakeholder management"],
        "live",
    ),
    (
        "Head of PMO",
        "Greater Manchester Fire and Rescue Service",
        "Manchester",
        P.HYBRID,
        C.PERMANENT,
        "£68,000",
        68000,
        68000,
        40,
        ["PMO", "portfolio management", "governance"],
        "live",
    ),
    (
        "Project support officer",
        "Kent County Council",
        "Maidstone",
        P.ON_SITE,
        C.FIXED_TERM,
        "£27,711 to £30,296",
        27711,
        30296,
        18,
        ["project support", "RAID logs"],
        "live",
    ),
    (
        "Planning and scheduling lead (secondment)",
        "Department for Transport",
        "London",
        P.HYBRID,
        C.SECONDMENT,
        "Grade 7, on loan",
        None,
        None,
        25,
        ["scheduling", "Primavera P6", "MSP"],
        "live",
    ),
    (
        "Programme manager, urgent care",
        "Leeds Teaching Hospitals NHS Trust",
        "Leeds",
        P.HYBRID,
        C.PERMANENT,
        "Band 8a: £53,755 to £60,504",
        53755,
        60504,
        12,
        ["MSP", "benefits realisation", "NHS"],
        "closed",
    ),
    (
        "Change manager",
        "Cabinet Office",
        "York",
        P.HYBRID,
        C.FIXED_TERM,
        "£45,000",
        45000,
        45000,
        9,
        ["change management", "agile"],
        "closed",
    ),
    (
        "Risk manager, capital programme",
        "Devon and Somerset Fire and Rescue Service",
        "Exeter",
        P.ON_SITE,
        C.PERMANENT,
        "£41,418 to £44,711",
        41418,
        44711,
        30,
        ["risk management", "PRINCE2"],
        "pending",
    ),
]

DESCRIPTION = """We are looking for a {title_lower} to join {employer}.

## The role
- Lead the {tag} work across the portfolio, with the programme boards and the finance team.
- Keep plans, risks and benefits honest, and help teams report them simply.
- Coach project managers and build the team's skills.

## About you
You have done this before in the public sector, or want to bring your experience from elsewhere. A {tag}
qualification helps; curiosity and good judgement matter more.

Questions? Ask in the forum thread, or contact the hiring manager through the apply link."""


def seed(cast: dict) -> None:
    """Add the demo postings to the PPM community once, and a saved search for the demo member."""
    ppm, people, now = cast["ppm"], cast["people"], cast["now"]
    if Posting.objects.filter(community=ppm).exists():
        return
    authors = [p for p in people if ppm.memberships.filter(user=p, status="active").exists()][:6] or [
        cast["facilitator"]
    ]
    today = timezone.localdate(now)
    for i, (title, employer, location, pattern, contract, pay, low, high, days, tags, state) in enumerate(POSTINGS):
        author = cast["facilitator"] if state == "closed" else authors[i % len(authors)]
        if state == "pending":
            author = cast["member"]
        posting = Posting(
            community=ppm,
            author=author,
            title=title,
            employer=employer,
            location=location,
            working_pattern=pattern,
            contract=contract,
            salary_text=pay,
            salary_min=low,
            salary_max=high,
            closes_on=today + timedelta(days=days),
            apply_url=f"https://jobs.example.org/{i + 1}" if i % 4 else "",
            apply_email="recruitment@example.org" if i % 4 == 0 else "",
            description=DESCRIPTION.format(title_lower=title.lower(), employer=employer, tag=tags[0]),
            created_at=now - timedelta(days=12 - i),
        )
        posting.save()
        posting.tags.set(tags)
        if state == "pending":
            Posting.objects.filter(pk=posting.pk).update(status=Posting.Status.PENDING)
        else:
            services._go_live(posting, now=now - timedelta(days=12 - i))
            Posting.objects.filter(pk=posting.pk).update(published_at=now - timedelta(days=12 - i))
            if state == "closed":
                posting.refresh_from_db()
                services.posting_close(posting=posting, by=author)
        posting.refresh_from_db()
        services.index_posting(posting)
    JobSearch.objects.get_or_create(
        user=cast["member"],
        name="PMO and benefits roles in Leeds",
        defaults={"community": ppm, "tags": "PMO, benefits realisation, MSP", "location": "Leeds"},
    )

"""Demo library content for `manage.py seed_demo`: real, small files built on the spot, a guide written up from a
demo thread, a dozen key links, and the attachment the demo forum post promises ("Attached is our version").

The forum threads are found through the search index and read through the forums' registered ContentSource:
the library never imports the forums.
"""

from datetime import timedelta

from django.core.files.base import ContentFile

from communities import extensions
from communities.models import SearchDocument

from . import demo_files, services
from .inspection import inspect_upload
from .models import Resource

OGL = Resource.Licence.OGL
KEY_LINKS = [
    (
        "Government Functional Standard GovS 002: Project delivery",
        "https://www.gov.uk/government/publications/project-delivery-functional-standard",
        "The standard every government project is expected to meet: governance, roles, the delivery life cycle and "
        "assurance. Start here when setting up a project board.",
        "standards, assurance, governance",
    ),
    (
        "Infrastructure and Projects Authority",
        "https://www.gov.uk/government/organisations/infrastructure-and-projects-authority",
        "The government's centre of expertise for major projects: the annual report on the Government Major "
        "Projects Portfolio, and guidance on delivery confidence.",
        "assurance, major projects",
    ),
    (
        "IPA assurance review toolkit (Gateway reviews)",
        "https://www.gov.uk/government/collections/infrastructure-and-projects-authority-assurance-review-toolkit",
        "The workbooks reviewers use at each Gateway: read them before your review and you know the questions.",
        "gateway reviews, assurance",
    ),
    (
        "APM: Association for Project Management",
        "https://www.apm.org.uk/",
        "The chartered body for the profession: the APM Body of Knowledge, qualifications and local branch events.",
        "professional bodies, careers",
    ),
    (
        "AXELOS / PeopleCert: PRINCE2 and MSP",
        "https://www.axelos.com/",
        "The owners of PRINCE2 and MSP, with the official guidance and certification routes.",
        "PRINCE2, MSP, professional bodies",
    ),
    (
        "The Green Book: appraisal and evaluation in central government",
        "https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government",
        "HM Treasury's guidance on options appraisal and the five-case business case model; benefits start here.",
        "business cases, benefits realisation",
    ),
    (
        "The Orange Book: management of risk",
        "https://www.gov.uk/government/publications/orange-book",
        "Principles and concepts for risk management across government, with a useful risk appetite guide.",
        "risk, governance",
    ),
    (
        "Managing Public Money",
        "https://www.gov.uk/government/publications/managing-public-money",
        "How public money must be handled: accounting officers, value for money, novel and contentious spend.",
        "governance, finance",
    ),
    (
        "GOV.UK Service Manual",
        "https://www.gov.uk/service-manual",
        "How government builds digital services in agile phases (discovery, alpha, beta, live), with service "
        "standard assessments.",
        "agile, digital delivery",
    ),
    (
        "National Audit Office",
        "https://www.nao.org.uk/",
        "Value-for-money reports on major programmes: candid lessons on what went wrong and why.",
        "lessons learned, assurance",
    ),
    (
        "Local Government Association",
        "https://www.local.gov.uk/",
        "Support and peer challenge for councils, including programme and transformation resources.",
        "local government, change management",
    ),
    (
        "Praxis Framework",
        "https://www.praxisframework.org/",
        "A free, community-maintained framework for project, programme and portfolio management.",
        "PRINCE2, MSP, portfolio management",
    ),
]

THREAD_WITH_TEMPLATE = "A one-page benefits profile template that people actually fill in"
THREAD_FOR_GUIDE = "How do you keep a risk register alive after the first month?"


def _thread_content(community, title: str, viewer):
    # Replies are indexed under their thread's title too: take the thread's own document.
    document = SearchDocument.objects.filter(community=community, title=title).exclude(kind="reply").first()
    if document is None:
        return None
    return extensions.content_of("forums.thread", viewer, document.target_id)


def _file(name: str, data: bytes):
    return inspect_upload(ContentFile(data, name=name))


def _backdate(resource: Resource, when) -> None:
    Resource.objects.filter(pk=resource.pk).update(created_at=when, updated_at=when)
    SearchDocument.objects.filter(
        target_type__app_label="library", target_type__model="resource", target_id=resource.pk
    ).update(created_at=when)


def seed(cast: dict) -> None:
    """Fill the PPM community's library (and a members-only paper in the private network), once."""
    ppm, brn, people, facilitator, now = cast["ppm"], cast["brn"], cast["people"], cast["facilitator"], cast["now"]
    if Resource.objects.filter(community__in=[ppm, brn]).exists():
        return
    nadia, rebecca, david, mark = people[20], people[22], people[3], people[7]

    register = services.resource_create(
        community=ppm,
        author=nadia,
        kind=Resource.Kind.TEMPLATE,
        title="Risk register with scoring and next actions",
        summary="A one-sheet risk register: cause, event, effect; owner; likelihood x impact; and the next action "
        "with a date, which is what keeps it alive. A second sheet says how to run the weekly review.",
        tags="risk, templates, PRINCE2",
        organisation="Department for Transport",
        licence=OGL,
        inspected=_file("Risk register.xlsx", demo_files.risk_register_xlsx()),
    )
    deck = services.resource_create(
        community=ppm,
        author=rebecca,
        kind=Resource.Kind.PRESENTATION,
        title="Preparing for a Gateway 2 review",
        summary="The slides from our assurance session: what reviewers look at, what catches people out, and a "
        "four-week preparation plan.",
        tags="gateway reviews, assurance",
        organisation="Infrastructure and Projects Authority",
        licence=OGL,
        inspected=_file("Gateway 2 preparation.pptx", demo_files.gateway_review_pptx()),
    )
    tailoring = services.resource_create(
        community=ppm,
        author=david,
        kind=Resource.Kind.DOCUMENT,
        title="Tailoring PRINCE2 for small projects",
        summary="How we scale PRINCE2 down for projects under £250k without losing the principles: combined "
        "documents, two stages, one log.",
        tags="PRINCE2, templates",
        organisation="Cardiff Council",
        licence=Resource.Licence.CC_BY,
        inspected=_file("PRINCE2 tailoring guide.pdf", demo_files.prince2_tailoring_pdf()),
    )
    for days, resource in ((40, register), (25, deck), (12, tailoring)):
        _backdate(resource, now - timedelta(days=days))
    services.resource_feature(resource=register, by=facilitator, featured=True)
    for reader, resource, kind in (
        (people[13], register, "helpful"),
        (people[27], register, "thanks"),
        (people[37], deck, "helpful"),
        (mark, deck, "thanks"),
        (people[10], tailoring, "helpful"),
    ):
        services.reaction_toggle(resource=resource, user=reader, kind=kind)
    services.comment_create(
        resource=register,
        author=people[13],
        body="We adopted this for the station rebuild. The **next action** column changed our board meetings.",
    )

    _attach_benefits_profile(ppm, facilitator, people[28])
    _guide_from_thread(ppm, facilitator)
    for index, (title, url, why, tags) in enumerate(KEY_LINKS):
        link = services.resource_create(
            community=ppm,
            author=[facilitator, mark, rebecca, nadia][index % 4],
            kind=Resource.Kind.KEY_LINK,
            title=title,
            url=url,
            summary=why,
            tags=tags,
        )
        _backdate(link, now - timedelta(days=60 - index * 3))

    services.resource_create(
        community=brn,
        author=facilitator,
        kind=Resource.Kind.DOCUMENT,
        title="Post-implementation review: what we tell members and ministers",
        summary="Our network's shared note on reporting benefits that did not materialise. Members only.",
        tags="benefits realisation, evaluation",
        licence=Resource.Licence.MEMBERS_ONLY,
        inspected=_file(
            "PIR reporting note.pdf",
            demo_files.text_pdf(
                "Reporting benefits that did not materialise",
                [
                    ("Be early", "Tell the board before the evaluation is published, not after."),
                    ("Be specific", "Say what did change, with measures, as well as what did not."),
                    ("Learn", "Frame it as lessons for the next business case; share them in this network."),
                ],
            ),
        ),
    )


def _attach_benefits_profile(community, viewer, author) -> None:
    """The demo thread's opening post says "Attached is our version": attach it, filed in the library."""
    content = _thread_content(community, THREAD_WITH_TEMPLATE, viewer)
    opening = next((part.obj for part in content.parts if part.key == "opening"), None) if content else None
    if opening is None:
        return
    attachment = services.attachment_add(
        target=opening,
        community=community,
        by=author,
        inspected=_file("One-page benefits profile.docx", demo_files.benefits_profile_docx()),
        source_url=opening.get_absolute_url(),
        source_title="a forum post",
    )
    resource = attachment.resource
    Resource.objects.filter(pk=resource.pk).update(
        kind=Resource.Kind.TEMPLATE,
        title="One-page benefits profile",
        summary="Benefit, measure, baseline, target, owner, dates, dependencies and dis-benefits on one page. "
        "Shared in the forums, where members suggested the leading-indicator line.",
        tags="benefits realisation, templates",
        organisation="Bristol City Council",
        licence=OGL,
    )
    resource.refresh_from_db()
    services.index_resource(resource)


def _guide_from_thread(community, facilitator) -> None:
    """The community keeps solving how to keep risk registers alive: write it down once and for all."""
    content = _thread_content(community, THREAD_FOR_GUIDE, facilitator)
    if content is None:
        return
    answers = "\n\n".join(f"> {part.body.strip()}\n>\n> — {part.author}" for part in content.parts)
    services.guide_from_source(
        community=community,
        by=facilitator,
        title="Keeping a risk register alive",
        body=(
            "Risk registers start well and then go stale. Members who have solved this agree on four habits.\n\n"
            "## 1. Review weekly, briefly\n\nTen minutes at the team meeting, owners present. Anything not reviewed "
            "for four weeks is flagged red.\n\n## 2. Every risk has a next action with a date\n\nA risk with no next "
            "action is just a worry. Report the actions to the board, not just the risks.\n\n## 3. Hold a risk "
            "amnesty every quarter\n\nClose the stale risks together, so the register shows what matters now.\n\n"
            "## 4. Use the template\n\nThe library's risk register template has the next-action columns built in.\n\n"
            f"## From the thread\n\n{answers}\n\nWritten up from [{content.title}]({content.url})."
        ),
        source=content.obj,
        source_url=content.url,
        source_title=content.title,
        tags=("risk", "guides"),
    )

"""Demo forum content for `manage.py seed_demo`: believable PPM threads, answers, thanks and tags."""

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType

from communities.models import ActivityEvent, SearchDocument
from communities.search import refresh_vectors

from . import services
from .models import Category, Post, Thread

PPM_CATEGORIES = [
    ("questions", "Questions and answers", "Ask the community: someone has probably faced it before."),
    ("tools-and-templates", "Tools and templates", "Share and improve the documents we all use."),
    ("benefits-realisation", "Benefits realisation", "Identifying, tracking and realising benefits."),
    ("assurance-and-risk", "Assurance and risk", "Gateway reviews, risk registers, audit and assurance."),
    ("introductions", "Introductions", "New here? Say hello and tell us what you work on."),
    ("announcements", "Announcements", "News from the facilitators."),
]
BRN_CATEGORIES = [
    ("benefits-maps", "Benefits maps and profiles", "Share maps, profiles and realisation plans."),
    ("evaluation", "Evaluation", "What did (and didn't) happen after go-live."),
]

# (category, kind, author index, title, body, tags, replies[(author index, body, parent index or None)],
#  accepted reply index or None, days ago)
PPM_THREADS = [
    (
        "announcements",
        "announcement",
        "F",
        "Welcome to the community — and this month's theme: benefits realisation",
        "Hello everyone,\n\nThis month we focus on **benefits realisation**: how we identify benefits early, who owns "
        "them, and how we keep tracking them after the project closes.\n\n- Share your benefits maps in *Tools and "
        "templates*\n- Ask your questions in *Questions and answers*\n- Watch out for our expert hot seat later "
        "in the month\n\nThank you for being so generous with your experience.",
        ["benefits realisation"],
        [],
        None,
        12,
    ),
    (
        "questions",
        "question",
        3,
        "How do you keep a risk register alive after the first month?",
        "Our project risk register was lovely at initiation and has not been touched since. The board only looks at "
        "the top five. How do you keep it a living document without it becoming a chore?",
        ["risk", "PRINCE2"],
        [
            (
                13,
                "We review risks as a standing item at the weekly team meeting, ten minutes, owners present. Anything "
                "not reviewed for four weeks is flagged red automatically.",
                None,
            ),
            (
                20,
                "Tie each risk to a named owner *and* a next action with a date. A risk with no next action is just a "
                "worry. Our board report pulls the actions, not the risks.",
                None,
            ),
            (3, "Thank you both, the 'next action with a date' rule is exactly what we were missing.", 1),
            (27, "Agree with Nadia. We also run a quarterly 'risk amnesty' where the team closes stale risks.", 1),
        ],
        1,
        9,
    ),
    (
        "questions",
        "question",
        37,
        "First gateway review next month: what should I prepare?",
        "I'm a junior PM and our programme has its first **Gateway 2** review in four weeks. What do reviewers "
        "actually look at, and what catches people out?",
        ["assurance", "gateway reviews"],
        [
            (
                22,
                "Reviewers read the business case, the plan and the risk register before they arrive, then test them "
                "in interviews. Make sure your SRO can explain the benefits in their own words: that is where most "
                "reviews find gaps.",
                None,
            ),
            (
                7,
                "Have a single document list ready and keep it current. And be honest in interviews: reviewers are "
                "there to help.",
                None,
            ),
            (37, "This is really reassuring, thank you. Could you share what your document list looks like?", 1),
            (7, "Sure, I've put our template in Tools and templates.", 2),
        ],
        0,
        6,
    ),
    (
        "questions",
        "question",
        11,
        "Estimating contingency for a fire station rebuild",
        "We are about to baseline the budget for a station rebuild. How are others setting contingency, and do you "
        "use a quantified risk analysis or a flat percentage?",
        ["risk", "construction", "estimating"],
        [],
        None,
        2,
    ),
    (
        "tools-and-templates",
        "discussion",
        28,
        "A one-page benefits profile template that people actually fill in",
        "After years of 12-page benefits profiles nobody read, we moved to one page: benefit, measure, baseline, "
        "target, owner, dates, dependencies. Attached is our version. What would you add?",
        ["benefits realisation", "templates"],
        [
            (8, "Love this. We add a line for *dis-benefits* so they are not forgotten.", None),
            (16, "We also add 'how will we know early?' as a leading indicator. It helps keep owners engaged.", None),
            (28, "Both great additions, I'll update the template.", 0),
            (30, "Could this be used for NHS projects as well? The measures we use are quite different.", None),
            (16, "Yes, we use it in NHS England with our own measures. The structure holds.", 3),
        ],
        None,
        5,
    ),
    (
        "assurance-and-risk",
        "discussion",
        9,
        "Portfolio prioritisation when everything is 'priority one'",
        "Our portfolio board has 42 projects and all are 'priority one'. How have others introduced a scoring model "
        "that leaders accept?",
        ["portfolio management", "prioritisation", "PMO"],
        [
            (
                14,
                "We score on strategic fit, benefits, risk and deliverability, weighted, then the board argues only "
                "about the top and bottom ten. It took two cycles before people trusted it.",
                None,
            ),
            (28, "Start with what you *stop*. Freeing capacity sells the model better than ranking.", None),
        ],
        None,
        3,
    ),
    (
        "introductions",
        "discussion",
        33,
        "Hello from Surrey Fire and Rescue",
        "Hi all, I'm Jack, project support in Surrey. I'm working on our station refurbishment programme and keen to "
        "learn about planning and reporting from you all.",
        ["introductions"],
        [
            (
                "F",
                "Welcome Jack! Have a look at the reporting thread in Tools and templates, lots there for you.",
                None,
            ),
            (18, "Welcome! Fellow fire and rescue person here, happy to share our reporting pack.", None),
        ],
        None,
        1,
    ),
    (
        "benefits-realisation",
        "article",
        30,
        "What we learned tracking benefits for three years after go-live",
        "## Why we kept going\n\nMost projects stop measuring at closure. We did not, and it changed how we write "
        "business cases.\n\n## Three lessons\n\n1. **Baseline before you start.** Half our benefits could not be "
        "proven because nobody measured the 'before'.\n2. **Owners move jobs.** Name a role, not a person.\n3. "
        "**Report benefits to the same board that approved the money.** It keeps them honest.\n\n> The benefits are "
        "the reason for the project, not a section of the business case.",
        ["benefits realisation", "lessons learned"],
        [(25, "Point 2 is so true. We lost half our benefit owners to restructures.", None)],
        None,
        8,
    ),
    (
        "questions",
        "question",
        24,
        "MSP or PRINCE2 for a small transformation programme?",
        "We are setting up a small transformation programme (five projects). Is MSP overkill? Should we just run "
        "each project with PRINCE2 and a light programme board?",
        ["MSP", "PRINCE2"],
        [],
        None,
        0,
    ),
    (
        "benefits-realisation",
        "discussion",
        12,
        "Which method do you use for benefits tracking?",
        "We are choosing how to track benefits across our portfolio. A spreadsheet register has served us so far, "
        "but it is creaking. What do you use, and would you choose it again? There is a quick poll below; tell us "
        "why in the replies.",
        ["benefits realisation", "tools"],
        [
            (19, "A shared spreadsheet register, one tab per programme. Cheap, and everyone can open it.", None),
            (27, "We moved to our PPM tool's benefits module last year; the dashboards won the board over.", None),
        ],
        None,
        2,
    ),
]
BRN_THREADS = [
    (
        "evaluation",
        "discussion",
        30,
        "When the evaluation says the benefits did not happen",
        "Confidential to this group: our post-implementation review found that the headline cashable saving did not "
        "materialise. How have others handled reporting this to ministers and members?",
        ["benefits realisation", "evaluation"],
        [
            (
                "F",
                "Be early and be specific about what *did* change. "
                "We framed it as lessons for the next business case.",
                None,
            )
        ],
        None,
        4,
    ),
]


def seed(cast: dict) -> None:
    """Add categories and threads to the demo communities, once."""
    ppm, brn = cast["ppm"], cast["brn"]
    if Thread.objects.filter(community__in=[ppm, brn]).exists():
        return
    people, facilitator, now = cast["people"], cast["facilitator"], cast["now"]
    for community, categories, threads in ((ppm, PPM_CATEGORIES, PPM_THREADS), (brn, BRN_CATEGORIES, BRN_THREADS)):
        # The demo's categories stand in for the empty one every new community starts with.
        Category.objects.filter(community=community, slug=services.DEFAULT_CATEGORY["slug"], threads=None).delete()
        by_slug = {}
        for position, (slug, name, description) in enumerate(categories):
            by_slug[slug], _ = Category.objects.get_or_create(
                community=community,
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "position": position,
                    "facilitators_only": slug == "announcements",
                },
            )
        for category, kind, author, title, body, tags, replies, accepted, days in threads:
            _thread(
                by_slug[category],
                kind,
                _who(author, people, facilitator),
                title,
                body,
                tags,
                [(_who(a, people, facilitator), b, p) for a, b, p in replies],
                accepted,
                now - timedelta(days=days),
                facilitator,
            )
    refresh_vectors()


def _who(ref, people, facilitator):
    return facilitator if ref == "F" else people[ref]


def _thread(category, kind, author, title, body, tags, replies, accepted, started, facilitator):
    thread = services.thread_create(category=category, author=author, kind=kind, title=title, body=body, tags=tags)
    _backdate(thread.posts.get(is_opening=True), started)
    Thread.objects.filter(pk=thread.pk).update(created_at=started, last_activity_at=started)
    posts = []
    for index, (who, text, parent) in enumerate(replies):
        when = started + timedelta(hours=3 * (index + 1))
        post = services.post_reply(
            thread=thread, author=who, body=text, parent=posts[parent] if parent is not None else None
        )
        _backdate(post, when)
        Thread.objects.filter(pk=thread.pk).update(last_activity_at=when)
        posts.append(post)
    for post in posts:
        # A little recognition: thanks from the asker, "helpful" on answers others relied on.
        if post.author_id != author.pk:
            services.reaction_toggle(post=post, user=author, kind="thanks")
        if post.parent_id is None and post.author_id != facilitator.pk:
            services.reaction_toggle(post=post, user=facilitator, kind="helpful")
    if accepted is not None:
        services.answer_accept(thread=thread, post=posts[accepted], by=author)
    thread_ref = {"target_type": ContentType.objects.get_for_model(Thread), "target_id": thread.pk}
    ActivityEvent.objects.filter(**thread_ref).update(created_at=started)
    SearchDocument.objects.filter(**thread_ref).update(created_at=started)
    return thread


def _backdate(post: Post, when) -> None:
    """Move a post, and the activity it caused, back to when it was 'written'."""
    Post.objects.filter(pk=post.pk).update(created_at=when)
    target = {"target_type": ContentType.objects.get_for_model(Post), "target_id": post.pk}
    SearchDocument.objects.filter(**target).update(created_at=when)
    ActivityEvent.objects.filter(**target).update(created_at=when)

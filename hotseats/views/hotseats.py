from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities import extensions
from communities.models import Community
from communities.permissions import can_participate
from cop_platform.http import id_or_404

from .. import permissions, selectors, services
from ..forms import AnswerForm, HotSeatForm, QuestionForm, SummaryForm
from ..models import CalendarFeed, Expert, HotSeat, Question
from ._helpers import community_view, hotseat_view


@login_not_required
@community_view
def hotseat_list(request, community):
    """Open now, coming up and past hot seats of the community."""
    now = timezone.now()
    hotseats = list(
        HotSeat.objects.filter(community=community)
        .select_related("community", "theme")  # each card links through hotseat.community.slug
        .prefetch_related("experts__user")
        .order_by("opens_at")
    )
    feed = None
    if request.user.is_authenticated and community.visibility != Community.Visibility.PUBLIC:
        feed = CalendarFeed.objects.filter(user=request.user, community=community).first()
    return render(
        request,
        "hotseats/hotseat_list.html",
        {
            "community": community,
            "tab": "hotseats",
            "open_now": [h for h in hotseats if h.state_at(now) == HotSeat.State.OPEN],
            "upcoming": [h for h in hotseats if h.state_at(now) == HotSeat.State.SCHEDULED],
            "past": sorted(
                (h for h in hotseats if h.state_at(now) == HotSeat.State.CLOSED),
                key=lambda h: h.closes_at,
                reverse=True,
            ),
            "can_schedule": permissions.can_schedule(request.user, community),
            "public_feed": community.visibility == Community.Visibility.PUBLIC,
            "feed": feed,
        },
    )


def _detail_context(request, hotseat, *, question_form=None):
    user = request.user
    order = "new" if request.GET.get("sort") == "new" else "votes"
    unanswered = request.GET.get("show") == "unanswered"
    moderator = permissions.can_moderate(user, hotseat)
    page = Paginator(
        selectors.questions(hotseat, order=order, unanswered_only=unanswered), selectors.QUESTIONS_PER_PAGE
    ).get_page(request.GET.get("page"))
    questions = list(page.object_list)
    voted = selectors.my_votes(user, [q.pk for q in questions])
    answers = [answer for question in questions for answer in question.answers.all()]
    attachments = extensions.attachments_for("hotseats.answer", answers, user)
    for answer in answers:
        answer.attachments = attachments.of(answer)
    for question in questions:
        question.hotseat = hotseat  # permission checks on the page read it: no query per question
        question.voted = question.pk in voted
    return {
        "community": hotseat.community,
        "tab": "hotseats",
        "hotseat": hotseat,
        "page": page,
        "questions": questions,
        "order": order,
        "unanswered": unanswered,
        "experts": list(hotseat.experts.all()),
        "state": hotseat.state,
        "question_form": question_form or QuestionForm(),
        "is_expert": permissions.expert_for(user, hotseat) is not None,
        "moderator": moderator,
        # Facilitators can bring back a question they hid; nobody else sees hidden ones.
        "hidden_questions": list(
            Question.objects.filter(hotseat=hotseat, is_hidden=True, merged_into__isnull=True).select_related("asker")[
                :50
            ]
        )
        if moderator
        else [],
    }


@login_not_required
@hotseat_view
def hotseat_detail(request, hotseat):
    return render(request, "hotseats/hotseat_detail.html", _detail_context(request, hotseat))


@login_required
@require_POST
@hotseat_view
def question_ask(request, hotseat):
    if not can_participate(request.user, hotseat.community):
        # Only a member refused for timing (too early, too late) gets the form back with their text.
        raise PermissionDenied
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.question_ask(hotseat=hotseat, asker=request.user, body=form.cleaned_data["body"])
        except services.HotSeatError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your question is in. Other members can now vote for it.")
            return redirect(f"{hotseat.get_absolute_url()}?sort=new#{question.anchor}")
    return render(
        request, "hotseats/hotseat_detail.html", _detail_context(request, hotseat, question_form=form), status=400
    )


@login_required
@require_POST
@hotseat_view
def question_vote(request, hotseat, question_pk):
    question = get_object_or_404(Question.objects.listed(), pk=question_pk, hotseat=hotseat)
    question.hotseat = hotseat
    try:
        services.question_vote(question=question, user=request.user)
    except services.HotSeatError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect(f"{hotseat.get_absolute_url()}#{question.anchor}")


@login_required
@hotseat_view
def expert_desk(request, hotseat):
    """The expert's view: unanswered questions by votes, each with an answer box."""
    if permissions.expert_for(request.user, hotseat) is None and not permissions.can_moderate(request.user, hotseat):
        raise PermissionDenied
    questions = list(selectors.questions(hotseat, unanswered_only=request.GET.get("show") != "all")[:100])
    for question in questions:
        question.hotseat = hotseat
    return render(
        request,
        "hotseats/expert_desk.html",
        {
            "community": hotseat.community,
            "tab": "hotseats",
            "hotseat": hotseat,
            "questions": questions,
            "can_answer": permissions.can_answer(request.user, hotseat),
            "show_all": request.GET.get("show") == "all",
        },
    )


@login_required
@require_POST
@hotseat_view
def answer_post(request, hotseat, question_pk):
    question = get_object_or_404(Question.objects.listed(), pk=question_pk, hotseat=hotseat)
    question.hotseat = hotseat
    if not permissions.can_answer(request.user, hotseat):
        raise PermissionDenied("Only this hot seat's experts answer, while it is open.")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please write an answer first (at most 20,000 characters).")
        return redirect("hotseats:expert_desk", slug=hotseat.community.slug, pk=hotseat.pk)
    try:
        with transaction.atomic():
            answer = services.answer_post(question=question, expert_user=request.user, body=form.cleaned_data["body"])
            extensions.save_attachments("hotseats.answer", answer, request)
    except services.HotSeatError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) + " Your answer was not posted.")
        return redirect("hotseats:expert_desk", slug=hotseat.community.slug, pk=hotseat.pk)
    messages.success(request, "Answer posted; the asker will hear about it.")
    if request.POST.get("next") == "page":
        return redirect(f"{hotseat.get_absolute_url()}#{question.anchor}")
    return redirect("hotseats:expert_desk", slug=hotseat.community.slug, pk=hotseat.pk)


@login_required
@require_POST
@hotseat_view
def question_moderate(request, hotseat, question_pk):
    """Hide, restore or merge a duplicate question (facilitators)."""
    question = get_object_or_404(Question, pk=question_pk, hotseat=hotseat)
    question.hotseat = hotseat
    action = request.POST.get("action")
    try:
        if action in ("hide", "restore"):
            services.question_hide(
                question=question,
                by=request.user,
                hidden=action == "hide",
                reason=request.POST.get("reason", "")[:2000],
            )
            messages.success(request, "Question hidden." if action == "hide" else "Question restored.")
        elif action == "merge":
            into = get_object_or_404(
                Question.objects.listed(), pk=id_or_404(request.POST.get("into") or 0), hotseat=hotseat
            )
            services.question_merge(question=question, into=into, by=request.user)
            messages.success(request, "Duplicate merged; its votes moved across.")
        else:
            raise PermissionDenied
    except services.HotSeatError as exc:
        raise PermissionDenied(str(exc)) from exc
    return redirect(hotseat)


@login_required
@community_view
def hotseat_create(request, community):
    if not permissions.can_schedule(request.user, community):
        raise PermissionDenied
    form = HotSeatForm(
        request.POST or None, community=community, initial={"theme": request.GET.get("theme"), "early_questions": True}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hotseat = services.hotseat_create(
            community=community,
            by=request.user,
            title=data["title"],
            topic=data["topic"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            early_questions=data["early_questions"],
            theme=data["theme"],
            tags=data["tags"],
            experts=data["member_experts"],
            guest_emails=data["guest_experts"],
        )
        messages.success(
            request,
            "Hot seat scheduled and announced."
            + (" Guest experts have been sent their invitations." if data["guest_experts"] else ""),
        )
        return redirect(hotseat)
    return render(request, "hotseats/hotseat_form.html", {"community": community, "tab": "hotseats", "form": form})


@login_required
@hotseat_view
def hotseat_edit(request, hotseat):
    community = hotseat.community
    if not permissions.can_schedule(request.user, community):
        raise PermissionDenied
    fields = ["title", "topic", "opens_at", "closes_at", "early_questions", "theme", "tags"]
    form = HotSeatForm(
        request.POST or None, community=community, editing=True, initial={f: getattr(hotseat, f) for f in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hotseat_update(hotseat=hotseat, by=request.user, **{f: form.cleaned_data[f] for f in fields})
        except services.HotSeatError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Hot seat updated.")
            return redirect(hotseat)
    return render(
        request,
        "hotseats/hotseat_form.html",
        {"community": community, "tab": "hotseats", "form": form, "hotseat": hotseat},
    )


@login_required
@hotseat_view
def hotseat_summary(request, hotseat):
    if not permissions.can_moderate(request.user, hotseat) or not hotseat.is_closed:
        raise PermissionDenied
    form = SummaryForm(request.POST or None, initial={"summary": hotseat.summary})
    if request.method == "POST" and form.is_valid():
        services.summary_write(hotseat=hotseat, by=request.user, summary=form.cleaned_data["summary"])
        messages.success(request, "Summary saved.")
        return redirect(hotseat)
    return render(
        request,
        "hotseats/hotseat_summary.html",
        {"community": hotseat.community, "tab": "hotseats", "hotseat": hotseat, "form": form},
    )


@login_required
def expert_accept(request, token):
    """The link in a guest expert's invitation."""
    expert = get_object_or_404(Expert.objects.select_related("hotseat__community"), token=token, is_guest=True)
    hotseat = expert.hotseat
    problem = None
    if request.method == "POST":
        try:
            services.expert_accept(expert=expert, user=request.user)
        except services.HotSeatError as exc:
            problem = str(exc)
        else:
            messages.success(request, f"You are an expert in “{hotseat.title}”. Thank you!")
            return redirect(hotseat)
    elif expert.accepted_at and expert.user_id != request.user.pk:
        problem = "This expert invitation has already been used."
    elif request.user.email.lower() != expert.email.lower():
        problem = f"This invitation was sent to {expert.email}; sign in with that address to accept it."
    elif hotseat.is_closed:
        problem = "This hot seat has closed."
    return render(
        request,
        "hotseats/expert_accept.html",
        {"expert": expert, "hotseat": hotseat, "problem": problem},
        status=200 if problem is None else 410,  # as for community invitations: this link is gone for you
    )

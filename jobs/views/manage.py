"""Writing on the jobs board: posting, editing, closing and extending; the facilitators' queue and settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities.models import Flag

from .. import permissions, services
from ..forms import ExtendForm, FlagForm, PostingForm, ReasonForm, RejectForm, SettingsForm
from ..models import JobSettings, Posting
from ._helpers import community_view, posting_view

QUEUE_LIMIT = 100
Status = Posting.Status


def _posting_fields(form) -> dict:
    fields = dict(form.cleaned_data)
    fields.pop("tags", None)
    return fields


@login_required
@community_view
def posting_create(request, community):
    """Advertise a role: publish (live, or to the approval queue) or keep as a draft."""
    if not permissions.can_post(request.user, community):
        raise PermissionDenied
    form = PostingForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            posting = services.posting_create(
                community=community,
                author=request.user,
                tags=form.cleaned_data["tags"],
                publish="draft" not in request.POST,
                **_posting_fields(form),
            )
        except services.JobsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _outcome(posting))
            return redirect(posting)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "jobs/posting_form.html",
        {"community": community, "tab": "jobs", "form": form, "posting": None},
        status=status,
    )


def _outcome(posting: Posting) -> str:
    if posting.status == Status.LIVE:
        return "Your posting is live."
    if posting.status == Status.PENDING:
        return "Thanks: a facilitator will look at your posting before it goes live."
    return "Saved as a draft. Only you can see it until you publish it."


@login_required
@posting_view
def posting_edit(request, posting):
    """The poster edits their posting (a live one's closing date moves only through "extend")."""
    if not permissions.can_edit_posting(request.user, posting):
        raise PermissionDenied
    locked = posting.status == Status.LIVE
    form = PostingForm(request.POST or None, instance=posting, community=posting.community, lock_closing_date=locked)
    if request.method == "POST" and form.is_valid():
        posting.refresh_from_db()
        posting.community = form.community
        try:
            services.posting_update(
                posting=posting,
                by=request.user,
                tags=form.cleaned_data["tags"],
                publish="publish" in request.POST,
                **_posting_fields(form),
            )
        except services.JobsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _outcome(posting) if "publish" in request.POST else "Posting updated.")
            return redirect(posting)
    return render(
        request,
        "jobs/posting_form.html",
        {"community": posting.community, "tab": "jobs", "form": form, "posting": posting},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
@posting_view
def posting_close(request, posting):
    if not permissions.can_close_posting(request.user, posting):
        raise PermissionDenied
    services.posting_close(posting=posting, by=request.user)
    messages.success(request, "Posting closed: it has left the jobs lists.")
    return redirect(posting)


@login_required
@posting_view
def posting_extend(request, posting):
    """Move the closing date later, once."""
    if not permissions.can_extend_posting(request.user, posting):
        raise PermissionDenied
    form = ExtendForm(request.POST or None, initial={"closes_on": posting.closes_on})
    latest = services.latest_closing_date(posting.community)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_extend(posting=posting, by=request.user, closes_on=form.cleaned_data["closes_on"])
        except services.JobsError as exc:
            form.add_error("closes_on", str(exc))
        else:
            messages.success(request, f"Closing date moved to {posting.closes_on:%-d %B %Y}.")
            return redirect(posting)
    return render(
        request,
        "jobs/posting_extend.html",
        {"community": posting.community, "tab": "jobs", "posting": posting, "form": form, "latest": latest},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@posting_view
def posting_flag(request, posting):
    if not permissions.can_flag_posting(request.user, posting):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_create(posting=posting, reporter=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. The facilitators will take a look.")
        return redirect(posting)
    return render(
        request,
        "jobs/flag_form.html",
        {"community": posting.community, "tab": "jobs", "posting": posting, "form": form},
    )


@login_required
@community_view
def moderation_queue(request, community):
    """Postings waiting for approval, flagged postings and hidden ones, for the facilitators."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    flags = list(
        Flag.objects.filter(
            community=community, status=Flag.Status.OPEN, target_type=ContentType.objects.get_for_model(Posting)
        )
        .select_related("reporter")
        .order_by("created_at", "pk")[:QUEUE_LIMIT]
    )
    flagged = Posting.objects.filter(community=community, pk__in={f.target_id for f in flags}).select_related("author")
    by_posting = {p.pk: {"posting": p, "flags": []} for p in flagged}
    for flag in flags:
        if flag.target_id in by_posting:
            by_posting[flag.target_id]["flags"].append(flag)
    base = Posting.objects.filter(community=community).select_related("author")
    return render(
        request,
        "jobs/moderation_queue.html",
        {
            "community": community,
            "tab": "jobs",
            "pending": base.filter(status=Status.PENDING).order_by("created_at", "pk")[:QUEUE_LIMIT],
            "flagged": list(by_posting.values()),
            "hidden": base.filter(is_hidden=True).order_by("-created_at")[:QUEUE_LIMIT],
            "reject_form": RejectForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
@require_POST
@community_view
def moderation_act(request, community, pk):
    """Approve, reject (with a reason, emailed), hide, restore, or dismiss the flags on one posting; logged."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    posting = Posting.objects.select_related("author").filter(pk=pk, community=community).first()
    if posting is None:
        raise Http404
    posting.community = community
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.posting_approve(posting=posting, by=request.user)
            messages.success(request, f"“{posting.title}” is live.")
        elif action == "reject":
            form = RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.posting_reject(posting=posting, by=request.user, reason=reason)
            messages.success(request, f"“{posting.title}” was turned down; the poster has been emailed.")
        elif action in ("hide", "restore"):
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.posting_set_hidden(posting=posting, by=request.user, hidden=action == "hide", reason=reason)
            messages.success(request, "Posting hidden." if action == "hide" else "Posting restored.")
        elif action == "dismiss":
            form = ReasonForm(request.POST)
            services.flags_dismiss(
                posting=posting, by=request.user, reason=form.cleaned_data["reason"] if form.is_valid() else ""
            )
            messages.success(request, "Flags dismissed.")
        else:
            raise Http404
    except services.JobsError as exc:
        messages.error(request, str(exc))
    return redirect("jobs:moderation_queue", slug=community.slug)


@login_required
@community_view
def jobs_settings(request, community):
    """The facilitators' settings: approval, the longest closing date, the daily limit per member."""
    if not permissions.can_moderate(request.user, community):
        raise PermissionDenied
    form = SettingsForm(request.POST or None, instance=JobSettings.of(community))
    if request.method == "POST" and form.is_valid():
        services.settings_save(community=community, by=request.user, **form.cleaned_data)
        messages.success(request, "Jobs settings saved.")
        return redirect("jobs:jobs_list", slug=community.slug)
    return render(request, "jobs/settings.html", {"community": community, "tab": "jobs", "form": form})

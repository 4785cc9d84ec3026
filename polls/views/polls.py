from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from cop_platform.spreadsheets import csv_download

from .. import exports, permissions, selectors, services, threads
from ..forms import PollForm, ReopenForm, VoteForm
from ..models import BallotChoice, State
from ._helpers import community_view, poll_view

CLOSED_PER_PAGE = 20
VOTERS_PER_PAGE = 50


@login_not_required
@community_view
def poll_list(request, community):
    """The Polls page: open polls and surveys first, then what has closed (paged)."""
    now = timezone.now()
    polls = list(selectors.poll_list(community))
    surveys = list(selectors.survey_list(request.user, community))
    closed = sorted(
        [item for item in [*polls, *surveys] if item.state_at(now) == State.CLOSED],
        key=lambda item: item.closed_at or item.closes_at,
        reverse=True,
    )
    return render(
        request,
        "polls/poll_list.html",
        {
            "community": community,
            "tab": "polls",
            "open_polls": [p for p in polls if p.state_at(now) == State.OPEN],
            "open_surveys": [s for s in surveys if s.state_at(now) == State.OPEN],
            "upcoming": [p for p in polls if p.state_at(now) == State.SCHEDULED]
            + [s for s in surveys if s.state_at(now) in (State.SCHEDULED, State.DRAFT)],
            "closed": Paginator(closed, CLOSED_PER_PAGE).get_page(request.GET.get("page")),
            "can_create_poll": permissions.can_create_poll(request.user, community),
            "can_create_survey": permissions.can_create_survey(request.user, community),
        },
    )


def _detail(request, poll, *, picked=None, error="", status=200):
    view = selectors.poll_view(request.user, poll, picked=picked)
    return render(
        request,
        "polls/poll_detail.html",
        {"community": poll.community, "tab": "polls", "poll": poll, "view": view, "error": error},
        status=status,
    )


@login_not_required
@poll_view
def poll_detail(request, poll):
    return _detail(request, poll)


@login_required
@require_POST
@poll_view
def poll_vote(request, poll):
    """Cast or change a vote. A refused vote re-shows the page with the member's choice still ticked."""
    choices = list(poll.choices.all())
    form = VoteForm(request.POST, poll=poll, choices=choices)
    raw = {int(v) for v in request.POST.getlist("choice") if v.isdigit()} & {c.pk for c in choices}
    if not form.is_valid():
        return _detail(request, poll, picked=raw, error=form.errors["choice"][0], status=400)
    try:
        services.vote_cast(poll=poll, user=request.user, choice_ids=form.cleaned_data["choice"])
    except services.PollError as exc:
        if not permissions.can_participate(request.user, poll.community):
            raise PermissionDenied(str(exc)) from exc
        return _detail(request, poll, picked=raw, error=str(exc), status=409 if poll.is_closed else 400)
    messages.success(request, "Your vote is in. You can change it until the poll closes.")
    return redirect(_back(request, poll))


@login_required
@require_POST
@poll_view
def poll_withdraw(request, poll):
    try:
        withdrawn = services.vote_withdraw(poll=poll, user=request.user)
    except services.PollError as exc:
        if not permissions.can_participate(request.user, poll.community):
            raise PermissionDenied(str(exc)) from exc
        return _detail(request, poll, error=str(exc), status=409 if poll.is_closed else 400)
    if withdrawn:
        messages.success(request, "Your vote has been taken back.")
    return redirect(_back(request, poll))


def _back(request, poll) -> str:
    """Back to the page the poll was voted on: the poll's own page, or the thread it sits in."""
    target = request.POST.get("next", "")
    # Only a path on this site: anything else ("abc", another host) falls back to the poll's own page.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return f"{target.split('#')[0]}#poll-{poll.pk}"
    return f"{poll.get_absolute_url()}#poll-{poll.pk}"


def _form_data(form) -> dict:
    data = form.cleaned_data
    return {
        "question": data["question"],
        "description": data["description"],
        "kind": data["kind"],
        "max_choices": data["max_choices"],
        "results": data["results"],
        "public_voters": data["public_voters"],
        "opens_at": data["opens_at"],
        "closes_at": data["closes_at"],
    }


def _thread_host(request, community):
    """The thread named by ?thread= that the new poll will sit in, or None for a poll on the Polls page."""
    raw = request.GET.get("thread", "")
    if not raw:
        return None
    thread = threads.load_thread(raw) if raw.isdigit() else None
    if thread is None or thread.community_id != community.pk or not threads.can_view_thread(request.user, thread):
        raise Http404
    if not threads.can_add_poll(request.user, thread):
        raise PermissionDenied("You cannot add a poll to this thread (it may have one already).")
    return thread


@login_required
@community_view
def poll_create(request, community):
    host = _thread_host(request, community)
    if host is None and not permissions.can_create_poll(request.user, community):
        raise PermissionDenied("Only facilitators put polls on the Polls page.")
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            poll = services.poll_create(
                community=community,
                by=request.user,
                choices=form.cleaned_data["choices"],
                host=host,
                **_form_data(form),
            )
        except services.PollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Poll published." if poll.is_open else "Poll scheduled.")
            if host is not None:
                return redirect(f"{host.get_absolute_url()}#poll-{poll.pk}")
            return redirect(poll)
    return render(
        request,
        "polls/poll_form.html",
        {
            "community": community,
            "tab": "forums" if host is not None else "polls",
            "form": form,
            "host_label": "thread" if host is not None else "",
            "host_title": str(host) if host is not None else "",
        },
    )


@login_required
@poll_view
def poll_edit(request, poll):
    if not permissions.can_edit_poll(request.user, poll):
        raise PermissionDenied("This poll can no longer be edited.")
    choices = [c.label for c in poll.choices.all()]
    initial = {
        "question": poll.question,
        "description": poll.description,
        "choices": "\n".join(choices),
        "kind": poll.kind,
        "max_choices": poll.max_choices,
        "results": poll.results,
        "public_voters": poll.public_voters,
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
    }
    form = PollForm(request.POST or None, initial=initial, votes_cast=poll.voter_count > 0)
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        data["opens_at"] = data["opens_at"] or poll.opens_at
        try:
            services.poll_update(
                poll=poll,
                by=request.user,
                choices=None if poll.voter_count else form.cleaned_data["choices"],
                **data,
            )
        except services.PollError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Poll updated.")
            return redirect(poll)
    return render(
        request, "polls/poll_form.html", {"community": poll.community, "tab": "polls", "form": form, "poll": poll}
    )


@login_required
@require_POST
@poll_view
def poll_close(request, poll):
    try:
        services.poll_close(poll=poll, by=request.user)
    except services.PollError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Poll closed. Votes cast so far stand; no new ones are taken.")
    return redirect(_back(request, poll))


@login_required
@require_POST
@poll_view
def poll_reopen(request, poll):
    if not permissions.can_close_poll(request.user, poll):
        raise PermissionDenied("Only facilitators reopen polls.")
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.poll_reopen(poll=poll, by=request.user, closes_at=form.cleaned_data["closes_at"])
        except services.PollError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Poll reopened: members can vote again.")
    else:
        messages.error(request, "Enter a valid closing time, or leave it empty.")
    return redirect(_back(request, poll))


@login_not_required
@poll_view
def poll_voters(request, poll):
    """Every voter of a public poll, by choice (paged); nobody sees the voters of an anonymous poll."""
    if not permissions.can_see_voters(request.user, poll):
        raise PermissionDenied("This poll does not show who voted.")
    picks = (
        BallotChoice.objects.filter(choice__poll=poll)
        .select_related("choice", "ballot__user")
        .order_by("choice__position", "choice_id", "ballot__created_at", "pk")
    )
    page = Paginator(picks, VOTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "polls/poll_voters.html",
        {"community": poll.community, "tab": "polls", "poll": poll, "page": page},
    )


@login_required
@poll_view
def poll_export(request, poll):
    if not permissions.can_export_poll(request.user, poll):
        raise PermissionDenied("Only facilitators export votes.")
    name = f"poll-{poll.pk}-{slugify(poll.question)[:40] or 'votes'}.csv"
    return csv_download(name, exports.poll_rows(poll))

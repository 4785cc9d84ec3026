from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import BanForm, DecisionForm, JoinRequestForm, MemberRoleForm, MemberSegmentsForm
from ..models import Membership
from ._helpers import community_or_404, membership_in, paginate, require


@login_required
@require_POST
def join(request, slug):
    community = community_or_404(request, slug)
    try:
        services.membership_join(user=request.user, community=community)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Welcome to {community.name}! You are now a member.")
    return redirect(community)


@login_required
def join_request(request, slug):
    community = community_or_404(request, slug)
    if not permissions.can_request_to_join(request.user, community):
        messages.info(request, "You cannot ask to join this community right now.")
        return redirect(community)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.membership_request(user=request.user, community=community, message=form.cleaned_data["message"])
        messages.success(request, "Your request is with the facilitators. We will email you when they decide.")
        return redirect(community)
    return render(request, "communities/join_request.html", {"community": community, "form": form})


@login_required
@require_POST
def leave(request, slug):
    community = community_or_404(request, slug)
    try:
        services.membership_leave(user=request.user, community=community)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You have left {community.name}.")
    return redirect(community)


@login_required
def requests_queue(request, slug):
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    page = paginate(request, selectors.pending_requests(community))
    services.waiting_sync(community=community, key="requests", count=page.paginator.count)
    return render(
        request,
        "communities/manage/requests.html",
        {"community": community, "tab": "requests", "page": page, "form": DecisionForm()},
    )


@login_required
@require_POST
def request_decide(request, slug, pk, decision):
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    membership = membership_in(community, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long (2,000 characters at most). Nothing was decided yet.")
        return redirect("communities:requests_queue", slug=community.slug)
    note = form.cleaned_data["note"]
    decide = services.membership_approve if decision == "approve" else services.membership_decline
    try:
        decide(membership=membership, by=request.user, note=note)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        verb = "approved" if decision == "approve" else "declined"
        messages.success(request, f"{membership.user.display_name}'s request was {verb}; they have been emailed.")
    return redirect("communities:requests_queue", slug=community.slug)


@login_required
def member_manage(request, slug, pk):
    """One member, seen by a manager: role, segments, ban."""
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    membership = membership_in(community, pk)
    context = {
        "community": community,
        "tab": "members",
        "member": membership,
        "role_form": MemberRoleForm(initial={"role": membership.role}),
        "segments_form": MemberSegmentsForm(
            initial={"segments": ", ".join(s.name for s in membership.segments.all())}
        ),
        "ban_form": BanForm(),
        "can_change_role": permissions.can_change_role(request.user, membership),
        "can_ban": permissions.can_ban(request.user, membership),
        "can_hand_over": permissions.can_hand_over_ownership(request.user, membership),
    }
    if request.method == "POST":
        action = request.POST.get("action")
        handler = _MEMBER_ACTIONS.get(action)
        if handler is None:
            messages.error(request, "Unknown action.")
        else:
            response = handler(request, membership, context)
            if response is not None:
                return response
    return render(request, "communities/manage/member.html", context)


def _change_role(request, membership, context):
    form = MemberRoleForm(request.POST)
    context["role_form"] = form
    if form.is_valid():
        try:
            services.membership_change_role(membership=membership, by=request.user, role=form.cleaned_data["role"])
        except services.MembershipError as exc:
            messages.error(request, str(exc))
            return None
        messages.success(request, f"{membership.user.display_name} is now {membership.get_role_display().lower()}.")
        return redirect(request.path)
    return None


def _set_segments(request, membership, context):
    form = MemberSegmentsForm(request.POST)
    context["segments_form"] = form
    if form.is_valid():
        services.membership_set_segments(membership=membership, names=form.cleaned_data["segments"])
        messages.success(request, "Segments saved.")
        return redirect(request.path)
    return None


def _ban(request, membership, context):
    form = BanForm(request.POST)
    context["ban_form"] = form
    if form.is_valid():
        try:
            services.membership_ban(membership=membership, by=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as exc:
            messages.error(request, str(exc))
            return None
        messages.success(request, f"{membership.user.display_name} is banned from {membership.community.name}.")
        return redirect(request.path)
    return None


def _unban(request, membership, context):
    try:
        services.membership_unban(membership=membership, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, "The ban is lifted. They may join again.")
    return redirect(request.path)


def _hand_over(request, membership, context):
    try:
        services.ownership_hand_over(membership=membership, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(
        request,
        f"{membership.user.display_name} is now the owner of {membership.community.name}; you are a facilitator.",
    )
    return redirect(request.path)


_MEMBER_ACTIONS = {
    "role": _change_role,
    "segments": _set_segments,
    "ban": _ban,
    "unban": _unban,
    "hand_over": _hand_over,
}


@login_required
def banned_list(request, slug):
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    banned = Membership.objects.filter(community=community, status=Membership.Status.BANNED).select_related(
        "user", "decided_by"
    )
    return render(
        request, "communities/manage/banned.html", {"community": community, "page": paginate(request, banned)}
    )

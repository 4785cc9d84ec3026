from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import InvitationForm
from ..models import Invitation
from ._helpers import community_or_404, paginate, require


@login_required
def invitation_list(request, slug):
    """Invite people by email and see who has not answered yet."""
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        require(permissions.can_invite(request.user, community))
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    community=community,
                    email=form.cleaned_data["email"],
                    by=request.user,
                    message=form.cleaned_data["message"],
                )
            except services.MembershipError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return redirect("communities:invitation_list", slug=community.slug)
    page = paginate(request, selectors.outstanding_invitations(community))
    return render(
        request,
        "communities/manage/invitations.html",
        {"community": community, "tab": "invitations", "form": form, "page": page},
    )


@login_required
@require_POST
def invitation_revoke(request, slug, pk):
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    invitation = get_object_or_404(Invitation, pk=pk, community=community)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except services.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("communities:invitation_list", slug=community.slug)


@login_required
def invitation_accept(request, token):
    """The link in the invitation email: shows the community, and joins on POST."""
    invitation = get_object_or_404(Invitation.objects.select_related("community", "invited_by"), token=token)
    community = invitation.community
    membership = permissions.membership_for(request.user, community)
    if membership is not None and membership.is_active:
        messages.info(request, f"You are already a member of {community.name}.")
        return redirect(community)
    problem = services.invitation_problem(invitation, request.user)
    if request.method == "POST" and problem is None:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except services.MembershipError as exc:
            problem = str(exc)
        else:
            messages.success(request, f"Welcome to {community.name}! You are now a member.")
            return redirect(community)
    status = 200 if problem is None else 410
    return render(
        request,
        "communities/invitation_accept.html",
        {"invitation": invitation, "community": community, "problem": problem},
        status=status,
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import permissions, selectors, services
from ..forms import WelcomeForm
from ._helpers import community_or_404, membership_in, paginate, require


@login_required
def welcome_queue(request, slug):
    """Every newly active member not yet welcomed, oldest first, with the community's welcome record."""
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    page = paginate(request, selectors.welcome_queue(community))
    return render(
        request,
        "communities/manage/welcome_queue.html",
        {
            "community": community,
            "tab": "welcome",
            "page": page,
            "record": services.welcome_record(community, waiting=page.paginator.count),
        },
    )


@login_required
def welcome_compose(request, slug, pk):
    """The welcome, pre-filled from the community template, editable, then emailed and shown on their home."""
    community = community_or_404(request, slug)
    require(permissions.can_manage_members(request.user, community))
    membership = membership_in(community, pk)
    if not membership.is_active:
        messages.info(
            request, f"{membership.user.display_name} is not an active member, so there is no one to welcome."
        )
        return redirect("communities:welcome_queue", slug=community.slug)
    if membership.welcomed_at is not None:
        messages.info(request, f"{membership.user.display_name} has already been welcomed.")
        return redirect("communities:welcome_queue", slug=community.slug)
    initial = {"body": services.welcome_draft(membership=membership, facilitator=request.user)}
    form = WelcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if services.welcome_send(membership=membership, by=request.user, body=form.cleaned_data["body"]):
            messages.success(request, f"Your welcome is on its way to {membership.user.display_name}.")
        else:
            messages.info(request, f"Someone else welcomed {membership.user.display_name} a moment ago.")
        return redirect("communities:welcome_queue", slug=community.slug)
    return render(
        request,
        "communities/manage/welcome_compose.html",
        {"community": community, "tab": "welcome", "member": membership, "form": form},
    )

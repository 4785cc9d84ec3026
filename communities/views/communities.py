from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.shortcuts import redirect, render

from cop_platform.anonymous_pages import anonymous_page

from .. import permissions, selectors, services
from ..forms import CommunityForm
from ..models import Community, Membership
from ._helpers import community_or_404, paginate, require


@anonymous_page
@login_not_required
def home(request):
    """The front door: my communities with what is new, my welcomes, and communities I could join."""
    user = request.user
    to_join = selectors.communities_to_join(user)
    context = {
        "to_join": to_join.exclude(join_policy=Community.JoinPolicy.INVITE)[:12],
        "by_invitation": to_join.filter(join_policy=Community.JoinPolicy.INVITE)[:12] if user.is_authenticated else [],
    }
    if user.is_authenticated:
        memberships = list(selectors.my_memberships(user))
        context["memberships"] = memberships
        context["welcomes"] = [m for m in memberships if m.welcome_html]
        # "Welcome back" is for someone who has visited one of their communities before, not a first-timer.
        context["returning"] = any(m.last_visit_at for m in memberships)
        context["pending"] = list(
            Membership.objects.filter(user=user, status=Membership.Status.PENDING).select_related("community")
        )
    return render(request, "communities/home.html", context)


@anonymous_page
@login_not_required
def community_list(request):
    communities = selectors.with_member_counts(Community.objects.discoverable_by(request.user))
    return render(request, "communities/community_list.html", {"page": paginate(request, communities)})


@anonymous_page
@login_not_required
def community_detail(request, slug):
    """Community home for readers; a landing page with the join button for everyone else who may see it."""
    community = community_or_404(request, slug)
    user = request.user
    membership = permissions.membership_for(user, community)
    can_read = permissions.can_view_community(user, community)
    leads, newest = selectors.sidebar_people(community, newest=8 if can_read else 0)
    context = {
        "community": community,
        "tab": "home",
        "membership": membership,
        "can_read": can_read,
        "leads": leads,
        "member_count": selectors.active_member_count(community),
    }
    if can_read:
        context["events"] = selectors.recent_activity(community, viewer=user)
        context["newest"] = newest
        context["current_theme"], context["next_theme"] = selectors.current_and_next_theme(community)
    if membership is not None and membership.is_active:
        services.membership_record_visit(membership=membership)
    return render(request, "communities/community_detail.html", context)


@login_required
def community_create(request):
    require(permissions.can_create_community(request.user))
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        community = services.community_create(creator=request.user, **form.cleaned_data)
        messages.success(request, f"{community.name} is ready. You are its first owner.")
        return redirect(community)
    return render(request, "communities/community_form.html", {"form": form, "creating": True})


@login_required
def community_edit(request, slug):
    community = community_or_404(request, slug)
    require(permissions.can_edit_community(request.user, community))
    # The form edits its own copy, so a rejected slug change cannot break the page's links.
    form = CommunityForm(request.POST or None, instance=Community.objects.get(pk=community.pk))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Community settings saved.")
        return redirect(community)
    return render(
        request,
        "communities/community_form.html",
        {"form": form, "community": community, "tab": "settings", "base_template": "communities/base_community.html"},
    )

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from .. import permissions
from ..models import Newsletter
from ._helpers import community_or_404, newsletter_in


@login_not_required
def archive(request, slug):
    """Sent issues on the web; facilitators also see drafts and scheduled issues here."""
    community = community_or_404(request, slug)
    if not permissions.can_read_archive(request.user, community):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    manager = permissions.can_manage_newsletters(request.user, community)
    issues = Newsletter.objects.filter(community=community).select_related("community")  # each row links by slug
    if not manager:
        issues = issues.filter(status=Newsletter.Status.SENT)
    return render(
        request,
        "newsletters/archive.html",
        {
            "community": community,
            "tab": "newsletters",
            "issues": issues,
            "manager": manager,
        },
    )


@login_not_required
def archive_detail(request, slug, pk):
    community = community_or_404(request, slug)
    if not permissions.can_read_archive(request.user, community):
        raise Http404
    newsletter = newsletter_in(community, pk)
    manager = permissions.can_manage_newsletters(request.user, community)
    if newsletter.status != Newsletter.Status.SENT and not manager:
        raise Http404
    return render(
        request,
        "newsletters/archive_detail.html",
        {
            "community": community,
            "tab": "newsletters",
            "newsletter": newsletter,
            "manager": manager,
        },
    )

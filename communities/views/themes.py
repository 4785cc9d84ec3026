from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import permissions, search, services
from ..forms import ThemeForm
from ..models import Theme
from ._helpers import community_or_404, require

THEME_ITEMS = 60


def _readable(request, slug):
    community = community_or_404(request, slug)
    if not permissions.can_view_community(request.user, community):
        raise Http404
    return community


@login_not_required
def theme_list(request, slug):
    community = _readable(request, slug)
    themes = Theme.objects.filter(community=community)
    today = timezone.localdate()
    return render(
        request,
        "communities/theme_list.html",
        {
            "community": community,
            "tab": "themes",
            "today": today,
            "current": [t for t in themes if t.starts_on <= today <= t.ends_on],
            "upcoming": sorted((t for t in themes if t.starts_on > today), key=lambda t: t.starts_on),
            "past": [t for t in themes if t.ends_on < today],
        },
    )


@login_not_required
def theme_detail(request, slug, theme_slug):
    """A theme gathers everything the community tagged with its tags: threads, hot seats, resources..."""
    community = _readable(request, slug)
    theme = get_object_or_404(Theme, community=community, slug=theme_slug)
    documents = list(search.tagged(request.user, community, theme.tag_list)[:THEME_ITEMS])
    groups: dict[str, list] = {}
    for document in documents:
        groups.setdefault(document.kind_label, []).append(document)
    return render(
        request,
        "communities/theme_detail.html",
        {
            "community": community,
            "tab": "themes",
            "theme": theme,
            "groups": sorted(groups.items()),
        },
    )


@login_required
def theme_edit(request, slug, theme_slug=None):
    community = community_or_404(request, slug)
    require(permissions.can_manage_themes(request.user, community))
    theme = get_object_or_404(Theme, community=community, slug=theme_slug) if theme_slug else None
    # The form edits its own copy, so a rejected change cannot show in the page heading.
    editing = Theme.objects.get(pk=theme.pk) if theme else None
    form = ThemeForm(request.POST or None, instance=editing, community=community)
    if request.method == "POST" and form.is_valid():
        saved = services.theme_save(community=community, by=request.user, theme=editing, **form.cleaned_data)
        messages.success(request, f"Theme “{saved.title}” saved.")
        return redirect(saved)
    return render(
        request, "communities/theme_form.html", {"community": community, "tab": "themes", "form": form, "theme": theme}
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, services
from ..forms import CategoryForm
from ..models import Category
from ._helpers import community_view


@login_required
@community_view
def category_manage(request, community, category_slug=None):
    """Facilitators add and edit categories (name, order, archive) on one page."""
    if not permissions.can_manage_categories(request.user, community):
        raise PermissionDenied
    instance = get_object_or_404(Category, community=community, slug=category_slug) if category_slug else None
    form = CategoryForm(request.POST if request.method == "POST" else None, instance=instance, community=community)
    if request.method == "POST" and form.is_valid():
        category = services.category_save(community=community, by=request.user, category=instance, **form.cleaned_data)
        messages.success(request, f"Category “{category.name}” saved.")
        return redirect("forums:category_manage", slug=community.slug)
    categories = Category.objects.filter(community=community)
    return render(
        request,
        "forums/category_manage.html",
        {"community": community, "tab": "forums", "form": form, "categories": categories, "editing": instance},
    )


@login_required
@require_POST
@community_view
def category_move(request, community, category_slug, direction):
    """Move a category one place up or down in the order."""
    if not permissions.can_manage_categories(request.user, community):
        raise PermissionDenied
    category = get_object_or_404(Category, community=community, slug=category_slug)
    services.category_move(category=category, by=request.user, up=direction == "up")
    return redirect("forums:category_manage", slug=community.slug)


@login_required
@require_POST
@community_view
def category_follow(request, community, category_slug):
    category = get_object_or_404(Category, community=community, slug=category_slug)
    follow = request.POST.get("follow") == "1"
    try:
        services.category_follow(category=category, user=request.user, follow=follow)
    except services.ForumError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, f"You {'follow' if follow else 'no longer follow'} {category.name}.")
    return redirect(category)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
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
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and not data.get("slug"):
        data["slug"] = slugify(data.get("name", ""))[:80]
    form = CategoryForm(data, instance=instance)
    if data is not None and form.is_valid():
        category = form.save(commit=False)
        category.community = community
        if Category.objects.filter(community=community, slug=category.slug).exclude(pk=category.pk).exists():
            form.add_error("slug", "Another category already uses this web address.")
        else:
            category.save()
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
    categories = list(Category.objects.filter(community=community))
    index = next(i for i, c in enumerate(categories) if c.slug == category_slug)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(categories):
        categories[index], categories[other] = categories[other], categories[index]
        for position, category in enumerate(categories):
            Category.objects.filter(pk=category.pk).update(position=position)
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

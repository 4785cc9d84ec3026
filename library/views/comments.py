"""Comments on resources: post, edit, delete, flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import CommentForm, FlagForm
from ._helpers import comment_view, resource_view
from .resources import render_resource_page


@login_required
@require_POST
@resource_view(queryset=lambda request: selectors.resource_queryset(request.user))
def comment_create(request, resource):
    if not permissions.can_comment(request.user, resource):
        raise PermissionDenied("Only members can comment.")
    form = CommentForm(request.POST)
    if form.is_valid():
        comment = services.comment_create(resource=resource, author=request.user, body=form.cleaned_data["body"])
        return redirect(comment.get_absolute_url())
    return render_resource_page(request, resource, comment_form=form, status=400)


@login_required
@comment_view
def comment_edit(request, comment):
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Comment updated.")
        return redirect(comment.get_absolute_url())
    return render(
        request,
        "library/comment_form.html",
        {"community": comment.resource.community, "tab": "library", "comment": comment, "form": form},
    )


@login_required
@require_POST
@comment_view
def comment_delete(request, comment):
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    services.comment_delete(comment=comment, by=request.user)
    messages.success(request, "Your comment was removed.")
    return redirect(comment.resource)


@login_required
@comment_view
def comment_flag(request, comment):
    if not permissions.can_flag_comment(request.user, comment):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_create(target=comment, reporter=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. The facilitators will take a look.")
        return redirect(comment.resource)
    return render(
        request,
        "library/flag_form.html",
        {
            "community": comment.resource.community,
            "tab": "library",
            "resource": comment.resource,
            "comment": comment,
            "form": form,
            "what": "comment",
        },
    )

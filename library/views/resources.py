"""A resource's page, adding and editing resources, and what members do on them (thanks, follow, flag)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from communities.permissions import participation_refusal

from .. import permissions, selectors, services
from ..forms import CommentForm, FlagForm, ReasonForm, ResourceEditForm, ResourceForm
from ..models import Resource
from ._helpers import community_view, resource_view

KIND_INTROS = {
    Resource.Kind.DOCUMENT: "A report, a business case, a policy: something to read and reuse.",
    Resource.Kind.TEMPLATE: "A form or a blank to fill in: a benefits profile, a risk register, a project brief.",
    Resource.Kind.PRESENTATION: "Slides from a talk, a board or a gateway review.",
    Resource.Kind.TOOLKIT: "Several files that work together, with a page on how to use them.",
    Resource.Kind.GUIDE: "A page written here, in Markdown, that members improve over time (every edit is kept).",
    Resource.Kind.KEY_LINK: "A website worth knowing about, and why.",
}


def duplicate_message(error: services.DuplicateUpload) -> str:
    existing = error.existing
    resource = existing.file.resource
    return format_html(
        'This file is already in the library: <a href="{}">{}</a> (version {} of “{}”). '
        "Upload a new version there instead, or choose a different file.",
        resource.get_absolute_url(),
        resource.title,
        existing.number,
        existing.name,
    )


def render_resource_page(request, resource, *, comment_form=None, status=200):
    """The resource page; a refused comment comes back here with what was typed and why."""
    entries = selectors.files_with_versions(resource) if resource.has_files else []
    revisions = selectors.revisions_summary(resource, 5) if resource.has_text else []
    comments = selectors.comments_page(resource, request.GET.get("page"))
    for comment in comments.object_list:
        comment.resource = resource
    return render(
        request,
        "library/resource_detail.html",
        {
            "community": resource.community,
            "tab": "library",
            "resource": resource,
            "entries": entries,
            "revisions": revisions,
            "contributors": selectors.contributors(resource, entries, revisions),
            "comments": comments,
            "comment_form": comment_form or CommentForm(),
            "moderator": permissions.can_moderate(request.user, resource.community),
        },
        status=status,
    )


@login_not_required
@resource_view(queryset=lambda request: selectors.resource_queryset(request.user))
def resource_detail(request, resource):
    """The resource: its files and versions (or its text, or its link), who made it, comments."""
    return render_resource_page(request, resource)


@login_required
@community_view
def resource_add_choose(request, community):
    if not permissions.can_add_resource(request.user, community):
        raise PermissionDenied(participation_refusal(request.user, community))
    return render(
        request,
        "library/resource_add_choose.html",
        {
            "community": community,
            "tab": "library",
            "kinds": [(k, label, KIND_INTROS[k]) for k, label in Resource.Kind.choices],
        },
    )


@login_required
@community_view
def resource_add(request, community, kind):
    if kind not in Resource.Kind.values:
        raise Http404
    if not permissions.can_add_resource(request.user, community):
        raise PermissionDenied(participation_refusal(request.user, community))
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        community=community,
        kind=kind,
        refused_uploads=request.library_refused_uploads,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resource = services.resource_create(
                community=community,
                author=request.user,
                kind=kind,
                title=data["title"],
                summary=data.get("summary", ""),
                url=data.get("url", ""),
                body=data.get("body", ""),
                tags=data.get("tags", ""),
                theme=data.get("theme"),
                organisation=data.get("organisation", ""),
                licence=data.get("licence", Resource.Licence.ASK),
                editing=data.get("editing", Resource.Editing.MEMBERS),
                inspected=data.get("file"),
            )
        except services.DuplicateUpload as exc:
            form.add_error("file", duplicate_message(exc))
        except services.LibraryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{resource.title}” is in the library.")
            return redirect(resource)
    return render(
        request,
        "library/resource_form.html",
        {
            "community": community,
            "tab": "library",
            "form": form,
            "kind": kind,
            "kind_label": Resource.Kind(kind).label,
            "intro": KIND_INTROS[kind],
        },
    )


@login_required
@resource_view
def resource_edit(request, resource):
    if not permissions.can_edit_resource(request.user, resource):
        raise PermissionDenied
    form = ResourceEditForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(resource=resource, by=request.user, **form.cleaned_data)
        except services.LibraryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Details saved.")
            return redirect(resource)
    return render(
        request,
        "library/resource_edit.html",
        {"community": resource.community, "tab": "library", "resource": resource, "form": form},
    )


@login_required
@resource_view
def resource_delete(request, resource):
    if not permissions.can_delete_resource(request.user, resource):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        community = resource.community
        title = resource.title
        services.resource_delete(resource=resource, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"“{title}” and its files were deleted.")
        return redirect("library:home", slug=community.slug)
    return render(
        request,
        "library/resource_delete.html",
        {"community": resource.community, "tab": "library", "resource": resource, "form": form},
    )


@login_required
@require_POST
@resource_view
def resource_feature(request, resource):
    featured = request.POST.get("featured") == "1"
    try:
        services.resource_feature(resource=resource, by=request.user, featured=featured)
    except services.LibraryError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Pinned to the top of the library." if featured else "No longer pinned.")
    return redirect(resource)


@login_required
@require_POST
@resource_view
def resource_react(request, resource, kind):
    try:
        on = services.reaction_toggle(resource=resource, user=request.user, kind=kind)
    except services.LibraryError as exc:
        raise PermissionDenied(str(exc)) from exc
    label = "Thanks" if kind == "thanks" else "Helpful"
    messages.success(request, f"{label}: noted." if on else f"{label}: taken back.")
    return redirect(resource)


@login_required
@require_POST
@resource_view
def resource_follow(request, resource):
    follow = request.POST.get("follow") == "1"
    try:
        services.resource_follow(resource=resource, user=request.user, follow=follow)
    except services.LibraryError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "You will hear of new versions." if follow else "You no longer follow this resource.")
    return redirect(resource)


@login_required
@resource_view
def resource_flag(request, resource):
    if not permissions.can_flag_resource(request.user, resource):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.flag_create(target=resource, reporter=request.user, **form.cleaned_data)
        messages.success(request, "Thank you. The facilitators will take a look.")
        return redirect(resource)
    return render(
        request,
        "library/flag_form.html",
        {"community": resource.community, "tab": "library", "resource": resource, "form": form, "what": "resource"},
    )


@login_required
@require_POST
@resource_view
def resource_moderate(request, resource):
    """Hide a resource from members, or bring it back (facilitators)."""
    hidden = request.POST.get("action") == "hide"
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.resource_set_hidden(resource=resource, by=request.user, hidden=hidden, reason=reason)
    except services.LibraryError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, "Hidden from members." if hidden else "Restored.")
    return redirect(resource)

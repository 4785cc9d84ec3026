"""Guides: the text members write in the platform, its revisions, and what changed between them."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from communities import extensions
from cop_platform.markup import render_markdown_safe

from .. import permissions, services
from ..forms import GuideForm
from ..models import GuideRevision, Resource
from ._helpers import community_view, paginate, resource_view

REVISIONS_PAGE_SIZE = 30


@login_required
@resource_view
def guide_edit(request, resource):
    if not permissions.can_edit_text(request.user, resource):
        raise PermissionDenied("You cannot edit this text.")
    form = GuideForm(
        request.POST or None,
        initial={"title": resource.title, "body": resource.body},
        body_required=resource.kind == Resource.Kind.GUIDE,
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            preview = render_markdown_safe(data["body"])
        else:
            try:
                revision = services.guide_edit(
                    resource=resource, editor=request.user, title=data["title"], body=data["body"], note=data["note"]
                )
            except services.LibraryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Saved as revision {revision.number}." if revision else "Nothing changed.")
                return redirect(resource)
    return render(
        request,
        "library/guide_form.html",
        {"community": resource.community, "tab": "library", "resource": resource, "form": form, "preview": preview},
    )


@login_not_required
@resource_view
def revision_list(request, resource):
    if not permissions.can_view_revisions(request.user, resource):
        raise Http404
    page = paginate(request, resource.revisions.select_related("editor").order_by("-number"), REVISIONS_PAGE_SIZE)
    return render(
        request,
        "library/revision_list.html",
        {"community": resource.community, "tab": "library", "resource": resource, "page": page},
    )


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    """Changed lines as (kind, text) pairs, kind being 'add', 'del', 'hunk' or 'same'; the template escapes text."""
    lines = []
    for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines


@login_not_required
@resource_view
def revision_detail(request, resource, number):
    if not permissions.can_view_revisions(request.user, resource):
        raise Http404
    revision = get_object_or_404(GuideRevision.objects.select_related("editor"), resource=resource, number=number)
    previous = resource.revisions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "library/revision_detail.html",
        {
            "community": resource.community,
            "tab": "library",
            "resource": resource,
            "revision": revision,
            "previous": previous,
            "diff": _diff(previous.body if previous else "", revision.body),
            "is_current": revision.body == resource.body and revision.title == resource.title,
        },
    )


@login_required
@require_POST
@resource_view
def revision_restore(request, resource, number):
    revision = get_object_or_404(GuideRevision, resource=resource, number=number)
    if not permissions.can_edit_text(request.user, resource):
        raise PermissionDenied
    restored = services.guide_restore(resource=resource, revision=revision, by=request.user)
    if restored:
        messages.success(request, f"Revision {number} restored (saved as revision {restored.number}).")
    else:
        messages.info(request, "That is already the current text.")
    return redirect(resource)


def _starting_text(content, part: str) -> str:
    """The guide's first draft: the chosen parts of the source, credited, with a link back."""
    parts = [p for p in content.parts if part == "all" or p.key == part] or list(content.parts)
    sections = [f"## {p.label}\n\n{p.body.strip()}\n\n*— {p.author}*" for p in parts]
    return "\n\n".join([*sections, f"Written up from [{content.title}]({content.url})."])


@login_required
@community_view
def guide_from_source(request, community, source_key, pk):
    """Turn a thread (or its accepted answer) into a library guide that keeps a link to its source."""
    content = extensions.content_of(source_key, request.user, pk)
    if content is None or content.community_id != community.pk:
        raise Http404
    is_author = content.author_id is not None and content.author_id == request.user.pk
    if not permissions.can_add_resource(request.user, community) or not (
        is_author or permissions.can_moderate(request.user, community)
    ):
        raise PermissionDenied("The author of the thread and the facilitators can write it up as a guide.")
    part = request.GET.get("from", "all")
    form = GuideForm(request.POST or None, initial={"title": content.title, "body": _starting_text(content, part)})
    del form.fields["note"]
    if request.method == "POST" and form.is_valid():
        guide = services.guide_from_source(
            community=community,
            by=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            source=content.obj,
            source_url=content.url,
            source_title=content.title,
            tags=content.tags,
        )
        messages.success(request, "The guide is in the library. Members can keep improving it.")
        return redirect(guide)
    return render(
        request,
        "library/guide_from_source.html",
        {"community": community, "tab": "library", "content": content, "form": form, "part": part},
    )

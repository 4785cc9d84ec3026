"""Files in and out: new versions, toolkit files, and the permission-checked downloads and previews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import permissions, services, storage
from ..forms import ToolkitFileForm, VersionForm
from ..models import Resource, ResourceFile, ResourceVersion
from ._helpers import resource_view
from .resources import duplicate_message


def _version(resource: Resource, version_pk: int) -> ResourceVersion:
    return get_object_or_404(ResourceVersion.objects.select_related("file"), pk=version_pk, file__resource=resource)


@login_not_required
@resource_view
def version_download(request, resource, version_pk):
    """Any version, current or older, for whoever may read the resource, as an inert attachment."""
    version = _version(resource, version_pk)
    if not permissions.can_download(request.user, resource, version):
        raise Http404
    services.download_record(resource=resource, user=request.user)
    return storage.file_response(
        key=version.storage_key, filename=version.name, content_type=version.served_content_type
    )


@login_not_required
@resource_view
def file_download(request, resource, file_pk):
    """The file's current version: the default download."""
    file = get_object_or_404(ResourceFile.objects.select_related("current_version"), pk=file_pk, resource=resource)
    version = file.current_version
    if version is None or not permissions.can_download(request.user, resource, version):
        raise Http404("No version of this file can be downloaded yet.")
    services.download_record(resource=resource, user=request.user)
    return storage.file_response(
        key=version.storage_key, filename=version.name, content_type=version.served_content_type
    )


@login_not_required
@resource_view
def version_preview(request, resource, version_pk):
    """The preview image we rendered ourselves (a PNG), shown inline on the resource page."""
    version = _version(resource, version_pk)
    if not version.preview_key or not permissions.can_download(request.user, resource, version):
        raise Http404
    return storage.file_response(
        key=version.preview_key, filename=f"preview-{version.pk}.png", content_type="image/png", inline=True
    )


def _render_upload(request, resource, form, *, file=None, template="library/version_form.html"):
    return render(
        request,
        template,
        {"community": resource.community, "tab": "library", "resource": resource, "file": file, "form": form},
    )


@login_required
@resource_view
def version_upload(request, resource, file_pk):
    """Upload a new version of one file, with a note on what changed."""
    file = get_object_or_404(ResourceFile, pk=file_pk, resource=resource)
    if not permissions.can_edit_resource(request.user, resource):
        raise PermissionDenied("Only the author and the facilitators upload new versions.")
    form = VersionForm(request.POST or None, request.FILES or None, refused_uploads=request.library_refused_uploads)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_add(
                resource=resource,
                file=file,
                by=request.user,
                inspected=form.cleaned_data["file"],
                change_note=form.cleaned_data["change_note"],
            )
        except services.DuplicateUpload as exc:
            form.add_error("file", duplicate_message(exc))
        except services.LibraryError as exc:
            form.add_error(None, str(exc))
        else:
            if version.is_available:
                messages.success(request, f"Version {version.number} is now the current one.")
            else:
                messages.info(
                    request, f"Version {version.number} is being checked for viruses; it will be listed soon."
                )
            return redirect(resource)
    return _render_upload(request, resource, form, file=file)


@login_required
@resource_view
def toolkit_file_add(request, resource):
    """Add another file to a toolkit."""
    if resource.kind != Resource.Kind.TOOLKIT or not permissions.can_edit_resource(request.user, resource):
        raise PermissionDenied("Only the author and the facilitators add files to a toolkit.")
    form = ToolkitFileForm(
        request.POST or None, request.FILES or None, refused_uploads=request.library_refused_uploads
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.version_add(
                resource=resource,
                file=None,
                by=request.user,
                inspected=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
            )
        except services.DuplicateUpload as exc:
            form.add_error("file", duplicate_message(exc))
        except services.LibraryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "File added to the toolkit.")
            return redirect(resource)
    return _render_upload(request, resource, form, template="library/toolkit_file_form.html")


@login_required
@require_POST
@resource_view
def version_delete(request, resource, version_pk):
    version = _version(resource, version_pk)
    version.file.resource = resource
    if not permissions.can_edit_resource(request.user, resource):
        raise PermissionDenied
    try:
        services.version_delete(version=version, by=request.user)
    except services.LibraryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Version {version.number} of “{version.file.title}” was removed.")
    return redirect(resource)

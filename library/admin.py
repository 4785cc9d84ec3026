from django.contrib import admin

from .models import GuideRevision, Resource, ResourceComment, ResourceFile, ResourceVersion


class ResourceFileInline(admin.TabularInline):
    model = ResourceFile
    extra = 0
    fields = ["title", "position", "current_version", "version_count"]
    readonly_fields = ["current_version", "version_count"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "community", "author", "licence", "is_featured", "is_hidden", "created_at"]
    list_filter = ["kind", "licence", "is_featured", "is_hidden", "community"]
    search_fields = ["title", "summary", "tags", "organisation"]
    list_select_related = ["community", "author"]
    autocomplete_fields = ["author"]
    readonly_fields = ["thanks_count", "helpful_count", "download_count", "comment_count", "body_html"]
    inlines = [ResourceFileInline]


@admin.register(ResourceVersion)
class ResourceVersionAdmin(admin.ModelAdmin):
    """Versions are created by uploads; here they can be inspected, not edited."""

    list_display = ["name", "number", "file", "size", "content_type", "scan_state", "uploaded_by", "uploaded_at"]
    list_filter = ["scan_state", "content_type"]
    search_fields = ["name", "sha256"]
    list_select_related = ["file", "uploaded_by"]
    readonly_fields = [f.name for f in ResourceVersion._meta.fields if f.name != "change_note"]

    def has_add_permission(self, request):
        return False


@admin.register(GuideRevision)
class GuideRevisionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "editor", "created_at"]
    list_select_related = ["editor"]
    readonly_fields = ["resource", "number", "title", "body", "editor", "created_at"]


@admin.register(ResourceComment)
class ResourceCommentAdmin(admin.ModelAdmin):
    list_display = ["resource", "author", "status", "is_deleted", "created_at"]
    list_filter = ["status", "is_deleted"]
    list_select_related = ["resource", "author"]
    readonly_fields = ["body_html"]

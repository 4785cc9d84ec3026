"""Site staff's view of the jobs board; facilitators work in the community pages."""

from django.contrib import admin

from .models import JobSearch, JobSettings, Posting


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "community", "status", "is_hidden", "closes_on", "apply_clicks"]
    list_filter = ["status", "is_hidden", "contract", "working_pattern", "community"]
    search_fields = ["title", "employer", "location"]
    list_select_related = ["community"]
    autocomplete_fields = ["community", "author"]
    readonly_fields = ["description_html", "closes_at", "apply_clicks", "created_at", "published_at", "closed_at"]


@admin.register(JobSettings)
class JobSettingsAdmin(admin.ModelAdmin):
    list_display = ["community", "require_approval", "max_days", "daily_limit"]
    list_select_related = ["community"]
    autocomplete_fields = ["community"]


@admin.register(JobSearch)
class JobSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "community", "tags", "working_pattern", "location"]
    list_select_related = ["user", "community"]
    autocomplete_fields = ["user", "community"]

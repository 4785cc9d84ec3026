from django.contrib import admin

from .models import Event, Registration, Series, Speaker


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "starts_at", "format", "capacity", "going_count", "waiting_count"]
    list_filter = ["format", "is_cancelled"]
    list_select_related = ["community"]
    search_fields = ["title", "venue"]
    raw_id_fields = ["created_by", "series", "theme", "community"]
    inlines = [SpeakerInline]
    readonly_fields = ["going_count", "waiting_count", "sequence"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["event", "user", "status", "waitlist_position", "attended"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    raw_id_fields = ["event", "user"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "frequency", "interval"]
    list_select_related = ["community"]
    raw_id_fields = ["community", "created_by"]

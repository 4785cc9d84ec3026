from django.contrib import admin

from .models import CommunityDay, Topic


@admin.register(CommunityDay)
class CommunityDayAdmin(admin.ModelAdmin):
    """Roll-up rows, for checking the task; rebuilt from events, so read-only."""

    list_display = ("community", "day", "members", "active_members", "contributors", "posts", "questions")
    list_filter = ("community",)
    list_select_related = ("community",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("key", "community", "is_question", "started_at", "first_reply_at", "by_newcomer")
    list_filter = ("is_question", "community")
    list_select_related = ("community",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

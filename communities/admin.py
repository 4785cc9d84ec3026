from django.contrib import admin

from .models import ActivityEvent, Community, Flag, Invitation, Membership, ModerationAction, OutboundEmail, Segment


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "join_policy", "stage", "created_at"]
    list_filter = ["visibility", "join_policy", "stage"]
    search_fields = ["name", "slug", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["description_html", "created_at"]
    inlines = [SegmentInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "status", "joined_at", "welcomed_at", "welcome_method"]
    list_filter = ["community", "role", "status", "welcome_method"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "community__name"]
    list_select_related = ["user", "community"]
    autocomplete_fields = ["user", "community", "decided_by", "welcomed_by"]
    filter_horizontal = ["segments"]
    readonly_fields = ["welcome_html", "created_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "community", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["community"]
    search_fields = ["email"]
    list_select_related = ["community", "invited_by"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]
    autocomplete_fields = ["community", "invited_by"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb", "community"]
    list_select_related = ["community", "actor", "target_type"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "reason", "status", "reporter", "target_type", "target_id"]
    list_filter = ["status", "reason", "community"]
    list_select_related = ["community", "reporter", "target_type"]
    readonly_fields = ["target_type", "target_id", "reporter", "created_at", "resolved_by", "resolved_at"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The moderation log is a record: nobody edits it."""

    list_display = ["created_at", "community", "moderator", "action", "target_user", "summary"]
    list_filter = ["action", "community"]
    search_fields = ["summary", "reason", "target_user__email", "moderator__email"]
    list_select_related = ["community", "moderator", "target_user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Transactional email as stored for the workers: what is waiting, what was sent, what failed and why."""

    list_display = ["created_at", "to", "subject", "attempts", "sent_at", "failed_at", "next_attempt_at"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), ("failed_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request):
        return False

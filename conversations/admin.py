from django.contrib import admin

from .models import Block, Conversation, MessageReport, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "started_by", "message_count", "last_message_at"]
    list_filter = ["community"]
    list_select_related = ["community", "started_by"]
    raw_id_fields = ["started_by"]
    inlines = [ParticipantInline]
    # Message bodies stay out of the admin: they are private to the participants (reports show the one message).


@admin.register(MessageReport)
class MessageReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "reporter", "status", "created_at"]
    list_filter = ["status", "community"]
    list_select_related = ["community", "reporter"]
    raw_id_fields = ["message", "reporter", "closed_by"]
    readonly_fields = ["message_text"]

    @admin.display(description="Reported message")
    def message_text(self, obj):
        return obj.message.body


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["blocker", "blocked", "created_at"]
    list_select_related = ["blocker", "blocked"]
    raw_id_fields = ["blocker", "blocked"]

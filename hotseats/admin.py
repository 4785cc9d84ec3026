"""Staff inspect hot seats here; facilitators schedule and moderate them on the site (counters read-only)."""

from django.contrib import admin
from django.utils.text import Truncator

from .models import Answer, Expert, HotSeat, Question


class ExpertInline(admin.TabularInline):
    model = Expert
    fields = ["user", "email", "is_guest", "accepted_at", "bio"]
    readonly_fields = ["accepted_at"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(HotSeat)
class HotSeatAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "opens_at", "closes_at", "state", "question_count", "answered_count"]
    list_filter = ["community"]
    search_fields = ["title", "topic", "community__name"]
    list_select_related = ["community"]
    date_hierarchy = "opens_at"
    readonly_fields = ["state", "question_count", "answered_count", "sequence", "topic_html", "summary_html"]
    raw_id_fields = ["community", "theme", "created_by"]
    inlines = [ExpertInline]

    @admin.display(description="state")
    def state(self, hotseat):
        return HotSeat.State(hotseat.state).label  # follows the clock


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["pk", "hotseat", "asker", "vote_count", "answer_count", "is_hidden", "created_at", "excerpt"]
    list_filter = ["is_hidden"]
    search_fields = ["body", "hotseat__title", "asker__email"]
    list_select_related = ["hotseat", "asker"]
    readonly_fields = ["vote_count", "answer_count", "body_html", "merged_into"]
    raw_id_fields = ["hotseat", "asker"]

    @admin.display(description="question")
    def excerpt(self, question):
        return Truncator(question.body).chars(60)


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["pk", "question", "expert", "created_at"]
    search_fields = ["body", "expert__email"]
    list_select_related = ["question", "expert"]
    readonly_fields = ["body_html"]
    raw_id_fields = ["question", "expert"]

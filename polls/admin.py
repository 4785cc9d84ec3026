"""Site staff's view of polls and surveys. Facilitators work in the community pages; this is for support.

Anonymous surveys' responses are not listed here: the admin must not become a way to read them one by one.
"""

from django.contrib import admin

from .models import Choice, Option, Poll, Question, Section, Survey


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    readonly_fields = ["vote_count"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "community", "kind", "results", "public_voters", "opens_at", "closes_at"]
    list_filter = ["community", "kind", "results", "public_voters"]
    search_fields = ["question"]
    list_select_related = ["community"]
    autocomplete_fields = ["community", "created_by"]
    readonly_fields = ["voter_count", "description_html", "host_type", "host_id", "created_at"]
    inlines = [ChoiceInline]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "is_anonymous", "published_at", "opens_at", "closes_at", "response_count"]
    list_filter = ["community", "is_anonymous"]
    search_fields = ["title"]
    list_select_related = ["community"]
    autocomplete_fields = ["community", "created_by"]
    filter_horizontal = ["segments"]
    readonly_fields = ["response_count", "description_html", "created_at", "reminder_sent_at"]
    inlines = [SectionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "section", "kind", "required", "position"]
    list_filter = ["kind", "required"]
    search_fields = ["text", "survey__title"]
    list_select_related = ["survey", "section"]
    raw_id_fields = ["survey", "section"]
    inlines = [OptionInline]

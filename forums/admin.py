"""Staff inspect the forums here; members and facilitators work through the site, whose services keep counters,
search and the moderation log right. So threads and posts are read-mostly: text and state stay editable for an
emergency, counters and rendered HTML are read-only."""

from django.contrib import admin
from django.utils.text import Truncator

from .models import Category, Post, Reaction, Thread


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "position", "thread_count", "is_archived"]
    list_filter = ["community", "is_archived"]
    search_fields = ["name", "slug", "community__name"]
    list_select_related = ["community"]
    readonly_fields = ["thread_count"]
    autocomplete_fields = ["community"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "category", "kind", "author", "reply_count", "last_activity_at", "is_hidden"]
    list_filter = ["kind", "is_hidden", "is_pinned", "is_locked", "is_closed", "community"]
    search_fields = ["title", "author__email", "author__first_name", "author__last_name"]
    list_select_related = ["community", "category", "author"]
    date_hierarchy = "created_at"
    readonly_fields = ["reply_count", "last_activity_at", "last_post_author", "accepted_post", "created_at"]
    raw_id_fields = ["author", "category", "community"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["pk", "thread", "author", "status", "is_opening", "is_deleted", "created_at", "excerpt"]
    list_filter = ["status", "is_opening", "is_deleted"]
    search_fields = ["body", "thread__title", "author__email"]
    list_select_related = ["thread", "author"]
    date_hierarchy = "created_at"
    fields = ["thread", "author", "parent", "status", "is_deleted", "body", "body_html", "created_at", "published_at"]
    readonly_fields = ["thread", "author", "parent", "body_html", "created_at", "published_at"]

    @admin.display(description="text")
    def excerpt(self, post):
        return Truncator(post.body).chars(60)


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin):
    list_display = ["kind", "post", "user", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["post", "user"]
    raw_id_fields = ["post", "user"]

"""Staff inspect newsletters, deliveries, alerts and preferences here; facilitators shape and send issues on the
site, and sending, counting and tracking belong to the workers, so those fields are read-only."""

from django.contrib import admin

from .models import Alert, Delivery, MailSettings, Newsletter, Subscription


@admin.register(Newsletter)
class NewsletterAdmin(admin.ModelAdmin):
    list_display = ["subject", "community", "period", "status", "scheduled_for", "sent_at", "finished_at"]
    list_filter = ["status", "community"]
    search_fields = ["subject", "community__name"]
    list_select_related = ["community"]
    date_hierarchy = "period"
    readonly_fields = ["status", "sent_at", "finished_at", "intro_html", "sections", "article", "created_by"]
    raw_id_fields = ["community"]
    filter_horizontal = ["segments"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "newsletter",
        "status",
        "attempts",
        "sent_at",
        "opened_at",
        "clicked_at",
        "unsubscribed_at",
    ]
    list_filter = ["status", "possible_duplicate"]
    search_fields = ["email", "newsletter__subject"]
    list_select_related = ["newsletter"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "community", "alert_type", "frequency", "created_at", "sent_at"]
    list_filter = ["alert_type", "frequency"]
    search_fields = ["title", "user__email"]
    list_select_related = ["user", "community"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Alert._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "newsletter", "alerts", "updated_at"]
    list_filter = ["newsletter", "community"]
    search_fields = ["user__email", "community__name"]
    list_select_related = ["user", "community"]
    raw_id_fields = ["user", "community"]


@admin.register(MailSettings)
class MailSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "no_email", "bounced_at"]
    list_filter = ["no_email"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

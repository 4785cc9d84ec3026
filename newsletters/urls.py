"""Community-scoped newsletter pages live under /c/<slug>/newsletter/; email endpoints under /n/."""

from django.urls import include, path

from .views import archive, manage, notifications, public

app_name = "newsletters"

community_urls = [
    path("", archive.archive, name="archive"),
    path("prepare/", manage.newsletter_prepare, name="prepare"),
    path("<int:pk>/", archive.archive_detail, name="archive_detail"),
    path("<int:pk>/edit/", manage.newsletter_edit, name="edit"),
    path("<int:pk>/preview.<str:fmt>", manage.newsletter_preview, name="preview"),
    path("<int:pk>/action/", manage.newsletter_action, name="action"),
    path("<int:pk>/send/", manage.newsletter_send_confirm, name="send_confirm"),
    path("<int:pk>/report/", manage.newsletter_report, name="report"),
]

email_urls = [
    path("u/<str:token>/", public.unsubscribe, name="unsubscribe"),
    path("o/<str:token>.gif", public.open_pixel, name="open"),
    path("c/<str:token>/", public.click, name="click"),
    path("preferences/", public.preferences, name="preferences"),
    path("preferences/<str:token>/", public.preferences_token, name="preferences_token"),
]

notification_urls = [
    path("", notifications.notification_list, name="notifications"),
    path("read-all/", notifications.notification_read_all, name="notifications_read_all"),
    path("<int:pk>/", notifications.notification_open, name="notification_open"),
    path("<int:pk>/read/", notifications.notification_read, name="notification_read"),
]

urlpatterns = [
    path("notifications/", include(notification_urls)),
    path("c/<slug:slug>/newsletter/", include(community_urls)),
    path("n/", include(email_urls)),
]

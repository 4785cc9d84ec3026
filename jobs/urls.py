"""Jobs pages: per community under /c/<slug>/jobs/, and the member's own pages under /jobs/."""

from django.urls import include, path

from .views import browse, manage

app_name = "jobs"

posting_urls = [
    path("", browse.posting_detail, name="posting_detail"),
    path("apply/", browse.posting_apply, name="posting_apply"),
    path("save/", browse.posting_save, name="posting_save"),
    path("edit/", manage.posting_edit, name="posting_edit"),
    path("close/", manage.posting_close, name="posting_close"),
    path("extend/", manage.posting_extend, name="posting_extend"),
    path("flag/", manage.posting_flag, name="posting_flag"),
]

community_urls = [
    path("", browse.jobs_list, name="jobs_list"),
    path("feed.atom", browse.feed, name="feed"),
    path("new/", manage.posting_create, name="posting_create"),
    path("moderation/", manage.moderation_queue, name="moderation_queue"),
    path("moderation/<int:pk>/", manage.moderation_act, name="moderation_act"),
    path("settings/", manage.jobs_settings, name="settings"),
    path("<int:pk>/", include(posting_urls)),
]

urlpatterns = [
    path("c/<slug:slug>/jobs/", include(community_urls)),
    path("jobs/", browse.all_jobs, name="all_jobs"),
    path("jobs/saved/", browse.saved, name="saved"),
    path("jobs/searches/", browse.searches, name="searches"),
]

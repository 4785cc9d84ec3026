from django.urls import include, path

from .views import browse, comments, files, guides, moderation, resources

app_name = "library"

resource_urls = [
    path("", resources.resource_detail, name="resource_detail"),
    path("edit/", resources.resource_edit, name="resource_edit"),
    path("delete/", resources.resource_delete, name="resource_delete"),
    path("feature/", resources.resource_feature, name="resource_feature"),
    path("react/<str:kind>/", resources.resource_react, name="resource_react"),
    path("follow/", resources.resource_follow, name="resource_follow"),
    path("flag/", resources.resource_flag, name="resource_flag"),
    path("moderate/", resources.resource_moderate, name="resource_moderate"),
    path("files/new/", files.toolkit_file_add, name="toolkit_file_add"),
    path("files/<int:file_pk>/download/", files.file_download, name="file_download"),
    path("files/<int:file_pk>/new-version/", files.version_upload, name="version_upload"),
    path("versions/<int:version_pk>/download/", files.version_download, name="version_download"),
    path("versions/<int:version_pk>/preview/", files.version_preview, name="version_preview"),
    path("versions/<int:version_pk>/delete/", files.version_delete, name="version_delete"),
    path("text/edit/", guides.guide_edit, name="guide_edit"),
    path("revisions/", guides.revision_list, name="revision_list"),
    path("revisions/<int:number>/", guides.revision_detail, name="revision_detail"),
    path("revisions/<int:number>/restore/", guides.revision_restore, name="revision_restore"),
    path("comments/", comments.comment_create, name="comment_create"),
]

urlpatterns = [
    path("", browse.home, name="home"),
    path("all/", browse.browse, name="browse"),
    path("links/", browse.key_links, name="key_links"),
    path("tags/<str:tag>/", browse.tag_detail, name="tag_detail"),
    path("add/", resources.resource_add_choose, name="resource_add_choose"),
    path("add/<str:kind>/", resources.resource_add, name="resource_add"),
    path("guides/from/<str:source_key>/<int:pk>/", guides.guide_from_source, name="guide_from_source"),
    path("r/<int:pk>/", include(resource_urls)),
    path("comments/<int:comment_pk>/edit/", comments.comment_edit, name="comment_edit"),
    path("comments/<int:comment_pk>/delete/", comments.comment_delete, name="comment_delete"),
    path("comments/<int:comment_pk>/flag/", comments.comment_flag, name="comment_flag"),
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("moderation/<str:what>/<int:pk>/", moderation.moderation_act, name="moderation_act"),
]

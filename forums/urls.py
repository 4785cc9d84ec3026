from django.urls import path

from .views import categories, lists, moderation, posts, threads

app_name = "forums"

urlpatterns = [
    path("", lists.latest, name="latest"),
    path("unanswered/", lists.unanswered, name="unanswered"),
    path("mine/", lists.mine, name="mine"),
    path("articles/", lists.articles, name="articles"),
    path("tags/", lists.tag_list, name="tag_list"),
    # Tag slugs keep non-Latin letters (taggit's allow_unicode), which the slug converter would refuse.
    path("tags/<str:tag_slug>/", lists.tag_detail, name="tag_detail"),
    path("categories/", categories.category_manage, name="category_manage"),
    path("categories/<slug:category_slug>/edit/", categories.category_manage, name="category_edit"),
    path("categories/<slug:category_slug>/move/<str:direction>/", categories.category_move, name="category_move"),
    path("categories/<slug:category_slug>/follow/", categories.category_follow, name="category_follow"),
    path("c/<slug:category_slug>/", lists.category_detail, name="category_detail"),
    path("new/", threads.thread_create, name="thread_create"),
    path("t/<int:pk>/", threads.thread_detail, name="thread_detail"),
    path("t/<int:pk>/reply/", threads.thread_reply, name="thread_reply"),
    path("t/<int:pk>/edit/", threads.thread_edit, name="thread_edit"),
    path("t/<int:pk>/follow/", threads.thread_follow, name="thread_follow"),
    path("t/<int:pk>/accept/", threads.thread_accept, name="thread_accept"),
    path("t/<int:pk>/moderate/", threads.thread_moderate, name="thread_moderate"),
    path("p/<int:pk>/", posts.post_permalink, name="post_permalink"),
    path("p/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", posts.post_delete, name="post_delete"),
    path("p/<int:pk>/react/<str:kind>/", posts.post_react, name="post_react"),
    path("p/<int:pk>/flag/", posts.post_flag, name="post_flag"),
    path("p/<int:pk>/revisions/", posts.post_revisions, name="post_revisions"),
    path("p/<int:pk>/moderate/", posts.post_moderate, name="post_moderate"),
    path("moderation/", moderation.moderation_queue, name="moderation_queue"),
    path("moderation/log/", moderation.moderation_log, name="moderation_log"),
    path("moderation/members/<int:user_pk>/", moderation.member_sanction, name="member_sanction"),
]

from django.urls import path

from .views import blog

app_name = "forums_blog"

urlpatterns = [
    path("<int:pk>/articles/", blog.member_blog, name="member_blog"),
    path("<int:pk>/articles/feed/", blog.member_blog_feed, name="member_blog_feed"),
]

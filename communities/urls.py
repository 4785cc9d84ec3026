from django.urls import include, path

from . import feeds as atom
from .views import calendar, communities, directory, feeds, invitations, membership, profiles, search, themes, welcome

app_name = "communities"

manage_urls = [
    path("requests/", membership.requests_queue, name="requests_queue"),
    path("requests/<int:pk>/approve/", membership.request_decide, {"decision": "approve"}, name="request_approve"),
    path("requests/<int:pk>/decline/", membership.request_decide, {"decision": "decline"}, name="request_decline"),
    path("members/<int:pk>/", membership.member_manage, name="member_manage"),
    path("banned/", membership.banned_list, name="banned_list"),
    path("invitations/", invitations.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("welcome/", welcome.welcome_queue, name="welcome_queue"),
    path("welcome/<int:pk>/", welcome.welcome_compose, name="welcome_compose"),
    path("settings/", communities.community_edit, name="community_edit"),
]

community_urls = [
    path("", communities.community_detail, name="community_detail"),
    path("join/", membership.join, name="join"),
    path("request/", membership.join_request, name="join_request"),
    path("leave/", membership.leave, name="leave"),
    path("members/", directory.member_directory, name="member_directory"),
    path("calendar.ics", calendar.calendar_feed, name="calendar_feed"),
    path("feeds/", feeds.feed_list, name="feed_list"),
    path("feeds/address/", feeds.feed_token_reset, name="feed_token_reset"),
    path("feeds/<str:key>/", atom.community_feed, name="feed"),
    path("themes/", themes.theme_list, name="theme_list"),
    path("themes/new/", themes.theme_edit, name="theme_create"),
    path("themes/<slug:theme_slug>/", themes.theme_detail, name="theme_detail"),
    path("themes/<slug:theme_slug>/edit/", themes.theme_edit, name="theme_edit"),
    path("manage/", include(manage_urls)),
]

urlpatterns = [
    path("", communities.home, name="home"),
    path("communities/", communities.community_list, name="community_list"),
    path("communities/new/", communities.community_create, name="community_create"),
    path("c/<slug:slug>/", include(community_urls)),
    path("invitations/<str:token>/", invitations.invitation_accept, name="invitation_accept"),
    path("people/<int:pk>/", profiles.profile_detail, name="profile_detail"),
    path("search/", search.search, name="search"),
    path("feeds/<str:token>/<str:key>/", atom.community_feed, name="feed_private"),
]

from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("messages/", views.conversation_list, name="conversation_list"),
    path("messages/new/", views.compose, name="compose"),
    path("messages/blocked/", views.block_list, name="block_list"),
    path("messages/block/<int:user_pk>/", views.member_block, name="member_block"),
    path("messages/unblock/<int:user_pk>/", views.member_unblock, name="member_unblock"),
    path("messages/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("messages/<int:pk>/reply/", views.conversation_reply, name="conversation_reply"),
    path("messages/<int:pk>/leave/", views.conversation_leave, name="conversation_leave"),
    path("messages/<int:pk>/report/<int:message_pk>/", views.message_report, name="message_report"),
    path("c/<slug:slug>/messages/reports/", views.report_list, name="report_list"),
    path("c/<slug:slug>/messages/reports/<int:pk>/close/", views.report_close, name="report_close"),
]

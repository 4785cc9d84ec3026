from django.urls import path

from .views import calendars, hotseats

app_name = "hotseats"

urlpatterns = [
    path("", hotseats.hotseat_list, name="hotseat_list"),
    path("new/", hotseats.hotseat_create, name="hotseat_create"),
    path("calendar.ics", calendars.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", calendars.calendar_feed_private, name="calendar_feed_private"),
    path("calendar/reset/", calendars.calendar_feed_reset, name="calendar_feed_reset"),
    path("<int:pk>/", hotseats.hotseat_detail, name="hotseat_detail"),
    path("<int:pk>/edit/", hotseats.hotseat_edit, name="hotseat_edit"),
    path("<int:pk>/summary/", hotseats.hotseat_summary, name="hotseat_summary"),
    path("<int:pk>/expert/", hotseats.expert_desk, name="expert_desk"),
    path("<int:pk>/event.ics", calendars.hotseat_ics, name="hotseat_ics"),
    path("<int:pk>/ask/", hotseats.question_ask, name="question_ask"),
    path("<int:pk>/questions/<int:question_pk>/vote/", hotseats.question_vote, name="question_vote"),
    path("<int:pk>/questions/<int:question_pk>/answer/", hotseats.answer_post, name="answer_post"),
    path("<int:pk>/questions/<int:question_pk>/moderate/", hotseats.question_moderate, name="question_moderate"),
]

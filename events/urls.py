from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/rsvp/", views.event_rsvp, name="event_rsvp"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("<int:pk>/attendees/", views.attendee_list, name="attendee_list"),
    path("<int:pk>/attendees/attendance/", views.attendance_mark, name="attendance_mark"),
    path("<int:pk>/attendees.csv", views.attendee_export, name="attendee_export"),
    path("<int:pk>/notes/", views.notes_edit, name="notes_edit"),
]

from django.urls import path

from . import views

app_name = "facilitation"

urlpatterns = [
    path("", views.today, name="today"),
    path("health/", views.health, name="health"),
    path("knowledge/", views.knowledge_map, name="knowledge_map"),
    path("ladder/", views.ladder_page, name="ladder"),
    path("cohorts/", views.cohorts_page, name="cohorts"),
    path("lifecycle/", views.lifecycle_page, name="lifecycle"),
    path("ladder/<int:pk>/nudge/", views.nudge, name="nudge"),
    path("ask/", views.ask_who_knows, name="ask_who_knows"),
    path("health/<str:table>.csv", views.health_csv, name="health_csv"),
]

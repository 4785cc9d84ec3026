from django.urls import path

from . import views

app_name = "facilitation"

urlpatterns = [
    path("", views.today, name="today"),
    path("health/", views.health, name="health"),
    path("health/<str:table>.csv", views.health_csv, name="health_csv"),
]

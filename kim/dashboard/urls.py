"""The programme dashboard, for staff and leaders."""

from django.urls import path

from kim.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
]

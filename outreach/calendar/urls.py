"""The session calendar and each person's private calendar feed."""

from django.urls import path

from outreach.calendar import views

urlpatterns = [
    path("kalender/", views.session_calendar, name="session_calendar"),
    path("kalender/langganan/", views.calendar_subscription, name="calendar_subscription"),
    path("kalender/langganan/baru/", views.calendar_renew, name="calendar_renew"),
    path("kalender/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]

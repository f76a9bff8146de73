from django.urls import path

from outreach import views_feed

urlpatterns = [
    path("kalender/langganan/", views_feed.calendar_subscription, name="calendar_subscription"),
    path("kalender/langganan/baru/", views_feed.calendar_renew, name="calendar_renew"),
    path("kalender/<slug:token>.ics", views_feed.calendar_feed, name="calendar_feed"),
]

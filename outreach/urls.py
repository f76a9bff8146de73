from django.urls import include, path

from outreach import views, views_calendar

app_name = "outreach"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("baru/", views.agency_form, name="agency_create"),
    path("<int:agency_id>/", views.agency_form, name="agency_edit"),
    path("kalender/", views_calendar.session_calendar, name="session_calendar"),
    path("", include("outreach.directory_urls")),
    path("", include("outreach.feed_urls")),
    path("", include("outreach.sessions_urls")),
    path("", include("outreach.reports_urls")),
]

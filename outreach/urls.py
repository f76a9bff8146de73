"""The outreach app's URLs under opd/, in the outreach namespace: each feature room brings its own."""

from django.urls import include, path

app_name = "outreach"
urlpatterns = [
    path("", include("outreach.directory.urls")),
    path("", include("outreach.calendar.urls")),
    path("", include("outreach.sessions.urls")),
    path("", include("outreach.reports.urls")),
]

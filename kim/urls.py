"""The project's URLs: each feature room brings its own."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kim.accounts.urls import auth_patterns

urlpatterns = [
    path("", include("kim.home.urls")),
    path("akun/", include(auth_patterns)),
    path("", include("kim.accounts.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("desa/", include("villages.urls")),
    path("riwayat-perubahan/", include("kim.audit.urls")),
    path("unduhan/", include("kim.downloads.urls")),
    path("dasbor/", include("kim.dashboard.urls")),
    path("kantor/", include("kim.office.urls")),
    path("", include("kim.documents.urls")),
    path("kim/", include("kim.formation.urls")),
    path("kim/", include("kim.mentoring.urls")),
    path("kim/", include("kim.register.urls")),
    path("opd/", include("outreach.urls")),
    path("", include("kim.reminders.urls")),
    path("admin/", admin.site.urls),
]

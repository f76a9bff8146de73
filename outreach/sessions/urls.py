"""Session pages, included by outreach/urls.py (under opd/, in the outreach namespace)."""

from django.urls import path

from outreach.sessions import views

urlpatterns = [
    path("sesi/", views.session_list, name="session_list"),
    path("sesi/baru/", views.session_create, name="session_create"),
    path("sesi/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sesi/<int:session_id>/ubah/", views.session_edit, name="session_edit"),
    path("sesi/<int:session_id>/konfirmasi/", views.session_confirm, name="session_confirm"),
    path(
        "sesi/<int:session_id>/minta-tanggal-lain/", views.session_request_date, name="session_request_date"
    ),
    path("sesi/<int:session_id>/jadwal-ulang/", views.session_reschedule, name="session_reschedule"),
    path("sesi/<int:session_id>/batalkan/", views.session_cancel, name="session_cancel"),
]

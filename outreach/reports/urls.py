"""Pages after a session, included by outreach/urls.py (under opd/, in the outreach namespace)."""

from django.urls import path

from outreach.reports import views

urlpatterns = [
    path("sesi/<int:session_id>/terlaksana/", views.session_held, name="session_held"),
    path("sesi/<int:session_id>/laporan/", views.session_report, name="session_report"),
    path(
        "sesi/<int:session_id>/tindak-lanjut/<int:follow_up_id>/selesai/",
        views.follow_up_done,
        name="follow_up_done",
    ),
    path(
        "sesi/<int:session_id>/daftar-hadir/", views.session_attendance_sheet, name="session_attendance_sheet"
    ),
    path("sesi/<int:session_id>/foto/<int:photo_id>/", views.session_photo, name="session_photo"),
    path(
        "sesi/<int:session_id>/foto/<int:photo_id>/kecil/",
        views.session_photo,
        {"thumbnail": True},
        name="session_photo_thumbnail",
    ),
    path("tindak-lanjut/", views.follow_up_list, name="follow_up_list"),
]

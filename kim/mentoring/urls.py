"""The mentoring log's pages, included by kim/urls.py under kim/ in the mentoring namespace."""

from django.urls import path

from kim.mentoring import views as mentoring

app_name = "mentoring"
urlpatterns = [
    path("<int:kim_id>/kunjungan/", mentoring.kim_visits, name="kim_visits"),
    path("<int:kim_id>/kunjungan/tambah/", mentoring.visit_create, name="visit_create"),
    path("kunjungan/<int:visit_id>/", mentoring.visit_detail, name="visit_detail"),
    path("kunjungan/<int:visit_id>/ubah/", mentoring.visit_edit, name="visit_edit"),
    path("kunjungan/<int:visit_id>/hapus/", mentoring.visit_delete, name="visit_delete"),
    path("kunjungan/foto/<int:photo_id>/", mentoring.visit_photo, name="visit_photo"),
    path(
        "kunjungan/foto/<int:photo_id>/kecil/",
        mentoring.visit_photo,
        {"thumbnail": True},
        name="visit_photo_thumbnail",
    ),
]

from django.urls import path

from villages import views

app_name = "villages"
urlpatterns = [
    path("", views.village_list, name="list"),
    path("peta/", views.village_map, name="map"),
    path("peta/status.json", views.village_map_data, name="map_data"),
    path("status/<int:year>/", views.status_bulk, name="status_bulk"),
    path("status/unggah/", views.status_upload, name="status_upload"),
    path("status/unggah/simpan/", views.status_upload_confirm, name="status_upload_confirm"),
    path("<str:code>/", views.village_detail, name="detail"),
    path("<str:code>/kontak/", views.village_contacts_edit, name="contacts_edit"),
    path("<str:code>/tahun/<int:year>/", views.village_year_edit, name="year_edit"),
    path("<str:code>/kelompok/tambah/", views.group_create, name="group_create"),
    path("<str:code>/kelompok/<int:group_id>/", views.group_edit, name="group_edit"),
    path("<str:code>/kelompok/<int:group_id>/hapus/", views.group_delete, name="group_delete"),
]

"""The KIM register: the list and its downloads, each KIM's page, its officers, and development levels."""

from django.urls import path

from kim.register import views

app_name = "register"
urlpatterns = [
    path("", views.kim_list, name="list"),
    path("tingkat/", views.level_list, name="level_list"),
    path("tingkat/baru/", views.level_form, name="level_create"),
    path("tingkat/<int:level_id>/", views.level_form, name="level_edit"),
    path("<int:kim_id>/", views.kim_detail, name="detail"),
    path("<int:kim_id>/ubah/", views.kim_edit, name="edit"),
    path("<int:kim_id>/sk/", views.kim_decree, name="decree"),
    path("<int:kim_id>/anggota/tambah/", views.member_form, name="member_create"),
    path("<int:kim_id>/anggota/<int:member_id>/", views.member_form, name="member_edit"),
    path("<int:kim_id>/anggota/<int:member_id>/selesai/", views.member_leave, name="member_leave"),
]

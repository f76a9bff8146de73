"""The audit trail: Riwayat perubahan, for staff."""

from django.urls import path

from kim.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.change_list, name="list"),
]

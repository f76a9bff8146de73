"""The office's letterhead and signatories, kept by staff administrators."""

from django.urls import path

from kim.office import views

app_name = "office"
urlpatterns = [
    path("", views.office_detail, name="detail"),
    path("kop/", views.office_edit, name="edit"),
    path("logo/", views.office_logo, name="logo"),
    path("penandatangan/<slug:role>/", views.signatory_edit, name="signatory_edit"),
]

from django.urls import path

from outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("baru/", views.agency_form, name="agency_create"),
    path("<int:agency_id>/", views.agency_form, name="agency_edit"),
]

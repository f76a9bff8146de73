"""Targets and the formation of each KIM, step by step; and recording a KIM formed before the app."""

from django.urls import path

from kim.formation import views

app_name = "formation"
urlpatterns = [
    path("catat/", views.kim_record_existing, name="record_existing"),
    path("sasaran/<int:year>/", views.target_list, name="target_list"),
    path("pembentukan/", views.formation_list, name="list"),
    path("pembentukan/<int:formation_id>/", views.formation_detail, name="detail"),
    path("pembentukan/<int:formation_id>/langkah/<str:step>/", views.formation_step, name="step"),
    path("pembentukan/<int:formation_id>/jawab/", views.formation_answer, name="answer"),
    path(
        "pembentukan/<int:formation_id>/rencana-pembekalan/",
        views.formation_plan_briefing,
        name="plan_briefing",
    ),
    path("pembentukan/<int:formation_id>/aktifkan/", views.formation_activate, name="activate"),
    path("pembentukan/<int:formation_id>/batalkan/", views.formation_cancel, name="cancel"),
    path("pembentukan/<int:formation_id>/surat/", views.formation_letter, name="letter"),
]

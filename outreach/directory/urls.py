"""Agencies, topics and resource persons."""

from django.urls import path

from outreach.directory import views

urlpatterns = [
    path("", views.agency_list, name="agency_list"),
    path("baru/", views.agency_form, name="agency_create"),
    path("<int:agency_id>/", views.agency_form, name="agency_edit"),
    path("topik/", views.topic_list, name="topic_list"),
    path("topik/baru/", views.topic_form, name="topic_create"),
    path("topik/<int:topic_id>/", views.topic_form, name="topic_edit"),
    path("narasumber/", views.resource_person_list, name="resource_person_list"),
    path("narasumber/baru/", views.resource_person_form, name="resource_person_create"),
    path("narasumber/<int:person_id>/", views.resource_person_form, name="resource_person_edit"),
]

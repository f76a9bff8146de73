from django.urls import path

from outreach import views_directory

urlpatterns = [
    path("topik/", views_directory.topic_list, name="topic_list"),
    path("topik/baru/", views_directory.topic_form, name="topic_create"),
    path("topik/<int:topic_id>/", views_directory.topic_form, name="topic_edit"),
    path("narasumber/", views_directory.resource_person_list, name="resource_person_list"),
    path("narasumber/baru/", views_directory.resource_person_form, name="resource_person_create"),
    path("narasumber/<int:person_id>/", views_directory.resource_person_form, name="resource_person_edit"),
]

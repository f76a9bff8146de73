from django.urls import path

from kim.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sehat/", views.health, name="health"),
]

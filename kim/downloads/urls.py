"""The Downloads pages, under unduhan/ in the downloads namespace."""

from django.urls import path

from kim.downloads import views

app_name = "downloads"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("mulai/<slug:kind_name>/<slug:file_format>/", views.export_start, name="start"),
    path("<int:job_id>/", views.job_detail, name="job"),
    path("<int:job_id>/status.json", views.job_status, name="status"),
    path("<int:job_id>/berkas/", views.job_file, name="file"),
    path("<int:job_id>/ulang/", views.job_retry, name="retry"),
]

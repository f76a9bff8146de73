"""The KIM register list and its downloads; included under kim/ by the project's URLs."""

from django.urls import path

from kim.views import registry

urlpatterns = [
    path("", registry.kim_list, name="kim_list"),
    path("unduh.csv", registry.kim_export, {"file_format": "csv"}, name="kim_export_csv"),
    path("unduh.xlsx", registry.kim_export, {"file_format": "xlsx"}, name="kim_export_xlsx"),
]

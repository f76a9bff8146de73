from django.urls import path

from kim.documents import views

app_name = "documents"

# The issued documents' routes come first: "terbit" would otherwise be read as a kind's name.
urlpatterns = [
    path("dokumen/terbit/<int:pk>/", views.detail, name="detail"),
    path("dokumen/terbit/<int:pk>/unduh/", views.download, name="file"),
    path("dokumen/terbit/<int:pk>/cabut/", views.revoke, name="revoke"),
    path("dokumen/<str:kind_name>/<int:subject_id>/", views.draft, name="draft"),
    path("dokumen/<str:kind_name>/<int:subject_id>/pdf/", views.draft_pdf, name="draft_pdf"),
    path("dokumen/<str:kind_name>/<int:subject_id>/terbitkan/", views.issue, name="issue"),
    path("cek/", views.check_start, name="check_start"),
    path("cek/<str:code>/", views.check, name="check"),
]

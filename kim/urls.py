from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kim.views import accounts, formation, groups, home

auth_patterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("sandi/ubah/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sandi/lupa/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]

kim_patterns = [
    path("catat/", formation.kim_record_existing, name="kim_record_existing"),
    path("sasaran/<int:year>/", formation.target_list, name="target_list"),
    path("pembentukan/", formation.formation_list, name="formation_list"),
    path(
        "pembentukan/unduh.csv",
        formation.formation_export,
        {"file_format": "csv"},
        name="formation_export_csv",
    ),
    path(
        "pembentukan/unduh.xlsx",
        formation.formation_export,
        {"file_format": "xlsx"},
        name="formation_export_xlsx",
    ),
    path("pembentukan/<int:formation_id>/", formation.formation_detail, name="formation_detail"),
    path(
        "pembentukan/<int:formation_id>/langkah/<str:step>/", formation.formation_step, name="formation_step"
    ),
    path("pembentukan/<int:formation_id>/jawab/", formation.formation_answer, name="formation_answer"),
    path("pembentukan/<int:formation_id>/aktifkan/", formation.formation_activate, name="formation_activate"),
    path("pembentukan/<int:formation_id>/batalkan/", formation.formation_cancel, name="formation_cancel"),
    path("pembentukan/<int:formation_id>/surat/", formation.formation_letter, name="formation_letter"),
    path("tingkat/", groups.level_list, name="level_list"),
    path("tingkat/baru/", groups.level_form, name="level_create"),
    path("tingkat/<int:level_id>/", groups.level_form, name="level_edit"),
    path("<int:kim_id>/", groups.kim_detail, name="kim_detail"),
    path("<int:kim_id>/ubah/", groups.kim_edit, name="kim_edit"),
    path("<int:kim_id>/sk/", groups.kim_decree, name="kim_decree"),
    path("<int:kim_id>/anggota/tambah/", groups.member_form, name="member_create"),
    path("<int:kim_id>/anggota/<int:member_id>/", groups.member_form, name="member_edit"),
    path("<int:kim_id>/anggota/<int:member_id>/selesai/", groups.member_leave, name="member_leave"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("akun/", include(auth_patterns)),
    path("sehat/", home.health, name="health"),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("pengguna/", accounts.account_list, name="account_list"),
    path("pengguna/baru/", accounts.account_create, name="account_create"),
    path("pengguna/<int:user_id>/", accounts.account_edit, name="account_edit"),
    path("pengguna/<int:user_id>/kirim-tautan/", accounts.account_send_link, name="account_send_link"),
    path("desa/", include("villages.urls")),
    path("kim/", include(kim_patterns)),
    path("opd/", include("outreach.urls")),
    path("kim/", include("kim.registry_urls")),
    path("kim/", include("kim.mentoring_urls")),
    path("kotak-masuk/", include("kim.inbox_urls")),
    path("pengingat/", include("kim.reminder_urls")),
    path("admin/", admin.site.urls),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from kim.views import accounts, home

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
    path("opd/", include("outreach.urls")),
    path("admin/", admin.site.urls),
]

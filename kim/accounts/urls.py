"""Signing in and out, passwords, and the staff administrators' account pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from kim.accounts import views
from kim.accounts.access import leader_may_post

auth_patterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # A leader changes nothing of the programme, but keeps their own password (kim.accounts.access).
    path("sandi/ubah/", leader_may_post(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path("sandi/ubah/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("sandi/lupa/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("sandi/lupa/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "sandi/atur/<uidb64>/<token>/",
        # Signs its owner in: the way back into an account whose password sign-in is paused (throttle.py).
        auth_views.PasswordResetConfirmView.as_view(
            post_reset_login=True, post_reset_login_backend="django.contrib.auth.backends.ModelBackend"
        ),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
]

# Signing in and the password pages keep the names Django's auth views reverse ("login",
# "password_reset_done", ...): kim/urls.py includes them outside this module's namespace.
app_name = "accounts"
urlpatterns = [
    path("pengguna/", views.account_list, name="list"),
    path("pengguna/baru/", views.account_create, name="create"),
    path("pengguna/<int:user_id>/", views.account_edit, name="edit"),
    path("pengguna/<int:user_id>/kirim-tautan/", views.account_send_link, name="send_link"),
]

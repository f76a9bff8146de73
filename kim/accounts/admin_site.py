"""Django admin for staff administrators only, refused to everyone else."""

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class StaffAdminSite(admin.AdminSite):
    """Django admin reads the role on every request (User.is_staff reads it too): an account demoted in the app
    is refused on its next request. A signed-in account that may not use it gets a 403, not Django admin's own
    sign-in form, which would invite it to try another account's password there."""

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff_admin

    def admin_view(self, view, cacheable=False):
        admin_view = super().admin_view(view, cacheable)

        @wraps(admin_view)
        def staff_admins_only(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return admin_view(request, *args, **kwargs)

        return staff_admins_only

    def get_urls(self):
        urls = super().get_urls()
        # LoginRequiredMiddleware sends a visitor to a view's own login_url, Django admin's sign-in form for the
        # site-wide views: send them to the app's at once.
        for url in urls:
            if hasattr(url.callback, "login_url"):
                url.callback.login_url = settings.LOGIN_URL  # type: ignore[attr-defined]
        return urls

    @login_not_required
    def login(self, request, extra_context=None):
        """One sign-in form for the whole site: the app's, whose throttling explains itself."""
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))

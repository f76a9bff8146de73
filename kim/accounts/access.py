"""Who may open which page. Views declare the roles they serve; objects are reached through scoped helpers."""

from functools import wraps

from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.deprecation import MiddlewareMixin

from kim.accounts.models import Role

STAFF_ROLES = (Role.STAFF, Role.STAFF_ADMIN)
REGISTRY_READERS = (Role.STAFF, Role.STAFF_ADMIN, Role.OPD_OFFICER, Role.VILLAGE_HEAD)


def role_required(*roles):
    """403 for a signed-in user whose role is not among `roles` (sign-in itself is enforced by middleware)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(*STAFF_ROLES)
staff_admin_required = role_required(Role.STAFF_ADMIN)


class RoleRequiredMiddleware(MiddlewareMixin):
    """403 on every page for a signed-in account without a role, except what a visitor who is not signed in
    may open too (views marked `login_not_required`: the health check, the language switch, the sign-in and
    password-reset pages) and signing out.

    One check here, placed after LoginRequiredMiddleware, rather than one in each view: many pages serve
    every signed-in account and carry no role decorator, and some choose what to show by elimination (the
    home page's last branch is the staff's). Having a role is, like being signed in, a precondition of every
    page, so it is enforced where signing in is, with the same exemption, and no new page can forget it.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or _signs_out(view_func):
            return None
        if request.user.is_authenticated and not request.user.has_role:
            return render(request, "kim/account_without_role.html", status=403)
        return None


def _signs_out(view_func) -> bool:
    view_class = getattr(view_func, "view_class", None)
    return view_class is not None and issubclass(view_class, LogoutView)


def sign_in_throttle_username(request, credentials=None) -> str:
    """The username django-axes counts failures against, cut to what the database column holds.

    Axes reads it straight from the POST data, before the sign-in form has validated it: a 5,000-character
    or NUL-bearing name would otherwise reach its attempts table and fail there.
    """
    data = credentials or getattr(request, "data", request.POST)
    username = str(data.get("username") or "")
    return username.replace("\x00", "")[:150]

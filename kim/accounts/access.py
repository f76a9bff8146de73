"""Who may open which page. Views declare the roles they serve; objects are reached through scoped helpers."""

from functools import wraps

from django.core.exceptions import PermissionDenied

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


def sign_in_throttle_username(request, credentials=None) -> str:
    """The username django-axes counts failures against, cut to what the database column holds.

    Axes reads it straight from the POST data, before the sign-in form has validated it: a 5,000-character
    or NUL-bearing name would otherwise reach its attempts table and fail there.
    """
    data = credentials or getattr(request, "data", request.POST)
    username = str(data.get("username") or "")
    return username.replace("\x00", "")[:150]

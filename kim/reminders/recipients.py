"""People with an account, as recipients: the audiences every feature draws on (a village's head, an agency's
officers, Dinkominfo staff) are accounts of a role, grouped by what they are bound to."""

from collections import defaultdict
from collections.abc import Iterable

from kim.accounts.access import STAFF_ROLES
from kim.accounts.models import User
from kim.reminders.registry import Recipient


def account(user: User) -> Recipient:
    return Recipient(f"user:{user.pk}", str(user), user=user, email=user.email, phone=user.phone)


def accounts_by(attribute: str, values: Iterable, *, role: str) -> dict[object, list[Recipient]]:
    """Active accounts of `role` whose `attribute` (village_id, agency_id) is among `values`, grouped by it."""
    users = User.objects.filter(role=role, is_active=True, **{f"{attribute}__in": set(values)}).order_by("pk")
    grouped: dict[object, list[Recipient]] = defaultdict(list)
    for user in users:
        grouped[getattr(user, attribute)].append(account(user))
    return grouped


def staff() -> list[Recipient]:
    users = User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("pk")
    return [account(user) for user in users]

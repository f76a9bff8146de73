"""Reads of the mentoring log: a KIM's visits, and one visit reached through the KIM access rules."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from kim.accounts.models import User
from kim.mentoring.models import Visit, VisitPhoto
from kim.register.models import Kim
from kim.register.selectors import get_editable_kim, get_kim_for_user


def kim_timeline(kim: Kim) -> QuerySet[Visit]:
    """The KIM's visits, newest first, with their officers and photos in two more queries."""
    return Visit.objects.filter(kim=kim).prefetch_related(
        Prefetch("officers", queryset=User.objects.order_by("first_name", "last_name", "username")),
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("pk")),
    )


def visits_for_user(user) -> QuerySet[Visit]:
    """The visits of the KIMs the user may see; what a visit's page and its documents are reached through."""
    return Visit.objects.filter(kim__in=Kim.objects.for_user(user).registered())


def get_visit_for_user(user, visit_id: int, *, editable: bool) -> Visit:
    """A visit of a KIM the user may see (404 otherwise); its KIM comes through the KIM access helpers."""
    visit = get_object_or_404(visits_for_user(user), pk=visit_id)
    visit.kim = (get_editable_kim if editable else get_kim_for_user)(user, visit.kim_id)
    return visit


def visit_officers(visit: Visit) -> list[User]:
    """The officers sent, in the order the timeline lists them."""
    return list(visit.officers.order_by("first_name", "last_name", "username"))

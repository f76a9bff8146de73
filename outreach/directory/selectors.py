"""Access to the directory's rows: views reach them only through these helpers."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from kim.accounts.access import is_planner
from outreach.directory.models import ResourcePerson


def get_resource_person_for_editing(user, person_id: int) -> ResourcePerson:
    if not is_planner(user):
        raise PermissionDenied
    return get_object_or_404(ResourcePerson.objects.editable_by(user), pk=person_id)

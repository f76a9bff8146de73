"""Edits in Django admin are on the audit trail too, with the staff administrator as their author."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from kim.accounts.models import Role
from kim.audit.models import Change
from kim.audit.tests.forms import resubmit
from kim.lib.admin import ReadOnlyAdminMixin
from tests.factories import (
    AgencyFactory,
    CommunityGroupFactory,
    DevelopmentLevelFactory,
    KimFactory,
    MemberFactory,
    ResourcePersonFactory,
    TopicFactory,
    UserFactory,
    VillageFactory,
    VillageYearFactory,
)

pytestmark = pytest.mark.django_db

# Each model with an audit trail that Django admin may change: how to make one, and an edit to make.
EDITS: list[tuple[Callable[[], Any], dict[str, str]]] = [
    (lambda: UserFactory(role=Role.STAFF), {"first_name": "Budi"}),
    (lambda: UserFactory(role=Role.STAFF), {"role": Role.STAFF_ADMIN}),
    (lambda: KimFactory(name="KIM Lama"), {"name": "KIM Anyar"}),
    (lambda: MemberFactory(name="Siti"), {"name": "Siti Aminah"}),
    (lambda: DevelopmentLevelFactory(name="Pemula"), {"name": "Madya"}),
    (lambda: AgencyFactory(short_name="Dinkes"), {"short_name": "Dinkes Pbg"}),
    (lambda: ResourcePersonFactory(name="dr. Ani"), {"name": "dr. Ani L."}),
    (lambda: TopicFactory(name="Gizi"), {"name": "Gizi balita"}),
    (lambda: VillageFactory(head_name="Pak Lama"), {"head_name": "Pak Baru"}),
    (lambda: VillageYearFactory(red_zone_decree=""), {"red_zone_decree": "SK 1/2019"}),
    (lambda: CommunityGroupFactory(name="PKK"), {"name": "PKK RW 2"}),
]


@pytest.mark.parametrize(
    ("make", "edit"), EDITS, ids=[f"{i}-{name}" for i, (_m, edit) in enumerate(EDITS) for name in edit]
)
def test_an_edit_in_django_admin_is_on_the_trail_with_its_author(client, staff_admin, make, edit):
    obj = make()
    client.force_login(staff_admin)
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    response = resubmit(client, url, edit, form="adminform", extra={"_save": "Save"})
    assert response.status_code == 302
    change = Change.objects.of(obj).filter(kind=Change.Kind.CHANGED).first()
    assert change is not None
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, staff_admin)
    # Django admin's date-and-time widget drops the microseconds of an account's date_joined: that shows too.
    [(name, value)] = edit.items()
    assert {row[0]: row[2] for row in change.differences}[name] == value


def test_every_model_django_admin_may_change_is_on_the_trail():
    tracked = {
        model for model in admin.site._registry if hasattr(model._meta, "simple_history_manager_attribute")
    }
    editable = {
        model
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ReadOnlyAdminMixin)
        and model._meta.app_label in {"kim", "villages", "outreach"}
    }
    # Liveness marks and the official areas (imported, not edited by people) keep no trail.
    untracked = {model._meta.model_name for model in editable - tracked}
    assert untracked <= {"heartbeat", "province", "regency", "district"}, untracked

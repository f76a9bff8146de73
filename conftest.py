"""Personas shared by every test: one per role, a stranger (the head of another village), and an account
whose role was never chosen."""

import datetime as dt
import importlib
import os

import pytest
from django.apps import apps as django_apps
from hypothesis import settings

from kim.accounts.models import Role
from kim.reminders.models import ReminderRule
from tests.factories import AgencyFactory, UserFactory, VillageFactory

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def village(db):
    return VillageFactory(
        code="33.03.04.2006", name="Selakambang", district__code="33.03.04", district__name="Kaligondang"
    )


@pytest.fixture
def other_village(db):
    return VillageFactory(
        code="33.03.04.2008", name="Kaligondang", district__code="33.03.04", district__name="Kaligondang"
    )


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def staff(db):
    return UserFactory(username="staf", role=Role.STAFF)


@pytest.fixture
def staff_admin(db):
    return UserFactory(username="admin", role=Role.STAFF_ADMIN)


@pytest.fixture
def head(village):
    return UserFactory(username="kades", role=Role.VILLAGE_HEAD, village=village)


@pytest.fixture
def stranger(other_village):
    """The head of another village: must never see or change `village`."""
    return UserFactory(username="kades.lain", role=Role.VILLAGE_HEAD, village=other_village)


@pytest.fixture
def officer(agency):
    return UserFactory(username="petugas", role=Role.OPD_OFFICER, agency=agency)


@pytest.fixture
def no_role(db):
    """Made outside the account pages (Django admin, the shell) and never given a role: may open no page."""
    return UserFactory(username="tanpa.peran", role="")


@pytest.fixture
def reminder_rules(db):
    """The default reminder rules, in force for years. They come with a data migration, and a transactional
    test's flush (the browser tests') removes them: put them back when they are missing."""
    importlib.import_module("kim.migrations.0007_default_reminder_rules").create_rules(django_apps, None)
    ReminderRule.objects.update(effective_from=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    return list(ReminderRule.objects.all())


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def client_for(client):
    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


# Under CI the property-based tests run the same examples every time, so a red build is reproducible.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

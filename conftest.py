"""Personas shared by every test: one per role, a stranger (the head of another village), an officer of
another agency, an account whose role was never chosen, and the KIMs they meet; then the surroundings a
module asks for with `pytest.mark.usefixtures`: the reminder rules, a media folder, English, a frozen clock.
A module's own fixture that differs from these on purpose is named for how it differs."""

import datetime as dt
import importlib
import os

import pytest
import time_machine
from django.apps import apps as django_apps
from django.utils import translation
from hypothesis import settings

from kim.accounts.models import Role, User
from kim.register.models import Kim, Member
from kim.reminders.models import ReminderRule
from tests.factories import AgencyFactory, KimFactory, MemberFactory, UserFactory, VillageFactory

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def village(db):
    """Selakambang, a desa in the kecamatan Kaligondang: where most tests happen."""
    return VillageFactory(
        code="33.03.04.2006", name="Selakambang", district__code="33.03.04", district__name="Kaligondang"
    )


@pytest.fixture
def other_village(db):
    """Kaligondang, in the same kecamatan: `stranger`'s village."""
    return VillageFactory(
        code="33.03.04.2008", name="Kaligondang", district__code="33.03.04", district__name="Kaligondang"
    )


@pytest.fixture
def agency(db):
    """Dinas Kesehatan (Dinkes), the agency whose `officer` holds sessions."""
    return AgencyFactory(name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def staff(db):
    """Dinkominfo staff: run the programme in every village."""
    return UserFactory(username="staf", role=Role.STAFF)


@pytest.fixture
def staff_admin(db):
    """A staff administrator: staff who also keep the accounts."""
    return UserFactory(username="admin", role=Role.STAFF_ADMIN)


@pytest.fixture
def leader(db):
    """Pimpinan (the Kabid IKP): reads everything staff read, changes nothing."""
    return UserFactory(username="kabid", role=Role.LEADER)


@pytest.fixture
def head(village):
    """The head of `village`."""
    return UserFactory(username="kades", role=Role.VILLAGE_HEAD, village=village)


@pytest.fixture
def stranger(other_village):
    """The head of another village: must never see or change `village`."""
    return UserFactory(username="kades.lain", role=Role.VILLAGE_HEAD, village=other_village)


@pytest.fixture
def officer(agency):
    """An officer of `agency`: proposes its sessions and reports on them."""
    return UserFactory(username="petugas", role=Role.OPD_OFFICER, agency=agency)


@pytest.fixture
def other_officer(db):
    """An officer of another agency (Dinsos): must never change `agency`'s sessions."""
    return UserFactory(
        username="petugas.lain", role=Role.OPD_OFFICER, agency=AgencyFactory(short_name="Dinsos")
    )


@pytest.fixture
def no_role(db):
    """Made outside the account pages (Django admin, the shell) and never given a role: may open no page."""
    return User.objects.create_user("tanpa.peran", "tanpa.peran@example.com", "sandi-rahasia-123")


@pytest.fixture
def kim(village):
    """KIM Selakambang Maju, `village`'s KIM: active since 10 January 2019, no members yet."""
    return KimFactory(village=village, name="KIM Selakambang Maju", founded_on=dt.date(2019, 1, 10))


@pytest.fixture
def kim_with_ketua(village):
    """KIM Selakambang, `village`'s KIM, with its ketua on WhatsApp: who a KIM's reminders reach."""
    kim = KimFactory(village=village, name="KIM Selakambang", status=Kim.Status.ACTIVE)
    MemberFactory(kim=kim, name="Ketua KIM", position=Member.Position.KETUA, phone="+6281234567890")
    return kim


@pytest.fixture
def other_kim(other_village):
    """KIM Kaligondang, `other_village`'s KIM: inactive, no members, never visited."""
    return KimFactory(village=other_village, name="KIM Kaligondang", status=Kim.Status.INACTIVE)


@pytest.fixture
def reminder_rules(db):
    """The default reminder rules (the "file ready" rule of the downloads among them), in force for years.
    They come with data migrations, and a transactional test's flush (the browser tests') removes them: put
    them back when they are missing."""
    importlib.import_module("kim.migrations.0007_default_reminder_rules").create_rules(django_apps, None)
    importlib.import_module("kim.migrations.0017_export_jobs").create_export_ready_rule(django_apps, None)
    ReminderRule.objects.update(effective_from=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    return list(ReminderRule.objects.all())


@pytest.fixture
def office_defaults(db):
    """The letterhead and signatories migration 0018 writes, marked [Ganti]; a transactional test's flush
    removes them: put them back when they are missing."""
    importlib.import_module("kim.migrations.0018_office").create_defaults(django_apps, None)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def english(client):
    """Pages and messages in English, the language of the source strings, whatever the catalogue holds."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def frozen(request):
    """The clock stands still at the test module's NOW; the traveller it yields moves it."""
    with time_machine.travel(request.module.NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client_for(client):
    """Signs the test client in as the user given (None: leaves it anonymous) and returns it."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


# Under CI the property-based tests run the same examples every time, so a red build is reproducible.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def export_files(request, tmp_path_factory):
    """Export files (kim.downloads) go to a folder of the test's own, never var/exports."""
    django_settings = request.getfixturevalue("settings")
    django_settings.EXPORT_ROOT = tmp_path_factory.mktemp("exports")
    return django_settings.EXPORT_ROOT

"""Changes of the many-to-many fields people choose (mentors, officers, topics, resource persons) are on the
audit trail with their author, read like any other field's: its name, then the names before → after."""

import datetime as dt

import pytest
from django.urls import reverse

from kim.accounts.models import Role
from kim.audit.models import Change
from kim.audit.selectors import Difference, page_rows
from kim.audit.tests.forms import resubmit
from kim.mentoring.models import Visit
from kim.mentoring.services import visit_record
from kim.register.models import Kim
from tests.factories import (
    ResourcePersonFactory,
    SessionFactory,
    TopicFactory,
    UserFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def shown(obj) -> tuple[Change, list[Difference]]:
    """The object's latest change, and its differences as the Riwayat perubahan page shows them."""
    [entry] = page_rows(Change.objects.of(obj).select_related("subject_type")[:1])
    return entry.change, entry.rows


@pytest.fixture
def budi(db):
    return UserFactory(first_name="Budi", last_name="", role=Role.STAFF)


@pytest.fixture
def sari(db):
    return UserFactory(first_name="Sari", last_name="", role=Role.STAFF)


def test_a_kims_mentors_changed_on_its_page_read_as_one_change_with_its_name(client, staff, kim, budi, sari):
    kim.mentors.set([budi])
    client.force_login(staff)
    url = reverse("register:edit", args=[kim.pk])
    changes = {"name": "KIM Selakambang Jaya", "mentors": [budi.pk, sari.pk]}
    assert resubmit(client, url, changes).status_code == 302
    change, rows = shown(kim)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, staff)
    assert Difference("Pendamping dari Dinkominfo", "Budi", "Budi, Sari") in rows
    assert Difference("Nama", "KIM Selakambang Maju", "KIM Selakambang Jaya") in rows


def test_a_visits_officers_changed_are_on_the_trail(client, staff, kim, budi, sari):
    visit = VisitFactory(kim=kim)
    visit.officers.set([budi, sari])
    client.force_login(staff)
    url = reverse("mentoring:visit_edit", args=[visit.pk])
    assert resubmit(client, url, {"officers": [sari.pk], "remove_photos": []}).status_code == 302
    change, rows = shown(visit)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, staff)
    assert Difference("Petugas", "Budi, Sari", "Sari") in rows


def test_a_resource_persons_topics_changed_by_an_officer_are_on_the_trail(client, officer, agency):
    person = ResourcePersonFactory(agency=agency)
    gizi, stunting = TopicFactory(name="Gizi"), TopicFactory(name="Stunting")
    client.force_login(officer)
    url = reverse("outreach:resource_person_edit", args=[person.pk])
    assert resubmit(client, url, {"topics": [gizi.pk, stunting.pk]}).status_code == 302
    change, rows = shown(person)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, officer)
    assert rows == [Difference("Topik", "-", "Gizi, Stunting")]


def test_a_sessions_resource_persons_changed_by_its_officer_read_as_one_change(client, officer, agency, kim):
    session = SessionFactory(agency=agency, kim=kim, title="Posyandu")
    ani = ResourcePersonFactory(agency=agency, name="dr. Ani")
    client.force_login(officer)
    url = reverse("outreach:session_edit", args=[session.pk])
    changes = {"title": "Posyandu balita", "resource_persons": [ani.pk]}
    assert resubmit(client, url, changes).status_code == 302
    change, rows = shown(session)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, officer)
    assert Difference("Narasumber", "-", "dr. Ani") in rows
    assert Change.objects.of(session).filter(kind=Change.Kind.CHANGED).count() == 1


def test_a_kims_mentors_changed_in_django_admin_are_on_the_trail(client, staff_admin, kim, budi, sari):
    kim.mentors.set([budi])
    client.force_login(staff_admin)
    url = reverse("admin:kim_kim_change", args=[kim.pk])
    response = resubmit(client, url, {"mentors": [sari.pk]}, form="adminform", extra={"_save": "Save"})
    assert response.status_code == 302
    change, rows = shown(kim)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, staff_admin)
    assert rows == [Difference("Pendamping dari Dinkominfo", "Budi", "Sari")]


def test_a_resource_persons_topics_changed_in_django_admin_are_on_the_trail(client, staff_admin):
    gizi = TopicFactory(name="Gizi")
    person = ResourcePersonFactory()
    person.topics.set([gizi])
    client.force_login(staff_admin)
    url = reverse("admin:outreach_resourceperson_change", args=[person.pk])
    response = resubmit(client, url, {"topics": []}, form="adminform", extra={"_save": "Save"})
    assert response.status_code == 302
    change, rows = shown(person)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, staff_admin)
    assert rows == [Difference("Topik", "Gizi", "-")]


def test_a_change_of_mentors_alone_outside_a_request_has_no_author(kim, budi):
    # Another copy of the KIM than the one its creation was saved from, whose Change it would join.
    Kim.objects.get(pk=kim.pk).mentors.add(budi)
    change, rows = shown(kim)
    assert (change.kind, change.actor) == (Change.Kind.CHANGED, None)
    assert rows == [Difference("Pendamping dari Dinkominfo", "-", "Budi")]


def test_a_visit_recorded_lists_its_officers_in_its_creation(kim, staff, budi, sari):
    visit = visit_record(
        kim=kim,
        actor=staff,
        visited_on=dt.date(2026, 3, 2),
        kind=Visit.Kind.PENDAMPINGAN,
        officers=[sari, budi],
        topic="Website",
        participants=None,
        notes="",
    )
    [change] = Change.objects.of(visit)
    assert change.kind == Change.Kind.CREATED
    assert ["officers", None, ["Budi", "Sari"]] in change.differences

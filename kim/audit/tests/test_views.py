"""Riwayat perubahan: the audit trail's page, for staff."""

import datetime as dt

import pytest
from django.urls import reverse

from kim.accounts.models import Role
from kim.audit.filters import ChangeFilter
from kim.audit.models import Change
from tests.factories import (
    FormationFactory,
    KimFactory,
    MemberFactory,
    ResourcePersonFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("audit:list")


def _edit(kim, **fields):
    for name, value in fields.items():
        setattr(kim, name, value)
    kim.save()


def test_staff_see_who_changed_what_in_indonesian(client, staff, kim):
    kim._history_user = staff  # as the request middleware would set it
    _edit(kim, status=kim.Status.INACTIVE, founded_on=None)
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Riwayat perubahan" in page
    assert "KIM Selakambang Maju" in page
    # The field's verbose name and the choice's label, in Indonesian; an emptied date shows "-".
    entry = response.context["page"].object_list[0]
    rows = {row.field: (row.old, row.new) for row in entry.rows}
    assert rows["Status"] == ("aktif", "nonaktif")
    assert rows["Tanggal berdiri"] == ("10-01-2019", "-")


def test_booleans_read_ya_and_tidak(client, staff):
    account = UserFactory(role=Role.STAFF)
    account.is_active = False
    account.save()
    client.force_login(staff)
    response = client.get(URL, {"subject": "kim.user", "object": account.pk, "kind": "~"})
    entry = response.context["page"].object_list[0]
    assert [(row.field, row.old, row.new) for row in entry.rows] == [("Aktif", "Ya", "Tidak")]


def test_a_role_change_always_shows_with_its_author(client, staff_admin, staff):
    account = UserFactory(role=Role.STAFF)
    client.force_login(staff_admin)
    client.post(
        reverse("accounts:edit", args=[account.pk]),
        {
            "username": account.username,
            "first_name": account.first_name,
            "email": account.email,
            "role": Role.STAFF_ADMIN,
            "is_active": "on",
        },
    )
    response = client.get(URL, {"actor": staff_admin.pk, "subject": "kim.user"})
    entries = response.context["page"].object_list
    assert any(row.field == "Peran" and row.new == "Admin staf" for entry in entries for row in entry.rows)


def test_the_list_filters_by_person_object_kind_and_date(client, staff, kim, other_kim):
    kim._history_user = staff
    _edit(kim, name="KIM Satu")
    _edit(other_kim, name="KIM Dua")
    Change.objects.filter(subject_id=str(other_kim.pk)).update(at=dt.datetime(2019, 5, 1, tzinfo=dt.UTC))
    client.force_login(staff)

    def names(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {
            (entry.change.subject_repr, entry.change.kind) for entry in response.context["page"].object_list
        }

    assert names(actor=staff.pk, kind="~") == {("KIM Satu", "~")}
    assert names(subject="kim.kim", object=other_kim.pk) == {("KIM Kaligondang", "+"), ("KIM Dua", "~")}
    assert names(subject="kim.kim", kind="~", date_from="2019-05-01", date_to="2019-05-01") == {
        ("KIM Dua", "~")
    }
    assert names(subject="outreach.session") == set()


def _object_pages(kim, agency):
    member = MemberFactory(kim=kim)
    person = ResourcePersonFactory(agency=agency)
    session = SessionFactory(kim=kim, agency=agency)
    formation = FormationFactory(target__village=kim.village)
    account = UserFactory(role=Role.STAFF)
    return [
        ("register:detail", [kim.pk], "kim.kim", kim.pk),
        ("register:member_edit", [kim.pk, member.pk], "kim.member", member.pk),
        ("outreach:session_detail", [session.pk], "outreach.session", session.pk),
        ("formation:detail", [formation.pk], "kim.formation", formation.pk),
        ("villages:detail", [kim.village.code], "villages.village", kim.village.code),
        ("outreach:agency_edit", [agency.pk], "outreach.agency", agency.pk),
        ("outreach:resource_person_edit", [person.pk], "outreach.resourceperson", person.pk),
        ("accounts:edit", [account.pk], "kim.user", account.pk),
    ]


def test_each_object_page_links_to_its_own_history(client, staff_admin, kim, agency):
    client.force_login(staff_admin)
    for name, args, subject, pk in _object_pages(kim, agency):
        page = client.get(reverse(name, args=args)).content.decode()
        assert f"{URL}?subject={subject}&amp;object={pk}" in page, name
        assert subject in dict(ChangeFilter.base_filters["subject"].extra["choices"]()), subject


def test_a_village_head_sees_no_history_link(client, head, kim):
    client.force_login(head)
    assert URL not in client.get(reverse("register:detail", args=[kim.pk])).content.decode()


def test_hostile_filters_are_an_empty_or_corrected_list(client, staff):
    client.force_login(staff)
    for params in ({"date_from": "9999-12-31"}, {"actor": "x"}, {"subject": "kim.nothing"}, {"page": "999"}):
        assert client.get(URL, params).status_code == 200


def test_the_page_refuses_a_post(client, staff):
    client.force_login(staff)
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("rows", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, staff, django_assert_num_queries, rows):
    for index in range(rows):
        KimFactory(name=f"KIM {index}")
    client.force_login(staff)
    # The account, the count, the page's rows (with their authors and kinds of object), the navbar's
    # status and the person filter's choices: the same at any size.
    with django_assert_num_queries(5):
        response = client.get(URL, {"subject": "kim.kim", "kind": "+"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)

import datetime as dt

import pytest
from django.urls import reverse

from kim.register.models import Kim, Member
from tests.factories import KimFactory, MemberFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim_to_rename(village):
    """KIM Selakambang: named otherwise than `kim`, so that renaming it to KIM Selakambang Maju shows."""
    return KimFactory(village=village, name="KIM Selakambang", status=Kim.Status.ACTIVE)


def _member(client, kim, **data):
    return client.post(reverse("register:member_create", args=[kim.pk]), {"position": "anggota", **data})


def test_village_head_keeps_their_kims_member_list(client, head, kim):
    client.force_login(head)
    response = _member(client, kim, name="Siti", phone="0812 3456 7890", nik="3303045509900001", gender="P")
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.phone, member.nik) == ("+6281234567890", "3303045509900001")


@pytest.mark.parametrize("nik", ["123", "33030455099000011", "3303049913900001", "33030455O9900001"])
def test_a_wrong_nik_is_refused(client, head, kim, nik):
    client.force_login(head)
    response = _member(client, kim, name="Siti", nik=nik)
    errors = response.context["form"].errors["nik"]
    assert len(errors) == len(set(errors)) == 1  # said once, not once per check
    assert not Member.objects.exists()


def test_a_kim_has_one_sitting_ketua_and_the_old_one_stays_in_history(client, staff, kim):
    old = MemberFactory(kim=kim, name="Pak Lama", position="ketua", term_start=dt.date(2016, 1, 1))
    client.force_login(staff)
    refused = _member(client, kim, name="Pak Baru", position="ketua")
    assert "position" in refused.context["form"].errors
    client.post(reverse("register:member_leave", args=[kim.pk, old.pk]), {"left_on": "2019-01-31"})
    assert _member(client, kim, name="Pak Baru", position="ketua").status_code == 302
    assert list(kim.members.current().values_list("name", flat=True)) == ["Pak Baru"]
    page = client.get(reverse("register:detail", args=[kim.pk]))
    assert "Pak Lama" in page.content.decode()


def test_a_term_cannot_end_before_it_starts(client, staff, kim):
    client.force_login(staff)
    response = _member(client, kim, name="Siti", term_start="2019-01-01", term_end="2018-01-01")
    assert "term_end" in response.context["form"].errors


def test_officer_reads_the_kim_but_neither_members_nor_nik(client, officer, kim):
    MemberFactory(kim=kim, name="Siti", nik="3303045509900001", position="ketua")
    client.force_login(officer)
    page = client.get(reverse("register:detail", args=[kim.pk]))
    assert page.status_code == 200 and "Siti" in page.content.decode()
    assert "3303045509900001" not in page.content.decode()
    assert _member(client, kim, name="X").status_code == 403
    assert client.post(reverse("register:edit", args=[kim.pk]), {"name": "X"}).status_code == 403


def test_head_of_another_village_cannot_reach_the_kim(client, stranger, kim):
    member = MemberFactory(kim=kim)
    client.force_login(stranger)
    assert client.get(reverse("register:detail", args=[kim.pk])).status_code == 404
    assert _member(client, kim, name="X").status_code == 404
    assert (
        client.post(
            reverse("register:member_leave", args=[kim.pk, member.pk]), {"left_on": "2019-01-01"}
        ).status_code
        == 404
    )


def test_kim_flags_a_missing_ketua_and_too_few_members(client, staff, kim, settings):
    settings.KIM_MIN_MEMBERS = 3
    MemberFactory(kim=kim)
    client.force_login(staff)
    context = client.get(reverse("register:detail", args=[kim.pk])).context
    assert context["has_ketua"] is False and context["too_few_members"] is True


def test_staff_edit_the_kim_register_details(client, staff, kim_to_rename):
    client.force_login(staff)
    data = {"name": "KIM Selakambang Maju", "status": "active", "whatsapp_group": "https://example.com/x"}
    refused = client.post(reverse("register:edit", args=[kim_to_rename.pk]), data)
    assert "whatsapp_group" in refused.context["form"].errors
    data["whatsapp_group"] = "https://chat.whatsapp.com/AbCdEf"
    data["mentors"] = [staff.pk]
    assert client.post(reverse("register:edit", args=[kim_to_rename.pk]), data).status_code == 302
    kim_to_rename.refresh_from_db()
    assert kim_to_rename.name == "KIM Selakambang Maju" and list(kim_to_rename.mentors.all()) == [staff]


def test_kim_page_runs_a_fixed_number_of_queries(client, staff, kim, django_assert_num_queries):
    client.force_login(staff)
    MemberFactory(kim=kim, position="ketua")
    VisitFactory(kim=kim).officers.add(staff)
    # user, the navbar's counts, KIM, members, mentors, visits, their photos, their officers, formation
    with django_assert_num_queries(9):
        client.get(reverse("register:detail", args=[kim.pk]))
    MemberFactory.create_batch(30, kim=kim)
    for visit in VisitFactory.create_batch(15, kim=kim):
        visit.officers.add(staff)
    with django_assert_num_queries(9):
        client.get(reverse("register:detail", args=[kim.pk]))


def test_a_kim_being_formed_has_no_register_page_yet(client, staff, village):
    forming = KimFactory(village=village, status=Kim.Status.FORMING)
    client.force_login(staff)
    assert client.get(reverse("register:detail", args=[forming.pk])).status_code == 404

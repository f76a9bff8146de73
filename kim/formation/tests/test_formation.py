import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kim.formation import services
from kim.formation.models import Formation, FormationEvent, Step
from kim.register.models import Kim, Member
from tests.exporting import csv_rows, download
from tests.factories import (
    AgencyFactory,
    CommunityGroupFactory,
    KimFactory,
    VillageFactory,
    VillageYearFactory,
)
from tests.samples import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

DAY = dt.date(2019, 2, 1)
OFFICERS = [
    {"name": "Sutrisno", "position": Member.Position.KETUA, "phone": "+6281234567890", "gender": "L"},
    {"name": "Aminah", "position": Member.Position.SEKRETARIS, "phone": "", "gender": "P"},
]


def _pdf(name="sk.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _formation(village, staff, until: Step | None = None) -> Formation:
    """A formation of `village` in 2019, taken by `staff` up to and including `until`."""
    target = services.target_set(year=2019, villages=[village], actor=staff)[0]
    formation = target.formation
    steps = [
        (
            Step.COORDINATION,
            lambda f: services.formation_record_coordination(
                formation=f, actor=staff, coordinated_on=DAY, notes=""
            ),
        ),
        (
            Step.PATH,
            lambda f: services.formation_choose_path(
                formation=f, actor=staff, origin=Kim.Origin.NEW, community_group=None, name="KIM Maju"
            ),
        ),
        (
            Step.MEETING,
            lambda f: services.formation_record_meeting(
                formation=f, actor=staff, meeting_on=DAY, notes="", officers=OFFICERS
            ),
        ),
        (
            Step.CONFIRMATION,
            lambda f: services.formation_record_paper_confirmation(
                formation=f, actor=staff, letter=_pdf("surat.pdf")
            ),
        ),
        (
            Step.DECREE,
            lambda f: services.formation_record_decree(
                formation=f,
                actor=staff,
                sk_issuer="kepala_desa",
                sk_number="555/1 Tahun 2019",
                sk_date=DAY,
                sk_file=_pdf(),
            ),
        ),
        (
            Step.BRIEFING,
            lambda f: services.formation_record_briefing(formation=f, actor=staff, briefed_on=DAY, notes=""),
        ),
        (Step.ACTIVE, lambda f: services.formation_activate(formation=f, actor=staff)),
    ]
    for step, record in steps:
        if until is None:
            break
        formation = record(formation)
        if step == until:
            break
    return Formation.objects.get(pk=formation.pk)


def test_candidates_put_the_host_agencys_binaan_first_then_other_binaan_then_the_rest(staff, settings):
    settings.KIM_HOST_AGENCY_SHORT_NAME = "Dinkominfo"
    kominfo, dinkes = AgencyFactory(short_name="Dinkominfo"), AgencyFactory(short_name="Dinkes")
    plain = VillageYearFactory(year=2019, is_red_zone=True).village
    other = VillageYearFactory(year=2019, is_red_zone=True, mentor_agency=dinkes).village
    own = VillageYearFactory(year=2019, is_red_zone=True, mentor_agency=kominfo).village
    with_kim = VillageYearFactory(year=2019, is_red_zone=True).village
    KimFactory(village=with_kim)
    VillageYearFactory(year=2019, is_red_zone=False)
    VillageYearFactory(year=2020, is_red_zone=True)

    candidates = services.target_candidates(year=2019)
    assert [c.village for c in candidates] == [own, other, plain]
    assert "Dinkominfo" in candidates[0].reason

    services.target_set(year=2019, villages=[own], actor=staff)
    assert [c.village for c in services.target_candidates(year=2019)] == [other, plain]


def test_the_targets_page_names_the_host_agency_whose_binaan_come_first(client, staff, settings):
    settings.KIM_HOST_AGENCY_SHORT_NAME = "Dinkominfo"
    client.force_login(staff)
    page = client.get(reverse("formation:target_list", args=[2019]), HTTP_ACCEPT_LANGUAGE="en")
    assert "without a KIM: Dinkominfo's own desa binaan first" in page.text


def test_targeting_a_village_twice_makes_one_target_and_one_formation(village, staff):
    services.target_set(year=2019, villages=[village], actor=staff)
    services.target_set(year=2019, villages=[village], actor=staff)
    assert Formation.objects.filter(target__village=village).count() == 1


def test_steps_go_in_order(village, other_village, staff):
    formation = _formation(village, staff)
    with pytest.raises(ValidationError):
        services.formation_choose_path(
            formation=formation, actor=staff, origin="new", community_group=None, name="X"
        )
    formation = _formation(other_village, staff, Step.PATH)
    with pytest.raises(ValidationError):
        services.formation_record_decree(
            formation=formation, actor=staff, sk_issuer="bupati", sk_number="1", sk_date=DAY, sk_file=_pdf()
        )


def test_an_adopted_group_must_belong_to_the_village(village, other_village, staff):
    formation = _formation(village, staff, Step.COORDINATION)
    foreign = CommunityGroupFactory(village=other_village)
    with pytest.raises(ValidationError):
        services.formation_choose_path(
            formation=formation, actor=staff, origin="adopted", community_group=foreign, name="X"
        )
    own = CommunityGroupFactory(village=village, name="Karang Taruna")
    formation = services.formation_choose_path(
        formation=formation, actor=staff, origin="adopted", community_group=own, name="KIM KT"
    )
    assert formation.kim.community_group == own and formation.kim.status == Kim.Status.FORMING


def test_a_meeting_needs_exactly_one_ketua(village, staff):
    formation = _formation(village, staff, Step.PATH)
    without = [{**OFFICERS[1]}]
    with pytest.raises(ValidationError):
        services.formation_record_meeting(
            formation=formation, actor=staff, meeting_on=DAY, notes="", officers=without
        )
    assert not Member.objects.exists()


def test_the_whole_formation_ends_with_an_active_kim_founded_on_its_decree(village, staff):
    formation = _formation(village, staff, Step.ACTIVE)
    kim = formation.kim
    assert (formation.state, formation.step) == (Formation.State.DONE, Step.ACTIVE)
    assert (kim.status, kim.founded_on, kim.sk_number) == (Kim.Status.ACTIVE, DAY, "555/1 Tahun 2019")
    assert kim.members.current().get(position="ketua").name == "Sutrisno"
    kinds = list(
        FormationEvent.objects.filter(formation=formation).order_by("id").values_list("step", "kind")
    )
    assert kinds[0] == ("coordination", "done") and kinds[-1] == ("active", "done")


def test_village_head_confirms_their_own_village_group_in_the_browser(client, head, village, staff):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(head)
    page = client.get(reverse("formation:detail", args=[formation.pk]))
    assert b"Sutrisno" in page.content and b"confirmation-panel" in page.content
    response = client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "confirm"})
    assert response.status_code == 302
    formation.refresh_from_db()
    assert (formation.confirmation, formation.confirmation_channel, formation.confirmed_by) == (
        "confirmed",
        "browser",
        head,
    )
    assert formation.step == Step.CONFIRMATION


def test_a_confirmation_submitted_twice_changes_nothing_the_second_time(client, head, village, staff):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(head)
    client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "confirm"})
    events = FormationEvent.objects.count()
    confirmed_at = Formation.objects.get(pk=formation.pk).confirmed_at
    client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "confirm"})
    client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "return", "reason": "late"})
    formation.refresh_from_db()
    assert FormationEvent.objects.count() == events
    assert (formation.confirmation, formation.confirmed_at) == ("confirmed", confirmed_at)


def test_head_of_another_village_cannot_see_confirm_or_return_the_formation(client, stranger, village, staff):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(stranger)
    assert client.get(reverse("formation:detail", args=[formation.pk])).status_code == 404
    assert (
        client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "confirm"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("formation:answer", args=[formation.pk]), {"answer": "return", "reason": "x"}
        ).status_code
        == 404
    )
    formation.refresh_from_db()
    assert formation.confirmation == "pending"


def test_staff_cannot_confirm_in_the_heads_place(client, staff, village):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(staff)
    assert (
        client.post(reverse("formation:answer", args=[formation.pk]), {"answer": "confirm"}).status_code
        == 403
    )


def test_a_returned_group_goes_back_to_staff_and_can_be_sent_again(client, head, village, staff):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(head)
    assert (
        client.post(
            reverse("formation:answer", args=[formation.pk]), {"answer": "return", "reason": ""}
        ).status_code
        == 200
    )
    assert Formation.objects.get(pk=formation.pk).confirmation == "pending", "a return needs a reason"
    client.post(
        reverse("formation:answer", args=[formation.pk]),
        {"answer": "return", "reason": "Bendahara belum ada"},
    )
    formation.refresh_from_db()
    assert (formation.confirmation, formation.returned_reason) == ("returned", "Bendahara belum ada")

    officers = [*OFFICERS, {"name": "Budi", "position": "bendahara", "phone": "", "gender": "L"}]
    services.formation_record_meeting(
        formation=formation, actor=staff, meeting_on=DAY, notes="", officers=officers
    )
    formation.refresh_from_db()
    assert formation.confirmation == "pending" and formation.kim.members.count() == 3


def test_staff_record_the_decree_with_a_pdf_through_the_browser_form(client, staff, village):
    formation = _formation(village, staff, Step.CONFIRMATION)
    client.force_login(staff)
    url = reverse("formation:step", args=[formation.pk, "decree"])
    data = {"sk_issuer": "kepala_desa", "sk_number": "800/996/Kominfo/2019", "sk_date": "2019-02-01"}
    not_pdf = client.post(url, {**data, "sk_file": SimpleUploadedFile("sk.pdf", b"MZ\x90\x00 not a pdf")})
    assert "sk_file" in not_pdf.context["form"].errors
    assert not Formation.objects.get(pk=formation.pk).has_reached(Step.DECREE)
    assert client.post(url, {**data, "sk_file": _pdf()}).status_code == 302
    assert Formation.objects.get(pk=formation.pk).kim.sk_number == "800/996/Kominfo/2019"


def test_an_oversized_decree_is_refused(client, staff, village, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    formation = _formation(village, staff, Step.CONFIRMATION)
    client.force_login(staff)
    big = SimpleUploadedFile("sk.pdf", PDF + b"0" * 2000)
    data = {"sk_issuer": "bupati", "sk_number": "1", "sk_date": "2019-02-01", "sk_file": big}
    response = client.post(reverse("formation:step", args=[formation.pk, "decree"]), data)
    assert "sk_file" in response.context["form"].errors


def test_a_future_date_is_refused(client, staff, village):
    formation = _formation(village, staff)
    client.force_login(staff)
    response = client.post(
        reverse("formation:step", args=[formation.pk, "coordination"]), {"coordinated_on": "2999-01-01"}
    )
    assert "coordinated_on" in response.context["form"].errors


def test_staff_record_the_meeting_with_its_officers_in_one_form(client, staff, village):
    formation = _formation(village, staff, Step.PATH)
    client.force_login(staff)
    data = {
        "meeting_on": "2019-02-01",
        "notes": "",
        "officers-TOTAL_FORMS": "3",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "0",
        "officers-MAX_NUM_FORMS": "60",
        "officers-0-name": "Sutrisno",
        "officers-0-position": "ketua",
        "officers-0-phone": "0812-3456-7890",
        "officers-1-name": "Aminah",
        "officers-1-position": "ketua",
    }
    two_chairs = client.post(reverse("formation:step", args=[formation.pk, "meeting"]), data)
    assert two_chairs.status_code == 200 and not Member.objects.exists()
    data["officers-1-position"] = "sekretaris"
    assert client.post(reverse("formation:step", args=[formation.pk, "meeting"]), data).status_code == 302
    assert sorted(Member.objects.values_list("phone", flat=True)) == ["", "+6281234567890"]


def test_only_staff_and_the_villages_head_download_the_letter_and_decree(
    client, staff, head, stranger, officer, village
):
    formation = _formation(village, staff, Step.ACTIVE)
    for user, letter, decree in [
        (staff, 200, 200),
        (head, 200, 200),
        (stranger, 404, 404),
        (officer, 403, 403),
    ]:
        client.force_login(user)
        assert client.get(reverse("formation:letter", args=[formation.pk])).status_code == letter, user
        assert client.get(reverse("register:decree", args=[formation.kim.pk])).status_code == decree, user


def test_cancelling_removes_the_group_being_formed(client, staff, village):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(staff)
    client.post(reverse("formation:cancel", args=[formation.pk]), {"reason": "Desa menunda"})
    formation.refresh_from_db()
    assert formation.state == "cancelled" and formation.kim is None
    assert not Kim.objects.exists()


def test_an_active_kim_shows_in_the_village_list_and_page(client, staff, village):
    formation = _formation(village, staff, Step.ACTIVE)
    client.force_login(staff)
    listed = client.get(reverse("villages:list"), {"has_kim": "yes"})
    assert [row.code for row in listed.context["page"]] == [village.pk]
    page = client.get(reverse("villages:detail", args=[village.pk]))
    assert formation.kim.name in page.content.decode()


def test_a_group_being_formed_is_not_yet_a_kim_in_the_village_list(client, staff, village):
    _formation(village, staff, Step.MEETING)
    client.force_login(staff)
    listed = client.get(reverse("villages:list"), {"has_kim": "yes"})
    assert list(listed.context["page"]) == []


def test_formation_page_runs_a_fixed_number_of_queries(client, staff, village, django_assert_num_queries):
    formation = _formation(village, staff, Step.ACTIVE)
    client.force_login(staff)
    # Six: the documents panel adds one, the documents issued of the formation.
    with django_assert_num_queries(6):
        client.get(reverse("formation:detail", args=[formation.pk]))
    extra = [{"name": f"Anggota {i}", "position": "anggota", "phone": "", "gender": ""} for i in range(30)]
    other = _formation(VillageFactory(), staff, Step.MEETING)
    services.formation_record_meeting(
        formation=other, actor=staff, meeting_on=DAY, notes="", officers=[*OFFICERS, *extra]
    )
    with django_assert_num_queries(6):
        client.get(reverse("formation:detail", args=[other.pk]))


def test_formations_list_by_year_and_step_and_download(client, staff, village, other_village):
    _formation(village, staff, Step.MEETING)
    _formation(other_village, staff, Step.COORDINATION)
    client.force_login(staff)
    response = client.get(reverse("formation:list"), {"year": 2019, "step": "meeting"})
    assert [f.target.village for f in response.context["page"]] == [village]
    rows = csv_rows(download(client, "formations", "csv", {"year": 2019}))
    assert {row[1] for row in rows[1:]} == {"Selakambang", "Kaligondang"}


def test_staff_record_a_kim_formed_before_the_system_in_one_form(client, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    data = {
        "village": village.pk,
        "name": "KIM Lama",
        "origin": "new",
        "status": "active",
        "founded_on": "2013-05-02",
        "sk_issuer": "kepala_desa",
        "sk_number": "555/115 Tahun 2013",
        "sk_date": "2013-05-02",
        "officers-TOTAL_FORMS": "1",
        "officers-INITIAL_FORMS": "0",
        "officers-MIN_NUM_FORMS": "0",
        "officers-MAX_NUM_FORMS": "60",
        "officers-0-name": "Pak Lurah",
        "officers-0-position": "ketua",
    }
    response = client.post(reverse("formation:record_existing"), data)
    assert response.status_code == 302
    kim = Kim.objects.get()
    assert (kim.founded_on, kim.status, kim.members.get().position) == (
        dt.date(2013, 5, 2),
        "active",
        "ketua",
    )
    again = client.post(reverse("formation:record_existing"), {**data, "name": "KIM Kedua"})
    assert again.status_code == 200 and Kim.objects.count() == 1


def test_step_pages_refuse_unknown_steps(client, staff, village):
    formation = _formation(village, staff)
    client.force_login(staff)
    assert client.get(reverse("formation:step", args=[formation.pk, "nonsense"])).status_code == 404
    assert client.get(reverse("formation:step", args=[formation.pk, "active"])).status_code == 404


def test_answer_refuses_get(client, head, village, staff):
    formation = _formation(village, staff, Step.MEETING)
    client.force_login(head)
    assert client.get(reverse("formation:answer", args=[formation.pk])).status_code == 405

import io

import pytest
from django.db import connection
from django.urls import reverse

from kim.accounts.models import Role
from kim.lib.pagination import ListPaginator
from tests.exporting import content, csv_rows, download, sheet_rows
from tests.factories import (
    AgencyFactory,
    CommunityGroupFactory,
    DistrictFactory,
    KimFactory,
    UserFactory,
    VillageFactory,
    VillageYearFactory,
)
from villages.models import CommunityGroup, Village, VillageChange, VillageYear

pytestmark = pytest.mark.django_db


def test_village_head_updates_their_village_contacts_and_the_change_is_in_the_history(client, head, village):
    client.force_login(head)
    response = client.post(
        reverse("villages:contacts_edit", args=[village.pk]),
        {"head_name": "Bapak Sutrisno", "head_phone": "0812-3456-7890", "office_address": "Jl. Raya"},
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.head_phone == "+6281234567890"
    assert village.head_whatsapp_url == "https://wa.me/6281234567890"
    change = VillageChange.objects.get(village=village)
    assert change.actor == head
    assert "Sutrisno" in change.details


def test_village_page_shows_the_head_phone_with_a_whatsapp_link(client, staff, village):
    village.head_name, village.head_phone = "Bapak Sutrisno", "+6281234567890"
    village.save()
    client.force_login(staff)
    response = client.get(reverse("villages:detail", args=[village.pk]))
    assert b"https://wa.me/6281234567890" in response.content


def test_a_wrong_phone_number_is_refused_and_nothing_is_saved(client, head, village):
    client.force_login(head)
    response = client.post(
        reverse("villages:contacts_edit", args=[village.pk]),
        {"head_name": "Bapak Sutrisno", "head_phone": "12345", "office_address": ""},
    )
    assert response.status_code == 200
    assert "head_phone" in response.context["form"].errors
    village.refresh_from_db()
    assert village.head_name == ""
    assert not VillageChange.objects.exists()


def test_saving_unchanged_contacts_leaves_no_history_line(client, head, village):
    client.force_login(head)
    client.post(reverse("villages:contacts_edit", args=[village.pk]), {"head_name": "", "head_phone": ""})
    assert not VillageChange.objects.exists()


def test_village_head_adds_edits_and_removes_a_community_group(client, head, village):
    client.force_login(head)
    client.post(
        reverse("villages:group_create", args=[village.pk]),
        {"name": "Karang Taruna Tunas", "kind": "karang_taruna", "contact_phone": "6281234567890"},
    )
    group = CommunityGroup.objects.get(village=village)
    assert group.contact_phone == "+6281234567890"
    client.post(
        reverse("villages:group_edit", args=[village.pk, group.pk]),
        {"name": "Karang Taruna Tunas Muda", "kind": "karang_taruna", "contact_phone": ""},
    )
    group.refresh_from_db()
    assert group.name == "Karang Taruna Tunas Muda"
    client.post(reverse("villages:group_delete", args=[village.pk, group.pk]))
    assert not CommunityGroup.objects.exists()
    actions = list(VillageChange.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["group_added", "group_changed", "group_removed"]


def test_a_village_cannot_have_two_groups_of_the_same_name(client, head, village):
    CommunityGroupFactory(village=village, name="PKK Desa")
    client.force_login(head)
    response = client.post(
        reverse("villages:group_create", args=[village.pk]), {"name": "pkk  desa", "kind": "pkk"}
    )
    assert response.status_code == 200
    assert CommunityGroup.objects.count() == 1


def test_a_group_of_another_village_is_not_found_through_this_village(client, staff, village, other_village):
    group = CommunityGroupFactory(village=other_village)
    client.force_login(staff)
    assert client.get(reverse("villages:group_edit", args=[village.pk, group.pk])).status_code == 404


def test_stranger_cannot_delete_a_group_of_another_village(client, stranger, village):
    group = CommunityGroupFactory(village=village)
    client.force_login(stranger)
    assert client.post(reverse("villages:group_delete", args=[village.pk, group.pk])).status_code == 404
    assert CommunityGroup.objects.filter(pk=group.pk).exists()


def test_group_delete_refuses_get(client, head, village):
    group = CommunityGroupFactory(village=village)
    client.force_login(head)
    assert client.get(reverse("villages:group_delete", args=[village.pk, group.pk])).status_code == 405


def test_staff_set_a_village_status_for_a_year(client, staff, village, agency):
    client.force_login(staff)
    response = client.post(
        reverse("villages:year_edit", args=[village.pk, 2019]),
        {"is_red_zone": "on", "red_zone_decree": "SK Bupati 400/12/2019", "mentor_agency": agency.pk},
    )
    assert response.status_code == 302
    row = VillageYear.objects.get(village=village, year=2019)
    assert (row.is_red_zone, row.red_zone_decree, row.mentor_agency) == (
        True,
        "SK Bupati 400/12/2019",
        agency,
    )


def test_zona_merah_without_a_decree_is_refused(client, staff, village):
    client.force_login(staff)
    response = client.post(reverse("villages:year_edit", args=[village.pk, 2019]), {"is_red_zone": "on"})
    assert response.status_code == 200
    assert not VillageYear.objects.exists()


def test_staff_mark_many_villages_zona_merah_at_once(client, staff, village, other_village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    response = client.post(
        reverse("villages:status_bulk", args=[2019]),
        {"action": "mark", "decree": "SK 1/2019", "villages": [village.pk, other_village.pk]},
    )
    assert response.status_code == 302
    assert VillageYear.objects.filter(year=2019, is_red_zone=True).count() == 2
    assert VillageChange.objects.filter(action="status").count() == 2


def test_bulk_marking_twice_changes_nothing_the_second_time(client, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    data = {"action": "mark", "decree": "SK 1/2019", "villages": [village.pk]}
    client.post(reverse("villages:status_bulk", args=[2019]), data)
    client.post(reverse("villages:status_bulk", args=[2019]), data)
    assert VillageChange.objects.count() == 1


def test_staff_assign_a_mentoring_agency_in_bulk(client, staff, village, agency, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    client.post(
        reverse("villages:status_bulk", args=[2019]),
        {"action": "mentor", "agency": agency.pk, "villages": [village.pk]},
    )
    assert VillageYear.objects.get(village=village, year=2019).mentor_agency == agency


def test_bulk_with_an_unknown_village_saves_nothing(client, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff)
    response = client.post(
        reverse("villages:status_bulk", args=[2019]),
        {"action": "mark", "decree": "SK", "villages": [village.pk, "99.99.99.9999"]},
    )
    assert response.status_code == 200
    assert not VillageYear.objects.exists()


def _upload(client, text, **extra):
    data = {"year": 2019, "decree": "SK Bupati 2019", **extra, "file": io.BytesIO(text.encode())}
    data["file"].name = "zona.csv"
    return client.post(reverse("villages:status_upload"), data)


def test_uploaded_csv_is_previewed_then_saved(client, staff, village, other_village):
    VillageYearFactory(village=other_village, year=2019, is_red_zone=True, red_zone_decree="lama")
    client.force_login(staff)
    response = _upload(client, "kode\n3303042006\n", replace="on")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert [v.pk for v in plan.add] == [village.pk]
    assert [v.pk for v in plan.remove] == [other_village.pk]
    assert not VillageYear.objects.filter(village=village).exists(), "the preview must not save"

    response = client.post(reverse("villages:status_upload_confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert list(VillageYear.objects.red_zone().filter(year=2019).values_list("village", flat=True)) == [
        village.pk
    ]


def test_upload_with_an_unknown_code_names_the_line_and_saves_nothing(client, staff, village):
    client.force_login(staff)
    response = _upload(client, "33.03.04.2006\nbukan-kode\n33.03.99.2001\n")
    errors = response.context["form"].errors["file"]
    assert any("2" in e and "bukan-kode" in e for e in errors)
    assert any("33.03.99.2001" in e for e in errors)
    assert not VillageYear.objects.exists()


def test_a_tampered_preview_token_saves_nothing(client, staff, village):
    client.force_login(staff)
    response = client.post(reverse("villages:status_upload_confirm"), {"token": "forged"})
    assert response.status_code == 302
    assert not VillageYear.objects.exists()


def test_an_oversized_or_binary_upload_is_refused(client, staff, village):
    client.force_login(staff)
    assert "file" in _upload(client, "3303042006\n" * 60000).context["form"].errors
    binary = client.post(
        reverse("villages:status_upload"),
        {"year": 2019, "decree": "SK", "file": io.BytesIO(b"\xff\xfe\x00\x01")},
    )
    assert "file" in binary.context["form"].errors


def _villages(count, district=None):
    district = district or DistrictFactory()
    return Village.objects.bulk_create(
        Village(code=f"{district.code}.{2001 + i:04d}", district=district, name=f"Desa {i}", kind="desa")
        for i in range(count)
    )


def test_village_list_filters_zona_merah_of_a_kecamatan(client, staff, village, other_village):
    VillageYearFactory(village=village, year=2019, is_red_zone=True)
    VillageYearFactory(village=other_village, year=2020, is_red_zone=True)
    client.force_login(staff)
    response = client.get(
        reverse("villages:list"), {"district": village.district_id, "year": 2019, "red_zone": "yes"}
    )
    assert [row.code for row in response.context["page"]] == [village.pk]
    response = client.get(reverse("villages:list"), {"year": 2019, "red_zone": "no"})
    assert [row.code for row in response.context["page"]] == [other_village.pk]


def test_village_list_filters_binaan_and_kim(client, staff, village, other_village, agency):
    VillageYearFactory(village=village, year=2019, mentor_agency=agency)
    KimFactory(village=other_village)
    client.force_login(staff)
    by_mentor = client.get(reverse("villages:list"), {"year": 2019, "mentor": agency.pk})
    assert [row.code for row in by_mentor.context["page"]] == [village.pk]
    with_kim = client.get(reverse("villages:list"), {"has_kim": "yes"})
    assert [row.code for row in with_kim.context["page"]] == [other_village.pk]
    without_kim = client.get(reverse("villages:list"), {"has_kim": "no"})
    assert [row.code for row in without_kim.context["page"]] == [village.pk]


@pytest.mark.parametrize("query", ["selak", "SELAKAMBANG", "33.03.04.2006", "3303042006", " 33.03.04.2006 "])
def test_village_list_searches_by_name_or_code(client, staff, village, other_village, query):
    client.force_login(staff)
    response = client.get(reverse("villages:list"), {"q": query})
    assert [row.code for row in response.context["page"]] == [village.pk]


@pytest.mark.parametrize("query", ["33.03.04", "330304", "33.03.04.200"])
def test_village_list_searches_by_code_prefix(client, staff, village, other_village, query):
    client.force_login(staff)
    response = client.get(reverse("villages:list"), {"q": query})
    assert {row.code for row in response.context["page"]} == {village.pk, other_village.pk}


def test_a_bad_filter_value_shows_the_list_without_error(client, staff, village):
    client.force_login(staff)
    response = client.get(reverse("villages:list"), {"year": "abc", "district": "x", "red_zone": "maybe"})
    assert response.status_code == 200


def test_filtered_list_downloads_as_csv_and_excel(client, staff, village, other_village, agency):
    VillageYearFactory(village=village, year=2019, is_red_zone=True, mentor_agency=agency)
    client.force_login(staff)
    rows = csv_rows(download(client, "villages", "csv", {"year": 2019, "red_zone": "yes"}))
    assert rows[1][:2] == [village.pk, "Selakambang"]
    assert rows[1][5] == agency.short_name
    assert len(rows) == 2

    rows = sheet_rows(download(client, "villages", "xlsx", {"year": 2019, "red_zone": "yes"}))
    assert rows[1][:2] == [village.pk, "Selakambang"]
    assert len(rows) == 2


@pytest.mark.parametrize("count", [239, 5000])
def test_village_list_runs_the_same_number_of_queries_whatever_the_count(
    client, staff, django_assert_num_queries, count
):
    villages = _villages(count)
    agency = AgencyFactory()
    VillageYear.objects.bulk_create(
        VillageYear(village=v, year=2019, is_red_zone=True, mentor_agency=agency) for v in villages[::3]
    )
    KimFactory(village=villages[1])
    client.force_login(staff)
    # user, the navbar's counts, count, rows, kecamatan choices, agency choices (the session is read from the cache)
    with django_assert_num_queries(6):
        response = client.get(reverse("villages:list"), {"year": 2019, "page": 2})
    assert [row.code for row in response.context["page"]] == [v.code for v in villages[25:50]]
    with django_assert_num_queries(6):
        client.get(reverse("villages:list"), {"year": 2019, "red_zone": "yes", "has_kim": "no", "q": "Desa"})


def test_village_page_runs_a_fixed_number_of_queries(client, staff, village, django_assert_num_queries):
    agency = AgencyFactory()
    for year in range(2015, 2025):
        VillageYearFactory(village=village, year=year, is_red_zone=True, mentor_agency=agency)
    CommunityGroupFactory.create_batch(10, village=village)
    client.force_login(staff)
    client.post(reverse("villages:contacts_edit", args=[village.pk]), {"head_name": "A"})
    # user, the navbar's counts, village, years, groups, history, kims, formations
    with django_assert_num_queries(8):
        client.get(reverse("villages:detail", args=[village.pk]))


def test_map_data_gives_each_village_status_and_filter_match(client, staff, village, other_village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    VillageYearFactory(village=village, year=2019, is_red_zone=True)
    KimFactory(village=other_village)
    client.force_login(staff)
    data = client.get(reverse("villages:map_data"), {"year": 2019, "red_zone": "yes"}).json()
    assert data["year"] == 2019
    assert data["villages"][village.pk] == {
        "red_zone": True,
        "mentor": None,
        "has_kim": False,
        "active_kim": False,
        "match": True,
    }
    assert data["villages"][other_village.pk]["match"] is False
    assert data["villages"][other_village.pk]["has_kim"] is True


def test_officer_reads_the_registry_but_cannot_edit(client, officer, village):
    client.force_login(officer)
    page = client.get(reverse("villages:detail", args=[village.pk]))
    assert page.status_code == 200
    assert page.context["can_edit"] is False
    assert (
        client.post(reverse("villages:contacts_edit", args=[village.pk]), {"head_name": "X"}).status_code
        == 403
    )


def test_deactivated_head_cannot_sign_in(client, village):
    user = UserFactory(role=Role.VILLAGE_HEAD, village=village, is_active=False)
    client.post(reverse("login"), {"username": user.username, "password": "sandi-rahasia-123"})
    assert client.get(reverse("home:index")).status_code == 302


def test_unfiltered_list_over_a_large_table_shows_an_estimated_total_in_the_same_queries(
    client, staff, monkeypatch, django_assert_num_queries
):
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate exists on PostgreSQL only")
    monkeypatch.setattr(ListPaginator, "ESTIMATE_ABOVE", 100)
    _villages(300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE villages_village")
    client.force_login(staff)
    with django_assert_num_queries(6):
        response = client.get(reverse("villages:list"))
    assert response.context["page"].paginator.is_estimate
    assert response.context["page"].paginator.count == pytest.approx(300, rel=0.1)
    filtered = client.get(reverse("villages:list"), {"q": "Desa 1"})
    assert not filtered.context["page"].paginator.is_estimate


def test_search_lists_names_that_start_with_the_words_first(client, staff):
    district = DistrictFactory()
    for code, name in [("2001", "Kutasari"), ("2002", "Sari Rejo"), ("2003", "Banjarsari")]:
        VillageFactory(code=f"{district.code}.{code}", name=name, district=district)
    client.force_login(staff)
    response = client.get(reverse("villages:list"), {"q": "sari"})
    assert [row.name for row in response.context["page"]] == ["Sari Rejo", "Kutasari", "Banjarsari"]


def test_downloads_keep_typed_text_from_running_as_a_spreadsheet_formula(client, staff, village):
    village.head_name = '=HYPERLINK("http://evil.example","klik")'
    village.head_phone = "+6281234567890"
    village.save()
    client.force_login(staff)
    text = content(download(client, "villages", "csv")).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",+6281234567890" in text

import datetime as dt

import pytest
from django.urls import reverse

from kim.accounts.models import Role
from kim.downloads import building
from kim.register.models import Kim, Member
from tests.exporting import csv_rows, download, job_id_of, sheet_rows, start
from tests.factories import (
    DevelopmentLevelFactory,
    DistrictFactory,
    KimFactory,
    MemberFactory,
    UserFactory,
    VillageFactory,
)
from villages.models import Village

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

NOW = dt.datetime(2019, 6, 1, 9, tzinfo=dt.UTC)
BUILD_QUERIES = 15  # with the "file ready" rule in force: its message planned, then the due check
TODAY = dt.date(2019, 6, 1)


@pytest.fixture
def kim_in_good_standing(village):
    """Selakambang's KIM, in good standing: a ketua, enough members, visited last month."""
    kim = KimFactory(
        village=village,
        name="KIM Selakambang Maju",
        origin=Kim.Origin.ADOPTED,
        founded_on=dt.date(2019, 2, 1),
        kimid_number="KIM-33.03-0001",
        last_visit_on=dt.date(2019, 5, 2),
    )
    MemberFactory(kim=kim, name="Bu Sri Wahyuni", position=Member.Position.KETUA, phone="+6281234567890")
    MemberFactory.create_batch(9, kim=kim)
    return kim


def _names(response) -> list[str]:
    return [row.name for row in response.context["page"]]


def _list(client, user, **params):
    client.force_login(user)
    return client.get(reverse("register:list"), params)


def test_staff_see_registered_kims_by_name_but_not_those_being_formed(
    client, staff, kim_in_good_standing, other_kim
):
    KimFactory(name="KIM Baru", status=Kim.Status.FORMING)
    response = _list(client, staff)
    assert response.status_code == 200
    assert _names(response) == ["KIM Kaligondang", "KIM Selakambang Maju"]


def test_a_later_page_continues_by_name_and_kims_of_the_same_name_keep_their_order(client, staff):
    _kims_with_members(60)
    twins = KimFactory.create_batch(2, name="KIM 0030")
    page = _list(client, staff, page=2).context["page"]
    names = [row.name for row in page]
    assert names[:8] == ["KIM 0025", "KIM 0026", "KIM 0027", "KIM 0028", "KIM 0029"] + ["KIM 0030"] * 3
    same_name = [row.pk for row in page if row.name == "KIM 0030"]
    assert same_name == sorted(same_name) and {twin.pk for twin in twins} < set(same_name)
    assert page.paginator.count == 62


def test_list_shows_village_kecamatan_and_the_ketua_with_a_whatsapp_link(client, staff, kim_in_good_standing):
    response = _list(client, staff)
    row = response.context["page"][0]
    assert (row.village_name, row.district_name, row.ketua_name) == (
        "Selakambang",
        "Kaligondang",
        "Bu Sri Wahyuni",
    )
    assert (row.member_count, row.has_ketua, row.flags) == (10, True, [])
    assert b'href="https://wa.me/6281234567890"' in response.content
    assert reverse("register:detail", args=[kim_in_good_standing.pk]).encode() in response.content


def test_a_ketua_who_left_is_not_the_current_ketua(client, staff, kim_in_good_standing):
    Member.objects.filter(kim=kim_in_good_standing, position=Member.Position.KETUA).update(
        left_on=dt.date(2019, 5, 1)
    )
    row = _list(client, staff).context["page"][0]
    assert (row.ketua_name, row.has_ketua, row.member_count) == (None, False, 9)


@pytest.mark.parametrize("query", ["selakambang maju", "SELAK", "  maju "])
def test_search_finds_a_kim_by_its_name(client, staff, kim_in_good_standing, other_kim, query):
    assert _names(_list(client, staff, q=query)) == ["KIM Selakambang Maju"]


def test_search_finds_a_kim_by_its_village_name(client, staff, kim_in_good_standing, other_village):
    KimFactory(village=other_village, name="KIM Sinar Harapan")
    assert _names(_list(client, staff, q="kaligon")) == ["KIM Sinar Harapan"]


def test_filter_by_kecamatan(client, staff, kim_in_good_standing, other_kim):
    elsewhere = VillageFactory(district=DistrictFactory(code="33.03.05", name="Kutasari"))
    KimFactory(village=elsewhere, name="KIM Kutasari")
    assert _names(_list(client, staff, kecamatan="33.03.05")) == ["KIM Kutasari"]
    assert _names(_list(client, staff, kecamatan="33.03.04")) == ["KIM Kaligondang", "KIM Selakambang Maju"]


def test_kecamatan_choices_are_the_home_regency_districts_only(client, staff, village):
    VillageFactory(district=DistrictFactory(code="34.01.01", name="Temon", regency__code="34.01"))
    response = _list(client, staff)
    choices = [value for value, _label in response.context["filter"].form.fields["kecamatan"].choices]
    assert choices == ["", "33.03.04"]


def test_filter_by_status(client, staff, kim_in_good_standing, other_kim):
    assert _names(_list(client, staff, status="inactive")) == ["KIM Kaligondang"]
    assert _names(_list(client, staff, status="active")) == ["KIM Selakambang Maju"]


def test_forming_is_not_a_status_to_filter_by(client, staff, kim_in_good_standing):
    KimFactory(name="KIM Baru", status=Kim.Status.FORMING)
    response = _list(client, staff, status="forming")
    assert "status" in response.context["filter"].form.errors
    assert _names(response) == ["KIM Selakambang Maju"]


def test_filter_by_level(client, staff, kim_in_good_standing, other_kim):
    madya = DevelopmentLevelFactory(name="Madya", rank=2)
    Kim.objects.filter(pk=other_kim.pk).update(level=madya)
    response = _list(client, staff, level=madya.pk)
    assert _names(response) == ["KIM Kaligondang"]
    assert response.context["page"][0].level_name == "Madya"


def test_filter_by_origin(client, staff, kim_in_good_standing, other_kim):
    assert _names(_list(client, staff, origin="adopted")) == ["KIM Selakambang Maju"]
    assert _names(_list(client, staff, origin="new")) == ["KIM Kaligondang"]


def test_filter_by_mentor_offers_only_staff_who_mentor_a_kim(
    client, staff, staff_admin, kim_in_good_standing, other_kim
):
    mentor = UserFactory(first_name="Yuli", last_name="Astuti", role=Role.STAFF)
    kim_in_good_standing.mentors.add(mentor)
    response = _list(client, staff, mentor=mentor.pk)
    assert _names(response) == ["KIM Selakambang Maju"]
    assert list(response.context["filter"].form.fields["mentor"].choices)[1:] == [(mentor.pk, "Yuli Astuti")]
    assert "mentor" in _list(client, staff, mentor=staff_admin.pk).context["filter"].form.errors


def test_filter_by_last_visit(client, staff, kim_in_good_standing, other_kim, settings):
    settings.KIM_VISIT_CADENCE_DAYS = 90
    long_ago = KimFactory(name="KIM Lama", last_visit_on=TODAY - dt.timedelta(days=91))
    young = KimFactory(name="KIM Muda", founded_on=TODAY - dt.timedelta(days=30))
    assert _names(_list(client, staff, last_visit="recent")) == ["KIM Selakambang Maju"]
    # Inactive KIMs are never due; an active one never visited is due once it is older than the cadence.
    assert _names(_list(client, staff, last_visit="overdue")) == [long_ago.name]
    assert _names(_list(client, staff, last_visit="never")) == ["KIM Kaligondang", young.name]


def test_filter_by_flag(client, staff, kim_in_good_standing, other_kim, settings):
    settings.KIM_MIN_MEMBERS = 10
    small = KimFactory(name="KIM Kecil")
    MemberFactory(kim=small, position=Member.Position.KETUA)
    assert _names(_list(client, staff, flagged="yes")) == ["KIM Kaligondang", "KIM Kecil"]
    assert _names(_list(client, staff, flagged="no")) == ["KIM Selakambang Maju"]
    settings.KIM_MIN_MEMBERS = 1
    assert _names(_list(client, staff, flagged="yes")) == ["KIM Kaligondang"]


def test_flags_say_what_needs_attention(client, staff, kim_in_good_standing, settings):
    settings.KIM_MIN_MEMBERS = 10
    quiet = KimFactory(name="KIM Sepi", founded_on=dt.date(2018, 1, 1))
    MemberFactory.create_batch(3, kim=quiet)
    response = _list(client, staff)
    flags = {row.name: row.flags for row in response.context["page"]}
    assert flags == {"KIM Selakambang Maju": [], "KIM Sepi": ["no ketua", "too few members", "not visited"]}
    assert b"too few members" in response.content


def test_a_bad_filter_value_shows_the_list_without_error(client, staff, kim_in_good_standing):
    response = _list(client, staff, level="x", mentor="abc", last_visit="soon", flagged="maybe", page="zz")
    assert response.status_code == 200
    assert _names(response) == ["KIM Selakambang Maju"]


def test_village_head_sees_only_their_village_kim(client, head, kim_in_good_standing, other_kim):
    response = _list(client, head)
    assert _names(response) == ["KIM Selakambang Maju"]
    assert _names(_list(client, head, kecamatan="33.03.04", q="kaligondang")) == []


def test_head_of_another_village_does_not_see_this_village_kim(
    client, stranger, kim_in_good_standing, other_kim
):
    assert _names(_list(client, stranger)) == ["KIM Kaligondang"]


def test_officer_reads_the_directory_with_each_ketua_contact(
    client, officer, kim_in_good_standing, other_kim
):
    response = _list(client, officer)
    assert _names(response) == ["KIM Kaligondang", "KIM Selakambang Maju"]
    assert b"Bu Sri Wahyuni" in response.content
    assert b"https://wa.me/6281234567890" in response.content


def test_anonymous_is_sent_to_sign_in(client, kim_in_good_standing):
    response = client.get(reverse("register:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = start(client, "kims", "csv")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_refuses_post(client, staff):
    client.force_login(staff)
    assert client.post(reverse("register:list")).status_code == 405


def test_filtered_list_downloads_as_csv(client, staff, kim_in_good_standing, other_kim):
    kim_in_good_standing.level = DevelopmentLevelFactory(name="Pemula")
    kim_in_good_standing.save()
    client.force_login(staff)
    response = download(client, "kims", "csv", {"status": "active"})
    assert response["Content-Disposition"] == 'attachment; filename="kim-2019-06-01.csv"'
    rows = csv_rows(response)
    assert rows[0][0] == "Name" and len(rows[0]) == 13
    assert rows[1:] == [
        [
            "KIM Selakambang Maju",
            "Selakambang",
            "Kaligondang",
            "active",
            "existing group that took on the work",
            "Pemula",
            "2019-02-01",
            "KIM-33.03-0001",
            "Bu Sri Wahyuni",
            "+6281234567890",
            "10",
            "2019-05-02",
            "",
        ]
    ]


def test_filtered_list_downloads_as_excel_with_dates_and_numbers(
    client, staff, kim_in_good_standing, other_kim
):
    client.force_login(staff)
    rows = sheet_rows(download(client, "kims", "xlsx", {"q": "kaligondang"}))
    assert len(rows) == 2
    row = rows[1]
    assert row[:4] == ["KIM Kaligondang", "Kaligondang", "Kaligondang", "inactive"]
    assert row[8:11] == [None, None, 0]
    assert row[12] == "no ketua; too few members"

    row = sheet_rows(download(client, "kims", "xlsx", {"status": "active"}))[1]
    assert (row[6], row[10], row[11]) == (dt.datetime(2019, 2, 1), 10, dt.datetime(2019, 5, 2))


def test_a_name_that_looks_like_a_formula_downloads_as_text(client, staff, kim_in_good_standing):
    Member.objects.filter(kim=kim_in_good_standing, position=Member.Position.KETUA).update(
        name="=HYPERLINK(1)"
    )
    client.force_login(staff)
    assert csv_rows(download(client, "kims", "csv"))[1][8] == "'=HYPERLINK(1)"
    assert sheet_rows(download(client, "kims", "xlsx"))[1][8] == "'=HYPERLINK(1)"


def test_village_head_downloads_only_their_village_kim(client, head, kim_in_good_standing, other_kim):
    client.force_login(head)
    rows = csv_rows(download(client, "kims", "csv"))
    assert [row[0] for row in rows[1:]] == ["KIM Selakambang Maju"]


def _kims_with_members(count):
    """`count` active KIMs, each in its own village, each with a ketua and nine members; in bulk."""
    district = DistrictFactory(code="33.03.04", name="Kaligondang")
    villages = Village.objects.bulk_create(
        Village(code=f"33.03.04.{2001 + i:04d}", district=district, name=f"Desa {i}", kind="desa")
        for i in range(count)
    )
    level = DevelopmentLevelFactory()
    kims = Kim.objects.bulk_create(
        Kim(village=village, name=f"KIM {i:04d}", level=level if i % 2 else None, last_visit_on=TODAY)
        for i, village in enumerate(villages)
    )
    Member.objects.bulk_create(
        Member(
            kim=kim,
            name=f"Anggota {n}",
            phone="+6281234567890",
            position=Member.Position.KETUA if n == 0 else Member.Position.ANGGOTA,
        )
        for kim in kims
        for n in range(10)
    )


@pytest.mark.parametrize("count", [10, 500])
def test_kim_list_runs_the_same_number_of_queries_whatever_the_number_of_kims_and_members(
    client, staff, django_assert_num_queries, count
):
    _kims_with_members(count)
    Kim.mentors.through.objects.bulk_create(
        Kim.mentors.through(kim=kim, user=staff) for kim in Kim.objects.all()[:5]
    )
    client.force_login(staff)
    # user, the navbar's counts, count, rows, kecamatan choices, level choices, mentor choices (the session comes from the cache)
    with django_assert_num_queries(7):
        response = client.get(reverse("register:list"), {"page": 1 if count == 10 else 2})
    assert len(response.context["page"]) == 10 if count == 10 else 25
    assert all(row.member_count == 10 and row.has_ketua for row in response.context["page"])
    with django_assert_num_queries(7):
        client.get(
            reverse("register:list"),
            {"q": "KIM", "kecamatan": "33.03.04", "status": "active", "mentor": staff.pk, "flagged": "no"},
        )


@pytest.mark.parametrize("count", [10, 450])
def test_kim_download_builds_in_the_same_number_of_queries_whatever_the_number_of_kims(
    client, staff, reminder_rules, django_assert_num_queries, count
):
    _kims_with_members(count)
    client.force_login(staff)
    job_id = job_id_of(start(client, "kims", "csv"))
    # The claim and the job, the count, the rows, the finish, and the "file ready" message planned; fewer than
    # 500 rows here, so no progress is written in between (one more write every 500 rows beyond).
    with django_assert_num_queries(BUILD_QUERIES):
        assert building.run(job_id) == "done"
    assert len(csv_rows(client.get(reverse("downloads:file", args=[job_id])))) == count + 1

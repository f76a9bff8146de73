"""The recap's workbook, read back with openpyxl: its sheets, their headings, and totals equal to the
dashboard's figures (kim.dashboard.selectors.programme_year), on the demo and on a generated year."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kim.dashboard.selectors import programme_year
from kim.mentoring.models import Visit
from kim.recap.services import recap_write
from kim.recap.workbook import follow_up_standing
from kim.register.models import Kim, Member
from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session
from tests.factories import KimFactory, MemberFactory, SessionFactory, VillageFactory

pytestmark = pytest.mark.django_db

SHEETS = ["Ringkasan", "Per kecamatan", "KIM", "Pembentukan", "Sesi", "Tindak lanjut", "Pendampingan"]
FIRST_ROW = 6  # under the four heading lines and the header


def build(year, district="", progress=None):
    output = io.BytesIO()
    recap_write(
        output, year=year, district=district, file_format="xlsx", progress=progress or (lambda *a: None)
    )
    output.seek(0)
    return load_workbook(output)


def summary(book) -> dict[str, object]:
    return {
        row[0]: row[1] for row in book["Ringkasan"].iter_rows(min_row=FIRST_ROW, values_only=True) if row[0]
    }


def district_total(book) -> dict[str, object]:
    sheet = book["Per kecamatan"]
    header = [cell.value for cell in sheet[5]]
    last = next(sheet.iter_rows(min_row=sheet.max_row, values_only=True))
    assert last[1] == "Jumlah"
    return dict(zip(header, last, strict=True))


def data_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True) if isinstance(row[0], int)]


def assert_totals_are_the_dashboards(book, figures):
    lines = summary(book)
    kims, targets, red, held, follow = (
        figures.kims,
        figures.targets,
        figures.red_zone,
        figures.sessions,
        figures.follow_ups,
    )
    assert lines["KIM terdaftar sampai akhir tahun"] == kims.total
    assert lines["KIM baru dalam tahun ini"] == kims.new
    assert lines["Aktif"] == kims.active
    assert lines["Nonaktif"] == kims.inactive
    assert lines["Desa sasaran tahun ini"] == targets.total
    assert lines["KIM terbentuk"] == targets.formed
    assert lines["Desa zona merah tahun ini"] == red.red_zone
    assert lines["Desa zona merah yang memiliki KIM aktif"] == red.covered
    assert lines["Sesi yang terlaksana atau direncanakan tahun ini"] == held.total
    assert lines["Kehadiran, laki-laki"] == held.attended_male
    assert lines["Kehadiran, perempuan"] == held.attended_female
    assert lines["Tindak lanjut yang disepakati"] == follow.total
    assert lines["Selesai tepat waktu"] == follow.on_time
    assert lines["Selesai terlambat"] == follow.late
    assert lines["Lewat tenggat"] == follow.overdue
    assert lines["KIM aktif"] == figures.mentoring.active
    total = district_total(book)
    assert (total["KIM"], total["KIM baru"], total["Aktif"], total["Nonaktif"]) == (
        kims.total,
        kims.new,
        kims.active,
        kims.inactive,
    )
    assert (total["Desa sasaran"], total["Terbentuk"]) == (targets.total, targets.formed)
    assert (total["Desa zona merah"], total["Zona merah ber-KIM"]) == (red.red_zone, red.covered)
    assert (total["Sesi"], total["Tindak lanjut"]) == (held.total, follow.total)
    # The registers hold as many rows as the figures count.
    assert len(data_rows(book["KIM"])) == kims.total
    assert len(data_rows(book["Pembentukan"])) == targets.total
    assert len(data_rows(book["Sesi"])) == held.total
    assert len(data_rows(book["Tindak lanjut"])) == follow.total


def test_the_demos_2019_recap_has_every_sheet_with_its_heading_and_frozen_header(demo, signed):
    book = build(2019)
    assert book.sheetnames == SHEETS
    for sheet in book.worksheets:
        assert sheet["A1"].value == "Rekapitulasi Program KIM Tahun 2019", sheet.title
        assert sheet["A2"].value == "Kabupaten Purbalingga · Periode: 1 Januari 2019 s.d. 31 Desember 2019"
        assert sheet["A3"].value == "Dinas Komunikasi dan Informatika Kabupaten Purbalingga"
        assert sheet["A1"].font.bold and sheet["A5"].font.bold
        assert sheet.freeze_panes == "A6"
        assert sheet.column_dimensions["A"].width > 0 and sheet.column_dimensions["B"].width > 0


def test_the_demos_2019_totals_are_the_dashboards_and_selakambang_is_formed(demo, signed):
    book = build(2019)
    figures = programme_year(2019)
    assert_totals_are_the_dashboards(book, figures)
    targets = data_rows(book["Pembentukan"])
    assert [(row[2], row[9]) for row in targets] == [("Selakambang", "KIM Selakambang")]
    assert summary(book)["KIM baru dalam tahun ini"] == 1


def test_this_years_recap_of_one_kecamatan_has_the_dashboards_totals(demo, signed):
    year = timezone.localdate().year
    book = build(year, "33.03.04")
    assert book["Ringkasan"]["A2"].value.startswith("Kecamatan Kaligondang · ")
    figures = programme_year(year, "33.03.04")
    assert figures.sessions.total > 0  # the demo's sessions in Selakambang
    assert_totals_are_the_dashboards(book, figures)
    assert [row[1] for row in data_rows(book["Per kecamatan"])] == ["Kaligondang"]


def test_numbers_are_numbers_and_dates_are_dates(demo, signed):
    book = build(timezone.localdate().year)
    kims = data_rows(book["KIM"])
    selakambang = next(row for row in kims if row[3] == "KIM Selakambang")
    assert selakambang[1:3] == ("Kaligondang", "Selakambang")
    assert isinstance(selakambang[6], dt.datetime)  # founding date: openpyxl reads a date cell as a datetime
    assert selakambang[11]  # its current ketua
    founded = book["KIM"].cell(row=FIRST_ROW + kims.index(selakambang), column=7)
    assert founded.is_date and founded.number_format == "dd-mm-yyyy"
    for row in data_rows(book["Per kecamatan"]):
        assert all(isinstance(value, int) for value in row[2:])
    for row in data_rows(book["Sesi"]):
        assert isinstance(row[1], dt.datetime)
        assert row[9] is None or isinstance(row[9], int)


def test_the_summary_ends_with_the_signature_block(demo, signed):
    book = build(2019)
    cells = [row for row in book["Ringkasan"].iter_rows(values_only=True)]
    texts = [value for row in cells for value in row if isinstance(value, str)]
    assert "Mengetahui," in texts
    assert "Kepala Dinas Komunikasi dan Informatika" in texts
    assert "Budi Santoso, S.Sos., M.Si." in texts
    assert "NIP. 19700101 199503 1 001" in texts
    # The preparer's block beside it, dated in Indonesian in the office's town.
    today = timezone.localdate()
    months = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
    ]
    months += ["November", "Desember"]
    assert f"Purbalingga, {today.day} {months[today.month - 1]} {today.year}" in texts
    assert "NIP. 19800515 200501 2 002" in texts
    # The last rows: the names, the ranks and the NIPs, head at the left, preparer at the right.
    assert cells[-1][0] == "NIP. 19700101 199503 1 001" and cells[-1][2] == "NIP. 19800515 200501 2 002"


def test_progress_is_reported_up_to_its_total(demo):
    calls = []
    build(2019, progress=lambda done, total: calls.append((done, total)))
    assert calls[0][0] == 0
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)


@pytest.fixture
def generated_year(village, agency):
    """2023 in two kecamatan: KIMs of each status, sessions reported and not, follow-ups of each standing,
    visits; and rows outside the year that must not count."""
    year = 2023
    here = KimFactory(village=village, name="KIM Here", founded_on=dt.date(year, 3, 1))
    kalimanah = VillageFactory(code="33.03.05.2001", name="Kalimanah Wetan", district__code="33.03.05")
    there = KimFactory(village=kalimanah, name="KIM There", founded_on=dt.date(2020, 5, 1))
    for code, name, founded_on, status in [
        ("33.03.04.2010", "KIM Gone", dt.date(2021, 1, 1), "inactive"),
        ("33.03.04.2011", "KIM Later", dt.date(year + 1, 1, 1), "active"),
    ]:
        KimFactory(
            village=VillageFactory(code=code, district=village.district),
            name=name,
            founded_on=founded_on,
            status=status,
        )
    MemberFactory(kim=here, name="Ketua Here", position=Member.Position.KETUA)
    MemberFactory(
        kim=here, name="Bendahara Lama", position=Member.Position.BENDAHARA, left_on=dt.date(year, 6, 1)
    )
    moment = timezone.make_aware(dt.datetime(year, 4, 10, 9))
    reported = SessionFactory(kim=here, agency=agency, starts_at=moment, state=Session.State.REPORTED)
    SessionReport.objects.create(session=reported, attended_male=7, attended_female=12)
    other = SessionFactory(kim=there, agency=agency, starts_at=moment, state=Session.State.HELD)
    SessionReport.objects.create(session=other, attended_male=3, attended_female=4)
    SessionFactory(kim=here, agency=agency, starts_at=moment, state=Session.State.CANCELLED)
    SessionFactory(kim=here, agency=agency, starts_at=moment.replace(year=year + 1))
    due = dt.date(year, 5, 1)
    for done_on in (due, due + dt.timedelta(days=3), None):
        FollowUp.objects.create(
            session=reported, action="Pendataan", owner="Kader", due_on=due, done_on=done_on
        )
    Visit.objects.create(kim=here, visited_on=dt.date(year, 6, 1), kind="pendampingan", topic="Website")
    Visit.objects.create(kim=there, visited_on=dt.date(year - 1, 6, 1), kind="pembinaan", topic="Lama")
    return year


def test_a_generated_years_totals_are_the_dashboards(generated_year, village):
    book = build(generated_year)
    figures = programme_year(generated_year)
    assert_totals_are_the_dashboards(book, figures)
    # Counted independently of both, with the ORM: what the year must show.
    lines = summary(book)
    assert lines["KIM terdaftar sampai akhir tahun"] == Kim.objects.exclude(name="KIM Later").count() == 3
    assert lines["Sesi yang terlaksana atau direncanakan tahun ini"] == 2
    assert (lines["Kehadiran, laki-laki"], lines["Kehadiran, perempuan"]) == (10, 16)
    assert lines["Kunjungan pendampingan tahun ini"] == 1
    assert (lines["Selesai tepat waktu"], lines["Selesai terlambat"], lines["Lewat tenggat"]) == (1, 1, 1)
    kim_here = next(row for row in data_rows(book["KIM"]) if row[3] == "KIM Here")
    assert kim_here[11] == "Ketua Here"
    assert kim_here[13] is None  # the bendahara left: no current one
    sessions = data_rows(book["Sesi"])
    assert sum(row[9] for row in sessions) == 10
    total_line = next(book["Sesi"].iter_rows(min_row=book["Sesi"].max_row, values_only=True))
    assert total_line[1] == "Jumlah" and total_line[9:] == (10, 16, 26)
    standings = sorted(row[3] for row in data_rows(book["Tindak lanjut"]))
    assert standings == ["lewat tenggat", "selesai tepat waktu", "selesai terlambat"]


def test_one_kecamatan_holds_only_its_rows(generated_year, village):
    book = build(generated_year, village.district_id)
    assert_totals_are_the_dashboards(book, programme_year(generated_year, village.district_id))
    assert {row[3] for row in data_rows(book["KIM"])} == {"KIM Here", "KIM Gone"}


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [(dt.date(2023, 5, 1), "on_time"), (dt.date(2023, 5, 2), "late"), (None, "past")],
)
def test_a_follow_up_stands_as_the_dashboard_counts_it(done_on, expected):
    assert follow_up_standing(dt.date(2023, 5, 1), done_on, dt.date(2023, 6, 1)) == expected
    assert follow_up_standing(dt.date(2023, 7, 1), None, dt.date(2023, 6, 1)) == "open"

"""The dashboard's figures against counts written independently: on the demo, with plain SQL, and on a
generated year, by walking every row in Python. The page reads them in the same number of queries whatever
the data's size."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kim.dashboard.selectors import (
    follow_ups_of,
    kims_of,
    programme_year,
    recorded_years,
    red_zone_of,
    sessions_of,
    targets_of,
)
from kim.formation.models import Formation, Step
from kim.lib.dates import current_year
from kim.register.models import Kim
from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session
from tests.factories import (
    AgencyFactory,
    DevelopmentLevelFactory,
    DistrictFactory,
    FormationFactory,
    KimFactory,
    RegencyFactory,
    SessionFactory,
    TopicFactory,
    VillageFactory,
    VillageYearFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db
YEAR = 2020
KALIGONDANG = "33.03.04"


def _sql(query: str, *params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


@pytest.fixture
def demo(media):
    call_command("import_areas", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_the_demo_counts_twelve_kims_by_2018_and_selakambang_targeted_and_formed_in_2019(demo):
    figures = programme_year(2019)
    by_year = {row.year: row for row in figures.growth}
    assert by_year[2018].total == 12
    assert figures.targets.total == 1 and figures.targets.formed == 1
    (row,) = figures.targets.rows
    assert (row.village_name, row.step, row.kim_name) == ("Selakambang", Step.ACTIVE, "KIM Selakambang")
    assert by_year[2019].new == 1


def test_the_demo_figures_equal_counts_in_sql(demo):
    year = current_year()
    figures = programme_year(year)
    in_regency = "v.code LIKE '33.03.%%'"
    kims = _sql(
        f"SELECT COUNT(*) FROM kim_kim k JOIN villages_village v ON v.code = k.village_id WHERE {in_regency} AND k.status <> 'forming'"
    )
    assert figures.kims.total == kims
    targets = _sql("SELECT COUNT(*) FROM kim_target WHERE year = %s", year)
    assert figures.targets.total == targets
    red = _sql("SELECT COUNT(*) FROM villages_villageyear WHERE year = %s AND is_red_zone", year)
    covered = _sql(
        "SELECT COUNT(*) FROM villages_villageyear y WHERE y.year = %s AND y.is_red_zone AND EXISTS "
        "(SELECT 1 FROM kim_kim k WHERE k.village_id = y.village_id AND k.status = 'active')",
        year,
    )
    assert (figures.red_zone.red_zone, figures.red_zone.covered) == (red, covered)
    sessions = [s for s in Session.objects.all() if timezone.localtime(s.starts_at).year == year]
    assert figures.sessions.total == sum(s.state != "cancelled" for s in sessions)
    reports = SessionReport.objects.filter(session__in=[s.pk for s in sessions if s.state != "cancelled"])
    assert figures.sessions.attended_male == sum(r.attended_male for r in reports)
    assert figures.sessions.attended_female == sum(r.attended_female for r in reports)
    assert figures.stuck.awaiting_village_head == _sql(
        "SELECT COUNT(*) FROM kim_formation WHERE state = 'open' AND step = 'meeting' AND confirmation = 'pending'"
    )
    assert figures.stuck.follow_ups_overdue == _sql(
        "SELECT COUNT(*) FROM outreach_followup WHERE done_on IS NULL AND due_on < %s", timezone.localdate()
    )


def _generated_year(size: int, *, elsewhere_too: bool = True):
    """`size` villages in each of two kecamatan of the home regency, and one in another regency (never
    counted): KIMs founded over three years, a red-zone list, targets at each step, sessions through the
    year with reports and follow-up actions, visits."""
    districts = [DistrictFactory(code=KALIGONDANG, name="Kaligondang"), DistrictFactory(code="33.03.05")]
    elsewhere = DistrictFactory(code="34.01.01", regency=RegencyFactory(code="34.01"))
    levels = [DevelopmentLevelFactory(name="Pemula", rank=1), DevelopmentLevelFactory(name="Madya", rank=2)]
    agencies = [AgencyFactory(short_name="Dinkes"), AgencyFactory(short_name="Dinsos")]
    topics = [TopicFactory(name="Stunting"), None]
    steps = ["", Step.COORDINATION, Step.MEETING, Step.ACTIVE]
    now = timezone.now()
    for number in range(size * 2 + elsewhere_too):
        district = elsewhere if number == size * 2 else districts[number % 2]
        village = VillageFactory(district=district)
        kim = KimFactory(
            village=village,
            founded_on=dt.date(YEAR - 2 + number % 3, 1 + number % 12, 1) if number % 5 else None,
            status=Kim.Status.INACTIVE if number % 4 == 3 else Kim.Status.ACTIVE,
            level=levels[number % 3] if number % 3 < 2 else None,
        )
        VillageYearFactory(village=village, year=YEAR, is_red_zone=number % 3 != 1)
        step = steps[number % 4]
        FormationFactory(
            target__village=VillageFactory(district=district),
            target__year=YEAR,
            step=step,
            state=Formation.State.DONE if step == Step.ACTIVE else Formation.State.OPEN,
            confirmation="pending" if step == Step.MEETING else "",
            step_changed_at=now - dt.timedelta(days=10 + 20 * (number % 3)),
        )
        if number % 2:
            VisitFactory(kim=kim, visited_on=dt.date(YEAR, 12 - number % 12, 1))
        for month in (1 + number % 12, 1 + (number * 5) % 12):
            starts = timezone.make_aware(dt.datetime(YEAR, month, 1, 0, 30))  # 00:30 WIB, still that month
            state = ["reported", "held", "confirmed", "cancelled"][Session.objects.count() % 4]
            session = SessionFactory.create(
                kim=kim, agency=agencies[month % 2], topic=topics[number % 2], starts_at=starts, state=state
            )
            if state == "reported":
                SessionReport.objects.create(
                    session_id=session.pk, attended_male=number, attended_female=month
                )
                FollowUp.objects.create(
                    session_id=session.pk,
                    action="Tindak lanjut",
                    owner="Bidan desa",
                    due_on=dt.date(YEAR, month, 20),
                    done_on=[None, dt.date(YEAR, month, 10), dt.date(YEAR, month, 28)][
                        FollowUp.objects.count() % 3
                    ],
                )


def _in_scope(village, district: str) -> bool:
    return village.district_id == district if district else village.district.regency_id == "33.03"


def _founding(kim) -> int:
    return kim.founded_on.year if kim.founded_on else timezone.localtime(kim.created_at).year


def _expected(district: str) -> dict:
    """The figures counted by walking the rows, as a person with a spreadsheet would."""
    today = timezone.localdate()
    kims = [k for k in Kim.objects.select_related("village__district") if _in_scope(k.village, district)]
    by_end = [k for k in kims if _founding(k) <= YEAR]
    red = [
        y
        for y in VillageYearFactory._meta.model.objects.select_related("village__district")
        if y.year == YEAR and y.is_red_zone and _in_scope(y.village, district)
    ]
    covered = [y for y in red if any(k.village_id == y.village_id and k.is_active for k in by_end)]
    sessions = [
        s
        for s in Session.objects.select_related("kim__village__district")
        if timezone.localtime(s.starts_at).year == YEAR and _in_scope(s.kim.village, district)
    ]
    held = [s for s in sessions if s.state != "cancelled"]
    follow_ups = [f for f in FollowUp.objects.all() if f.session_id in {s.pk for s in sessions}]
    formations = [
        f
        for f in Formation.objects.select_related("target__village__district")
        if _in_scope(f.target.village, district)
    ]
    as_of = dt.date(YEAR, 12, 31)
    active = [k for k in by_end if k.is_active]
    visited: dict[int, dt.date] = {}
    for visit in VisitFactory._meta.model.objects.all():
        if visit.visited_on <= as_of:
            visited[visit.kim_id] = max(visited.get(visit.kim_id, visit.visited_on), visit.visited_on)
    within = [
        k
        for k in active
        if (visited.get(k.pk) or k.founded_on or dt.date.min) >= as_of - dt.timedelta(days=90)
    ]
    return {
        "total": len(by_end),
        "new": sum(_founding(k) == YEAR for k in kims),
        "active": sum(k.is_active for k in by_end),
        "inactive": sum(not k.is_active for k in by_end),
        "no_level": sum(k.level_id is None for k in by_end),
        "targets": len(formations),
        "formed": sum(f.state == "done" for f in formations),
        "at_meeting": sum(f.step == Step.MEETING for f in formations),
        "nothing_yet": sum(f.step == "" for f in formations),
        "red_zone": len(red),
        "covered": len(covered),
        "sessions": len(held),
        "march": sum(timezone.localtime(s.starts_at).month == 3 for s in held),
        "dinkes": sum(s.agency.short_name == "Dinkes" for s in held),
        "other_topic": sum(s.topic_id is None for s in held),
        "male": sum(s.report.attended_male for s in held if s.state == "reported"),
        "female": sum(s.report.attended_female for s in held if s.state == "reported"),
        "owed": sum(s.state in ("confirmed", "held") and s.ends_at <= timezone.now() for s in held),
        "on_time": sum(f.done_on is not None and f.done_on <= f.due_on for f in follow_ups),
        "late": sum(f.done_on is not None and f.done_on > f.due_on for f in follow_ups),
        "overdue": sum(f.done_on is None and f.due_on < today for f in follow_ups),
        "mentored": len(active),
        "within": len(within),
        "stuck": sum(
            f.state == "open" and (timezone.now() - f.step_changed_at).days >= 30 for f in formations
        ),
        "waiting": sum(
            f.state == "open" and f.step == Step.MEETING and f.confirmation == "pending" for f in formations
        ),
    }


def _actual(district: str) -> dict:
    figures = programme_year(YEAR, district)
    steps = {row.step: row.count for row in figures.targets.by_step}
    sessions = figures.sessions
    return {
        "total": figures.kims.total,
        "new": figures.kims.new,
        "active": figures.kims.active,
        "inactive": figures.kims.inactive,
        "no_level": figures.kims.by_level[-1].count,
        "targets": figures.targets.total,
        "formed": figures.targets.formed,
        "at_meeting": steps[Step.MEETING],
        "nothing_yet": steps["none"],
        "red_zone": figures.red_zone.red_zone,
        "covered": figures.red_zone.covered,
        "sessions": sessions.total,
        "march": sessions.by_month[2],
        "dinkes": next((row.count for row in sessions.by_agency if row.name == "Dinkes"), 0),
        "other_topic": next((row.count for row in sessions.by_topic if row.key is None), 0),
        "male": sessions.attended_male,
        "female": sessions.attended_female,
        "owed": sessions.reports_owed,
        "on_time": figures.follow_ups.on_time,
        "late": figures.follow_ups.late,
        "overdue": figures.follow_ups.overdue,
        "mentored": figures.mentoring.active,
        "within": figures.mentoring.within_cadence,
        "stuck": figures.stuck.formations_stuck,
        "waiting": figures.stuck.awaiting_village_head,
    }


@pytest.mark.parametrize("district", ["", KALIGONDANG])
def test_a_generated_year_counts_what_walking_its_rows_counts(district):
    _generated_year(6)
    expected = _expected(district)
    assert _actual(district) == expected
    assert expected["sessions"] and expected["covered"] and expected["on_time"] and expected["late"]


def test_the_years_run_from_the_first_recorded_to_this_one():
    KimFactory(founded_on=dt.date(2016, 5, 1))
    assert recorded_years() == list(range(2016, current_year() + 1))


def test_the_figures_take_as_many_queries_at_any_size():
    _generated_year(2)
    with CaptureQueriesContext(connection) as small:
        programme_year(YEAR)
    _generated_year(10)
    with CaptureQueriesContext(connection) as large:
        programme_year(YEAR)
    assert len(small) == len(large) <= 16


@pytest.mark.parametrize("district", ["", KALIGONDANG])
def test_the_rows_behind_the_totals_add_up_to_them(district):
    """What the yearly recap lists, sheet by sheet, adds up to the dashboard's totals."""
    _generated_year(4)
    figures = programme_year(YEAR, district)
    assert kims_of(YEAR, district).count() == figures.kims.total
    assert targets_of(YEAR, district).count() == figures.targets.total
    red_zone = red_zone_of(YEAR, district)
    assert (red_zone.count(), red_zone.filter(covered=True).count()) == (
        figures.red_zone.red_zone,
        figures.red_zone.covered,
    )
    assert sessions_of(YEAR, district).count() == figures.sessions.total
    assert follow_ups_of(YEAR, district).count() == figures.follow_ups.total

"""What the yearly recap (Rekapitulasi Program KIM tahun N) reads, for the regency or one kecamatan.

The summary's figures are the dashboard's own (kim.dashboard.selectors.programme_year), so the two never
disagree; the registers behind them are read here as streams (`iterator()`, one row in memory at a time), in
the same scope and by the same rules, so that each register's rows add up to the dashboard's figure:

- KIMs: registered (not being formed), founded by the end of the year (the dashboard's growth total);
- target villages of the year and their formations (the dashboard's targets);
- sessions starting in the year, not cancelled (`sessions_of`, the dashboard's), with attendance by gender;
- the follow-up actions agreed at those sessions (the dashboard's follow-up figures);
- mentoring visits made in the year to KIMs in scope.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from kim.dashboard.selectors import (
    ProgrammeYear,
    follow_ups_of,
    home_districts,
    kims_of,
    programme_year,
    sessions_of,
    targets_of,
)
from kim.mentoring.models import Visit
from kim.register.models import Kim, Member

CHUNK = 2000
OFFICERS = (Member.Position.KETUA, Member.Position.SEKRETARIS, Member.Position.BENDAHARA)


def scope(district: str, path: str = "village") -> Q:
    """The home regency's villages, or one kecamatan's, as the dashboard scopes its figures (for the visits,
    which the dashboard does not count; every other register is the dashboard's own queryset)."""
    if district:
        return Q(**{f"{path}__district_id": district})
    return Q(**{f"{path}__district__regency_id": settings.KIM_REGENCY_CODE})


@dataclass(frozen=True)
class Recap:
    year: int
    district: str  # the kecamatan's code, "" for the regency
    district_name: str
    figures: ProgrammeYear

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def recap_for(year: int, district: str = "") -> Recap:
    figures = programme_year(year, district)
    return Recap(year=year, district=district, district_name=figures.district_name, figures=figures)


def kims(recap: Recap) -> QuerySet:
    """The register at the end of the year: what the dashboard's growth total counts."""
    return kims_of(recap.year, recap.district)


def _current_officer(position: str) -> Subquery:
    officers = (
        Member.objects.current().filter(kim=OuterRef("pk"), position=position).order_by("term_start", "pk")
    )
    return Subquery(officers.values("name")[:1])


def kim_rows(recap: Recap) -> Iterator[dict]:
    """Each KIM with its village, level and current ketua, sekretaris and bendahara, by kecamatan and village."""
    rows = (
        kims(recap)
        .annotate(**{f"officer_{position}": _current_officer(position) for position in OFFICERS})
        .order_by("village__district__name", "village__name", "name", "pk")
        .values(
            "pk",
            "name",
            "status",
            "origin",
            "founded_on",
            "sk_number",
            "sk_date",
            "kimid_number",
            "last_visit_on",
            "village__name",
            "village__district__name",
            "level__name",
            *(f"officer_{position}" for position in OFFICERS),
        )
    )
    return rows.iterator(chunk_size=CHUNK)


def targets(recap: Recap) -> QuerySet:
    return targets_of(recap.year, recap.district)


def target_rows(recap: Recap) -> Iterator[dict]:
    rows = (
        targets(recap)
        .order_by("village__district__name", "village__name", "pk")
        .values(
            "village__name",
            "village__district__name",
            "reason",
            "formation__state",
            "formation__step",
            "formation__coordinated_on",
            "formation__meeting_on",
            "formation__briefed_on",
            "formation__kim__name",
        )
    )
    return rows.iterator(chunk_size=CHUNK)


def sessions(recap: Recap) -> QuerySet:
    return sessions_of(recap.year, recap.district)


def session_rows(recap: Recap) -> Iterator[dict]:
    rows = (
        sessions(recap)
        .annotate(day=TruncDate("starts_at"))
        .order_by("starts_at", "pk")
        .values(
            "day",
            "title",
            "state",
            "topic__name",
            "topic_other",
            "agency__short_name",
            "kim__name",
            "kim__village__name",
            "kim__village__district__name",
            "report__attended_male",
            "report__attended_female",
        )
    )
    return rows.iterator(chunk_size=CHUNK)


def follow_ups(recap: Recap) -> QuerySet:
    return follow_ups_of(recap.year, recap.district)


def follow_up_rows(recap: Recap) -> Iterator[dict]:
    rows = (
        follow_ups(recap)
        .annotate(session_day=TruncDate("session__starts_at"))
        .order_by("due_on", "pk")
        .values(
            "session_day",
            "action",
            "owner",
            "due_on",
            "done_on",
            "session__title",
            "session__agency__short_name",
            "session__kim__name",
            "session__kim__village__district__name",
        )
    )
    return rows.iterator(chunk_size=CHUNK)


def visits(recap: Recap) -> QuerySet:
    return Visit.objects.filter(scope(recap.district, "kim__village"), visited_on__year=recap.year)


def visit_rows(recap: Recap) -> Iterator[dict]:
    rows = (
        visits(recap)
        .order_by("visited_on", "pk")
        .values(
            "visited_on",
            "kind",
            "topic",
            "participants",
            "kim__name",
            "kim__village__name",
            "kim__village__district__name",
        )
    )
    return rows.iterator(chunk_size=CHUNK)


@dataclass(frozen=True)
class DistrictRow:
    """One kecamatan's line of the recap, each figure as the dashboard counts it in that kecamatan."""

    code: str
    name: str
    kims: int = 0
    new: int = 0
    active: int = 0
    inactive: int = 0
    targets: int = 0
    formed: int = 0
    red_zone: int = 0
    covered: int = 0
    sessions: int = 0
    attended_male: int = 0
    attended_female: int = 0
    follow_ups: int = 0
    visits: int = 0

    NUMBERS = (
        "kims",
        "new",
        "active",
        "inactive",
        "targets",
        "formed",
        "red_zone",
        "covered",
        "sessions",
        "attended_male",
        "attended_female",
        "follow_ups",
        "visits",
    )

    def numbers(self) -> list[int]:
        return [getattr(self, name) for name in self.NUMBERS]


def district_rows(recap: Recap) -> list[DistrictRow]:
    """Every kecamatan in scope, by name, in a fixed number of grouped queries (one row per kecamatan)."""
    year = recap.year
    kim_counts = {
        row["village__district_id"]: row
        for row in kims(recap)
        .values("village__district_id")
        .annotate(
            total=Count("pk"),
            new=Count("pk", filter=Q(founding=year)),
            active_count=Count("pk", filter=Q(status=Kim.Status.ACTIVE)),
            inactive_count=Count("pk", filter=Q(status=Kim.Status.INACTIVE)),
        )
        .order_by()
    }
    session_counts = {
        row["kim__village__district_id"]: row
        for row in sessions(recap)
        .values("kim__village__district_id")
        .annotate(
            n=Count("pk"),
            male=Coalesce(Sum("report__attended_male"), 0),
            female=Coalesce(Sum("report__attended_female"), 0),
        )
        .order_by()
    }
    follow_up_counts = _grouped(follow_ups(recap), "session__kim__village__district_id")
    visit_counts = _grouped(visits(recap), "kim__village__district_id")
    target_counts: Counter[str] = Counter()
    formed_counts: Counter[str] = Counter()
    for target in recap.figures.targets.rows:
        target_counts[target.district_name] += 1
        formed_counts[target.district_name] += target.formed
    coverage = {row.code: row for row in recap.figures.red_zone.by_district}
    rows = []
    for code, name in home_districts():
        if recap.district and code != recap.district:
            continue
        found, held, red = kim_counts.get(code, {}), session_counts.get(code, {}), coverage.get(code)
        rows.append(
            DistrictRow(
                code=code,
                name=name,
                kims=found.get("total", 0),
                new=found.get("new", 0),
                active=found.get("active_count", 0),
                inactive=found.get("inactive_count", 0),
                targets=target_counts[name],
                formed=formed_counts[name],
                red_zone=red.red_zone if red else 0,
                covered=red.covered if red else 0,
                sessions=held.get("n", 0),
                attended_male=held.get("male", 0),
                attended_female=held.get("female", 0),
                follow_ups=follow_up_counts.get(code, 0),
                visits=visit_counts.get(code, 0),
            )
        )
    return rows


def _grouped(queryset: QuerySet, key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk")).order_by()}


def district_total(rows: list[DistrictRow]) -> DistrictRow:
    sums = {name: sum(getattr(row, name) for row in rows) for name in DistrictRow.NUMBERS}
    return DistrictRow(code="", name="", **sums)


def row_counts(recap: Recap) -> dict[str, int]:
    """How many rows each register holds, for the progress bar."""
    return {
        "kims": kims(recap).count(),
        "targets": recap.figures.targets.total,
        "sessions": recap.figures.sessions.total,
        "follow_ups": recap.figures.follow_ups.total,
        "visits": visits(recap).count(),
    }

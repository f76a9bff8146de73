"""The programme's figures for one year, for the regency or one kecamatan: what the dashboard shows and the
yearly recap totals. `programme_year` reads them in a fixed number of queries, whatever the data's size.

What each figure counts (the lists each number links to filter the same rows):

- growth, per year from the first recorded to the chosen one: KIMs founded by the end of that year (a KIM's
  founding year is its founding date's, or without one the year it was recorded; groups still being formed
  are not KIMs yet), those founded in it (new), and of them those whose status *today* is active or inactive
  (the register keeps today's status only), and by development level (today's).
- targets: the villages targeted in the year (formation.Target), how many at each formation step (the
  formation's last step; cancelled ones apart), and how many formed (an active KIM: the formation completed).
- zona merah: the villages on the year's red-zone list (villages.VillageYear), and of them those with a KIM
  active today and founded by the end of the year, by kecamatan.
- sessions: those starting in the year (WIB), not cancelled, by month, agency and topic; attendance by gender
  from their reports; the sessions among them owed a report now; the follow-up actions agreed at them: done
  by the due date, done late, overdue (open and past due), open and not yet due.
- mentoring, as at the year's last day (today for the current year): KIMs active today and founded by then,
  visited within KIM_VISIT_CADENCE_DAYS before it, and those not (Kim.visit_overdue's rule).
- stuck, today whatever the year: open formations with no step for STUCK_AFTER_DAYS, formations waiting for
  the village head's confirmation, sessions owed a report, overdue follow-up actions.

For the yearly recap: `programme_year(year, district)` reads every figure afresh (the page's `Kept` keeps them
a while); the rows behind the totals are `kims_of`, `targets_of`, `red_zone_of`, `sessions_of` and
`follow_ups_of` (year, district), so that a sheet's rows add up to the dashboard's totals.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kim.audit.models import Change
from kim.formation.filters import STUCK_AFTER_DAYS, stuck_since
from kim.formation.models import Formation, Step, Target
from kim.lib.dates import FIRST_YEAR, LAST_YEAR, current_year
from kim.register.filters import last_visit_by, visit_overdue_as_of
from kim.register.models import DevelopmentLevel, Kim
from outreach.directory.models import Agency, Topic
from outreach.reports.filters import Progress, progress_condition
from outreach.reports.models import FollowUp
from outreach.sessions.filters import year_bounds
from outreach.sessions.models import Session
from villages.filters import active_kim_by, founding_year
from villages.models import District, VillageYear


@dataclass(frozen=True)
class LevelCount:
    level_id: int | None  # None: KIMs with no development level
    name: str
    count: int


@dataclass(frozen=True)
class GrowthYear:
    """The register as at the end of `year`: KIMs founded by then, new in it, and today's status and level."""

    year: int
    total: int
    new: int
    active: int
    inactive: int
    by_level: tuple[LevelCount, ...]


@dataclass(frozen=True)
class StepCount:
    step: str  # a Step value, "none" (nothing recorded yet) or "cancelled"
    label: str
    count: int


@dataclass(frozen=True)
class TargetRow:
    village_code: str
    village_name: str
    district_name: str
    formation_id: int | None
    step: str  # as in StepCount
    step_label: str
    formed: bool
    kim_id: int | None
    kim_name: str


@dataclass(frozen=True)
class Targets:
    total: int
    formed: int
    by_step: tuple[StepCount, ...]
    rows: tuple[TargetRow, ...]


@dataclass(frozen=True)
class DistrictCoverage:
    code: str
    name: str
    red_zone: int
    covered: int

    @property
    def uncovered(self) -> int:
        return self.red_zone - self.covered

    @property
    def share(self) -> float | None:
        """Covered red-zone villages as a fraction (0 to 1); None without red-zone villages."""
        return self.covered / self.red_zone if self.red_zone else None


@dataclass(frozen=True)
class RedZone:
    red_zone: int
    covered: int
    by_district: tuple[DistrictCoverage, ...]  # every kecamatan in scope, by name, with or without red zone

    @property
    def uncovered(self) -> int:
        return self.red_zone - self.covered

    @property
    def share(self) -> float | None:
        return self.covered / self.red_zone if self.red_zone else None


@dataclass(frozen=True)
class NamedCount:
    key: int | None  # the agency's or topic's id; None: sessions with a topic of their own
    name: str
    count: int


@dataclass(frozen=True)
class Sessions:
    total: int
    by_month: tuple[int, ...]  # twelve counts, January first
    by_agency: tuple[NamedCount, ...]  # agencies with sessions, most first
    by_topic: tuple[NamedCount, ...]
    attended_male: int
    attended_female: int
    reported: int  # sessions whose report is recorded
    reports_owed: int

    @property
    def attended(self) -> int:
        return self.attended_male + self.attended_female


@dataclass(frozen=True)
class FollowUps:
    total: int
    on_time: int
    late: int
    overdue: int
    not_yet_due: int


@dataclass(frozen=True)
class Mentoring:
    as_of: dt.date
    active: int
    within_cadence: int
    overdue: int
    cadence_days: int


@dataclass(frozen=True)
class Stuck:
    as_of: dt.date
    stuck_after_days: int
    formations_stuck: int
    awaiting_village_head: int
    reports_owed: int
    follow_ups_overdue: int


@dataclass(frozen=True)
class ProgrammeYear:
    """Every figure of the programme for a year, in the regency or one kecamatan (`district`)."""

    year: int
    district: str  # the kecamatan's code, "" for the whole regency
    district_name: str
    today: dt.date
    growth: tuple[GrowthYear, ...]  # first recorded year to `year`, oldest first
    levels: tuple[LevelCount, ...]  # the levels the growth counts by (count: KIMs at `year`'s end)
    targets: Targets
    red_zone: RedZone
    sessions: Sessions
    follow_ups: FollowUps
    mentoring: Mentoring
    stuck: Stuck
    computed_at: dt.datetime | None = None  # when the figures were read (the dashboard keeps them a while)

    @property
    def kims(self) -> GrowthYear:
        """The register at the end of the chosen year."""
        return self.growth[-1]


def home_districts() -> list[tuple[str, str]]:
    """The kecamatan of the home regency, by name: (code, name)."""
    districts = District.objects.filter(regency_id=settings.KIM_REGENCY_CODE).order_by("name")
    return list(districts.values_list("code", "name"))


def recorded_years() -> list[int]:
    """From the first year anything was recorded (a KIM founded, a village targeted, a red-zone list) to this
    year, oldest first."""
    founded = Kim.objects.registered().aggregate(first=Min("founded_on"))["first"]
    candidates = [
        founded.year if founded else None,
        Target.objects.order_by("year").values_list("year", flat=True).first(),
        VillageYear.objects.order_by("year").values_list("year", flat=True).first(),
    ]
    this_year = current_year()
    first = min([year for year in candidates if year is not None and year >= FIRST_YEAR] or [this_year])
    return list(range(min(first, this_year), min(this_year, LAST_YEAR) + 1))


def _village_scope(district: str, path: str = "village") -> Q:
    if district:
        return Q(**{f"{path}__district_id": district})
    return Q(**{f"{path}__district__regency_id": settings.KIM_REGENCY_CODE})


def programme_year(
    year: int,
    district: str | None = None,
    *,
    years: list[int] | None = None,
    districts: list[tuple[str, str]] | None = None,
) -> ProgrammeYear:
    """Every figure of the dashboard for `year`, in the home regency or its kecamatan `district` (code).
    `years` and `districts` (recorded_years(), home_districts()) may be passed when already read."""
    district = district or ""
    today = timezone.localdate()
    districts = [
        (code, name) for code, name in districts or home_districts() if not district or code == district
    ]
    growth, levels = _growth(year, district, (years or recorded_years())[0])
    return ProgrammeYear(
        computed_at=timezone.now(),
        year=year,
        district=district,
        district_name=districts[0][1] if district and districts else "",
        today=today,
        growth=growth,
        levels=levels,
        targets=_targets(year, district),
        red_zone=_red_zone(year, district, districts),
        sessions=_sessions(year, district),
        follow_ups=_follow_ups(year, district),
        mentoring=_mentoring(year, district, today),
        stuck=_stuck(district, today),
    )


# How long the dashboard keeps a year's figures when nothing is recorded meanwhile: what depends on the
# clock alone (a session just ended owes its report, an action just fell overdue) shows within this time.
FIGURES_KEPT_SECONDS = 300


def programme_version() -> int:
    """Changes with every record of the programme: each save of a KIM, formation, target, village status,
    session, report, follow-up action or visit is a Change on the audit trail (kim.audit), in its own
    transaction. One query, on the primary key."""
    return Change.objects.aggregate(last=Max("pk"))["last"] or 0


class Kept:
    """The dashboard's reads, kept in the cache until anything is recorded (or FIGURES_KEPT_SECONDS pass):
    while nothing changes, a request reads one query (the programme's version) instead of some twenty."""

    def __init__(self):
        self.prefix = f"dashboard:{programme_version()}:{timezone.localdate().isoformat()}"

    def _kept(self, key: str, read):
        value = cache.get(f"{self.prefix}:{key}")
        if value is None:
            value = read()
            cache.set(f"{self.prefix}:{key}", value, FIGURES_KEPT_SECONDS)
        return value

    def choices(self) -> tuple[list[int], list[tuple[str, str]]]:
        """recorded_years() and home_districts()."""
        return self._kept("choices", lambda: (recorded_years(), home_districts()))

    def programme_year(
        self, year: int, district: str, *, years: list[int], districts: list[tuple[str, str]]
    ) -> ProgrammeYear:
        return self._kept(
            f"{translation.get_language()}:{year}:{district}",
            lambda: programme_year(year, district, years=years, districts=districts),
        )


def kims_of(year: int, district: str = "") -> QuerySet[Any]:
    """The KIMs of the register at the end of `year` in scope (GrowthYear.total): registered (not still being
    formed) and founded by then, annotated with their `founding` year."""
    kims = Kim.objects.registered().filter(_village_scope(district)).annotate(founding=founding_year())
    return kims.filter(founding__lte=year)


def targets_of(year: int, district: str = "") -> QuerySet[Target]:
    """The villages targeted in `year` in scope (Targets.total), with their formation and its KIM."""
    return Target.objects.filter(_village_scope(district), year=year).select_related(
        "village__district", "formation__kim"
    )


def red_zone_of(year: int, district: str = "") -> QuerySet[VillageYear]:
    """The villages on the year's zona merah list in scope (RedZone.red_zone), each annotated `covered`: a
    KIM active today and founded by the end of the year (RedZone.covered)."""
    return VillageYear.objects.filter(_village_scope(district), year=year, is_red_zone=True).annotate(
        covered=active_kim_by(year, village="village")
    )


def _growth(
    year: int, district: str, first_year: int
) -> tuple[tuple[GrowthYear, ...], tuple[LevelCount, ...]]:
    rows = kims_of(year, district).values("founding", "status", "level_id").annotate(n=Count("pk")).order_by()
    by_year: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        by_year[row["founding"]][(row["status"], row["level_id"])] += row["n"]
    level_names = dict(DevelopmentLevel.objects.values_list("id", "name"))
    first = min([*by_year, first_year, year])
    running: Counter = Counter()
    growth = []
    for each in range(first, year + 1):
        running.update(by_year.get(each, Counter()))
        growth.append(
            GrowthYear(
                year=each,
                total=sum(running.values()),
                new=sum(by_year.get(each, Counter()).values()),
                active=sum(n for (status, _level), n in running.items() if status == Kim.Status.ACTIVE),
                inactive=sum(n for (status, _level), n in running.items() if status == Kim.Status.INACTIVE),
                by_level=_by_level(running, level_names),
            )
        )
    return tuple(growth), growth[-1].by_level


def _by_level(running: Counter, level_names: dict[int, str]) -> tuple[LevelCount, ...]:
    counts: Counter = Counter()
    for (_status, level_id), n in running.items():
        counts[level_id] += n
    levels = [LevelCount(pk, name, counts[pk]) for pk, name in level_names.items()]
    return (*levels, LevelCount(None, "", counts[None]))


def target_step(formation: Formation | None) -> str:
    """How far a target's formation went, as StepCount.step says."""
    if formation is None or (formation.is_open and not formation.step):
        return "none"
    if formation.is_cancelled:
        return "cancelled"
    return formation.step


def step_labels() -> dict[str, str]:
    steps = {value: str(label) for value, label in Step.choices}
    return {"none": _("Targeted, nothing recorded yet"), **steps, "cancelled": _("Cancelled")}


def _targets(year: int, district: str) -> Targets:
    targets = targets_of(year, district).order_by("village__district__name", "village__name")
    labels = step_labels()
    rows = []
    for target in targets:
        formation = getattr(target, "formation", None)
        step = target_step(formation)
        kim = formation.kim if formation else None
        rows.append(
            TargetRow(
                village_code=target.village.code,
                village_name=target.village.name,
                district_name=target.village.district.name,
                formation_id=formation.pk if formation else None,
                step=step,
                step_label=str(labels[step]),
                formed=bool(formation and formation.is_done),
                kim_id=kim.pk if kim else None,
                kim_name=kim.name if kim else "",
            )
        )
    counts = Counter(row.step for row in rows)
    return Targets(
        total=len(rows),
        formed=sum(row.formed for row in rows),
        by_step=tuple(StepCount(step, str(label), counts[step]) for step, label in labels.items()),
        rows=tuple(rows),
    )


def _red_zone(year: int, district: str, districts: list[tuple[str, str]]) -> RedZone:
    rows = (
        red_zone_of(year, district)
        .values("village__district_id")
        .annotate(red=Count("pk"), covered_count=Count("pk", filter=Q(covered=True)))
        .order_by()
    )
    counts = {row["village__district_id"]: (row["red"], row["covered_count"]) for row in rows}
    by_district = tuple(DistrictCoverage(code, name, *counts.get(code, (0, 0))) for code, name in districts)
    return RedZone(
        red_zone=sum(d.red_zone for d in by_district),
        covered=sum(d.covered for d in by_district),
        by_district=by_district,
    )


def sessions_of(year: int, district: str = "") -> QuerySet[Session]:
    """The sessions starting in `year` (WIB) in scope, not cancelled (Sessions.total); their reports hold
    the attendance by gender."""
    start, end = year_bounds(year)
    return Session.objects.still_on().filter(
        _village_scope(district, "kim__village"), starts_at__gte=start, starts_at__lt=end
    )


def _sessions(year: int, district: str) -> Sessions:
    now = timezone.now()
    owed = Q(state__in=Session.AWAITING_REPORT, ends_at__lte=now)
    rows = (
        sessions_of(year, district)
        .annotate(month=ExtractMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("month", "agency_id", "topic_id")
        .annotate(
            n=Count("pk"),
            male=Coalesce(Sum("report__attended_male"), 0),
            female=Coalesce(Sum("report__attended_female"), 0),
            reported=Count("pk", filter=Q(state=Session.State.REPORTED)),
            owed=Count("pk", filter=owed),
        )
        .order_by()
    )
    months: Counter = Counter()
    agencies: Counter = Counter()
    topics: Counter = Counter()
    totals: Counter = Counter()
    for row in rows:
        months[row["month"]] += row["n"]
        agencies[row["agency_id"]] += row["n"]
        topics[row["topic_id"]] += row["n"]
        for key in ("n", "male", "female", "reported", "owed"):
            totals[key] += row[key]
    agency_names = dict(Agency.objects.filter(pk__in=list(agencies)).values_list("id", "short_name"))
    topic_names = dict(Topic.objects.filter(pk__in=[t for t in topics if t]).values_list("id", "name"))
    return Sessions(
        total=totals["n"],
        by_month=tuple(months[month] for month in range(1, 13)),
        by_agency=_ranked(agencies, agency_names),
        by_topic=_ranked(topics, topic_names),
        attended_male=totals["male"],
        attended_female=totals["female"],
        reported=totals["reported"],
        reports_owed=totals["owed"],
    )


def _ranked(counts: Counter, names: dict) -> tuple[NamedCount, ...]:
    rows = [NamedCount(key, names.get(key, "") if key else _("Other topic"), n) for key, n in counts.items()]
    return tuple(sorted(rows, key=lambda row: (-row.count, row.key is None, row.name)))


def follow_ups_of(year: int, district: str = "") -> QuerySet[FollowUp]:
    """The follow-up actions agreed at the sessions starting in `year` in scope (FollowUps.total; a cancelled
    session has none); outreach.reports.filters.progress_condition tells on time, late and overdue apart."""
    start, end = year_bounds(year)
    return FollowUp.objects.filter(
        _village_scope(district, "session__kim__village"),
        session__starts_at__gte=start,
        session__starts_at__lt=end,
    )


def _follow_ups(year: int, district: str) -> FollowUps:
    figures = follow_ups_of(year, district).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=progress_condition(Progress.ON_TIME)),
        late=Count("pk", filter=progress_condition(Progress.LATE)),
        overdue=Count("pk", filter=progress_condition(Progress.OVERDUE)),
        not_yet_due=Count("pk", filter=progress_condition(Progress.NOT_YET_DUE)),
    )
    return FollowUps(**figures)


def mentoring_as_of(year: int, today: dt.date) -> dt.date:
    return today if year >= today.year else dt.date(year, 12, 31)


def _mentoring(year: int, district: str, today: dt.date) -> Mentoring:
    as_of = mentoring_as_of(year, today)
    kims = Kim.objects.active().filter(_village_scope(district)).annotate(founding=founding_year())
    kims = kims.filter(founding__lte=year)
    if as_of == today:
        overdue = Q(pk__in=Kim.objects.visit_overdue(today).values("pk"))
    else:
        kims = kims.annotate(last_visit=last_visit_by(as_of))
        overdue = visit_overdue_as_of(as_of)
    figures = kims.aggregate(active=Count("pk"), overdue=Count("pk", filter=overdue))
    return Mentoring(
        as_of=as_of,
        active=figures["active"],
        within_cadence=figures["active"] - figures["overdue"],
        overdue=figures["overdue"],
        cadence_days=settings.KIM_VISIT_CADENCE_DAYS,
    )


def _stuck(district: str, today: dt.date) -> Stuck:
    formations = Formation.objects.filter(_village_scope(district, "target__village")).aggregate(
        stuck=Count("pk", filter=Q(state=Formation.State.OPEN, step_changed_at__lt=stuck_since())),
        waiting=Count(
            "pk",
            filter=Q(
                state=Formation.State.OPEN,
                step=Step.MEETING,
                confirmation=Formation.Confirmation.PENDING,
            ),
        ),
    )
    owed = Session.objects.report_owed().filter(_village_scope(district, "kim__village")).count()
    overdue = FollowUp.objects.overdue(today).filter(_village_scope(district, "session__kim__village"))
    return Stuck(
        as_of=today,
        stuck_after_days=STUCK_AFTER_DAYS,
        formations_stuck=formations["stuck"],
        awaiting_village_head=formations["waiting"],
        reports_owed=owed,
        follow_ups_overdue=overdue.count(),
    )

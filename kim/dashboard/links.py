"""Each dashboard figure beside the address of the list that shows exactly its rows, and the charts' data.

The lists' filters (their parameter names) are the contract: kim/register/filters.py, villages/filters.py,
kim/formation/filters.py, outreach/sessions/filters.py and outreach/reports/filters.py.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import get_script_prefix, reverse
from django.utils import formats
from django.utils.translation import gettext as _

from kim.dashboard.selectors import ProgrammeYear


@dataclass(frozen=True)
class Linked:
    """A figure and the list of its rows."""

    label: str
    count: int
    url: str


@functools.cache
def _path(name: str, prefix: str) -> str:
    return reverse(name)


def _url(name: str, **params: Any) -> str:
    """The list's address with its filters; each list's path reversed once per process (the page has ~150)."""
    path = _path(name, get_script_prefix())
    query = urlencode({key: value for key, value in params.items() if value not in ("", None)})
    return f"{path}?{query}" if query else path


def month_names() -> list[str]:
    return [formats.date_format(dt.date(2000, month, 1), "F") for month in range(1, 13)]


class Links:
    """The page's figures, each paired with its list. Built once per request from ProgrammeYear; no query."""

    def __init__(self, figures: ProgrammeYear):
        self.figures = figures
        self.year = figures.year
        self.district = figures.district

    # The KIM register.
    def _kims(self, **params: Any) -> str:
        return _url("register:list", kecamatan=self.district, **params)

    @property
    def growth(self) -> list[dict]:
        rows = []
        for row in self.figures.growth:
            by_year = {"founded_by": row.year}
            rows.append(
                {
                    "year": row.year,
                    "total": Linked("", row.total, self._kims(**by_year)),
                    "new": Linked("", row.new, self._kims(founded=row.year)),
                    "active": Linked("", row.active, self._kims(status="active", **by_year)),
                    "inactive": Linked("", row.inactive, self._kims(status="inactive", **by_year)),
                    "levels": [
                        Linked(level.name, level.count, self._kims(level=level.level_id or "none", **by_year))
                        for level in row.by_level
                    ],
                }
            )
        return rows

    # Targets and formations.
    def _formations(self, **params: Any) -> str:
        return _url("formation:list", kecamatan=self.district, **params)

    @property
    def targets_total(self) -> Linked:
        return Linked(_("All targets"), self.figures.targets.total, self._formations(year=self.year))

    @property
    def targets_formed(self) -> Linked:
        return Linked(
            _("Formed"), self.figures.targets.formed, self._formations(year=self.year, step="active")
        )

    @property
    def targets_by_step(self) -> list[Linked]:
        return [
            Linked(step.label, step.count, self._formations(year=self.year, step=step.step))
            for step in self.figures.targets.by_step
        ]

    # Zona merah coverage: the village list of the year.
    def _villages(self, district: str, **params: Any) -> str:
        return _url("villages:list", district=district, year=self.year, red_zone="yes", **params)

    @property
    def red_zone(self) -> dict:
        figures, district = self.figures.red_zone, self.district
        return {
            "red_zone": Linked("", figures.red_zone, self._villages(district)),
            "covered": Linked("", figures.covered, self._villages(district, active_kim="yes")),
            "uncovered": Linked("", figures.uncovered, self._villages(district, active_kim="no")),
        }

    @property
    def red_zone_by_district(self) -> list[dict]:
        return [
            {
                "district": row,
                "red_zone": Linked(row.name, row.red_zone, self._villages(row.code)),
                "covered": Linked(row.name, row.covered, self._villages(row.code, active_kim="yes")),
                "uncovered": Linked(row.name, row.uncovered, self._villages(row.code, active_kim="no")),
            }
            for row in self.figures.red_zone.by_district
        ]

    @property
    def map(self) -> str:
        return _url("villages:map", year=self.year, mode="coverage")

    # Sessions and follow-up actions.
    def _sessions(self, **params: Any) -> str:
        return _url(
            "outreach:session_list", kecamatan=self.district, year=self.year, cancelled="no", **params
        )

    @property
    def sessions_total(self) -> Linked:
        return Linked(_("Sessions"), self.figures.sessions.total, self._sessions())

    @property
    def sessions_by_month(self) -> list[Linked]:
        names = month_names()
        return [
            Linked(names[month - 1], count, self._sessions(month=month))
            for month, count in zip(range(1, 13), self.figures.sessions.by_month, strict=True)
        ]

    @property
    def sessions_by_agency(self) -> list[Linked]:
        return [
            Linked(row.name, row.count, self._sessions(agency=row.key))
            for row in self.figures.sessions.by_agency
        ]

    @property
    def sessions_by_topic(self) -> list[Linked]:
        return [
            Linked(row.name, row.count, self._sessions(topic=row.key or "other"))
            for row in self.figures.sessions.by_topic
        ]

    @property
    def sessions_reported(self) -> Linked:
        return Linked(_("Reported"), self.figures.sessions.reported, self._sessions(state="reported"))

    @property
    def reports_owed(self) -> Linked:
        return Linked(
            _("Reports owed"), self.figures.sessions.reports_owed, self._sessions(report_owed="yes")
        )

    def _follow_ups(self, **params: Any) -> str:
        return _url("outreach:follow_up_list", kecamatan=self.district, year=self.year, **params)

    @property
    def follow_ups(self) -> list[Linked]:
        figures = self.figures.follow_ups
        return [
            Linked(_("Done on time"), figures.on_time, self._follow_ups(progress="on_time")),
            Linked(_("Done late"), figures.late, self._follow_ups(progress="late")),
            Linked(_("Overdue"), figures.overdue, self._follow_ups(progress="overdue")),
            Linked(_("Open, not yet due"), figures.not_yet_due, self._follow_ups(progress="not_yet_due")),
        ]

    @property
    def follow_ups_total(self) -> Linked:
        return Linked(_("Follow-up actions"), self.figures.follow_ups.total, self._follow_ups())

    # Mentoring visits.
    @property
    def mentoring(self) -> list[Linked]:
        figures = self.figures.mentoring
        as_of = "" if figures.as_of == self.figures.today else figures.as_of.isoformat()
        params = {"status": "active", "founded_by": self.year, "visit_as_of": as_of}
        return [
            Linked(_("KIMs active"), figures.active, self._kims(**params)),
            Linked(
                _("Visited within the cadence"),
                figures.within_cadence,
                self._kims(last_visit="within", **params),
            ),
            Linked(
                _("Not visited within the cadence"),
                figures.overdue,
                self._kims(last_visit="overdue", **params),
            ),
        ]

    # What is stuck, today.
    @property
    def stuck(self) -> list[Linked]:
        figures, district = self.figures.stuck, self.district
        return [
            Linked(
                _("Formations with no step for %(days)d days") % {"days": figures.stuck_after_days},
                figures.formations_stuck,
                _url("formation:list", kecamatan=district, stuck="yes"),
            ),
            Linked(
                _("Waiting for a village head's confirmation"),
                figures.awaiting_village_head,
                _url("formation:list", kecamatan=district, awaiting="yes"),
            ),
            Linked(
                _("Sessions owed a report"),
                figures.reports_owed,
                _url("outreach:session_list", kecamatan=district, report_owed="yes"),
            ),
            Linked(
                _("Follow-up actions overdue"),
                figures.follow_ups_overdue,
                _url("outreach:follow_up_list", kecamatan=district, progress="overdue"),
            ),
        ]


def chart_data(figures: ProgrammeYear) -> dict:
    """The charts' figures, for json_script: the same numbers as the tables beside them."""
    sessions = figures.sessions
    return {
        "growth": {
            "labels": [row.year for row in figures.growth],
            "series": [
                {"label": _("Active"), "data": [row.active for row in figures.growth]},
                {"label": _("Inactive"), "data": [row.inactive for row in figures.growth]},
            ],
            "stacked": True,
        },
        "targets": {
            "labels": [step.label for step in figures.targets.by_step],
            "series": [{"label": _("Targets"), "data": [step.count for step in figures.targets.by_step]}],
            "horizontal": True,
        },
        "coverage": {
            "labels": [row.name for row in figures.red_zone.by_district if row.red_zone],
            "series": [
                {
                    "label": _("With an active KIM"),
                    "data": [r.covered for r in figures.red_zone.by_district if r.red_zone],
                },
                {
                    "label": _("Without"),
                    "data": [r.uncovered for r in figures.red_zone.by_district if r.red_zone],
                },
            ],
            "stacked": True,
            "horizontal": True,
        },
        "months": {
            "labels": [formats.date_format(dt.date(2000, month, 1), "M") for month in range(1, 13)],
            "series": [{"label": _("Sessions"), "data": list(sessions.by_month)}],
        },
        "agencies": {
            "labels": [row.name for row in sessions.by_agency],
            "series": [{"label": _("Sessions"), "data": [row.count for row in sessions.by_agency]}],
            "horizontal": True,
        },
        "topics": {
            "labels": [row.name for row in sessions.by_topic],
            "series": [{"label": _("Sessions"), "data": [row.count for row in sessions.by_topic]}],
            "horizontal": True,
        },
        "attendance": {
            "labels": [_("Men"), _("Women")],
            "series": [{"label": _("Attending"), "data": [sessions.attended_male, sessions.attended_female]}],
        },
    }

"""The recap's words: its title, scope and period, the summary's lines (the dashboard's figures) and the
registers' columns, shared by the workbook and the PDF so that both say the same."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from kim.lib.regency import regency_name
from kim.office.selectors import long_date
from kim.recap.selectors import Recap


def title(recap: Recap) -> str:
    return _("Recap of the KIM programme, %(year)s") % {"year": recap.year}


def scope_name(recap: Recap) -> str:
    if recap.district:
        return _("Kecamatan %(name)s") % {"name": recap.district_name}
    return regency_name()


def period(recap: Recap) -> str:
    return _("Period: %(start)s to %(end)s") % {"start": long_date(recap.start), "end": long_date(recap.end)}


@dataclass(frozen=True)
class Line:
    """A line of the summary: a section's heading (value None, is_heading), or a figure with its label, its
    number (an int, or a share from 0 to 1 when `is_share`) and a note."""

    label: str
    value: int | float | None = None
    note: str = ""
    is_heading: bool = False
    is_share: bool = False


def summary_lines(recap: Recap, visits: int) -> list[Line]:
    figures = recap.figures
    kims, targets, red, held, follow, mentoring = (
        figures.kims,
        figures.targets,
        figures.red_zone,
        figures.sessions,
        figures.follow_ups,
        figures.mentoring,
    )
    lines = [
        Line(_("KIMs"), is_heading=True),
        Line(_("KIMs registered by the end of the year"), kims.total),
        Line(_("New KIMs in the year"), kims.new),
        Line(_("Active"), kims.active, _("status today")),
        Line(_("Inactive"), kims.inactive, _("status today")),
    ]
    for level in kims.by_level:
        if level.count or level.level_id is not None:
            name = level.name or _("no development level")
            lines.append(Line(_("Development level: %(name)s") % {"name": name}, level.count))
    lines += [
        Line(_("Target villages"), is_heading=True),
        Line(_("Villages targeted in the year"), targets.total),
        Line(_("KIMs formed"), targets.formed),
        *(
            Line(_("Step: %(step)s") % {"step": step.label}, step.count)
            for step in targets.by_step
            if step.count
        ),
        Line(_("Zona merah"), is_heading=True),
        Line(_("Red-zone villages of the year"), red.red_zone),
        Line(_("Red-zone villages with an active KIM"), red.covered),
        Line(_("Share of red-zone villages with an active KIM"), red.share, is_share=True),
        Line(_("Agencies' sessions"), is_heading=True),
        Line(_("Sessions held or planned in the year"), held.total, _("not cancelled")),
        Line(_("Sessions reported"), held.reported),
        Line(_("Reports still owed"), held.reports_owed),
        Line(_("Attendance, men"), held.attended_male),
        Line(_("Attendance, women"), held.attended_female),
        Line(_("Attendance, total"), held.attended),
        *(Line(_("Agency: %(name)s") % {"name": row.name}, row.count) for row in held.by_agency),
        Line(_("Follow-up actions"), is_heading=True),
        Line(_("Follow-up actions agreed"), follow.total),
        Line(_("Done on time"), follow.on_time),
        Line(_("Done late"), follow.late),
        Line(_("Overdue"), follow.overdue),
        Line(_("Not yet due"), follow.not_yet_due),
        Line(_("Mentoring"), is_heading=True),
        Line(_("Active KIMs"), mentoring.active, _("as at %(day)s") % {"day": long_date(mentoring.as_of)}),
        Line(
            _("Visited within %(days)s days") % {"days": mentoring.cadence_days},
            mentoring.within_cadence,
        ),
        Line(_("Not visited within %(days)s days") % {"days": mentoring.cadence_days}, mentoring.overdue),
        Line(_("Mentoring visits in the year"), visits),
    ]
    return lines


def district_header() -> list[str]:
    return [
        _("No."),
        _("Kecamatan"),
        _("KIMs"),
        _("New KIMs"),
        _("Active"),
        _("Inactive"),
        _("Villages targeted"),
        _("Formed"),
        _("Red-zone villages"),
        _("Red zone with a KIM"),
        _("Sessions"),
        _("Men attending"),
        _("Women attending"),
        _("Follow-up actions"),
        _("Mentoring visits"),
    ]

"""The recap as an Excel workbook, written as the rows come (kim.lib.xlsx: each row goes straight into the file,
so memory stays flat and the national recap takes seconds, however many KIMs and sessions there are).

Every sheet opens with the same four lines (the recap's title, its scope and period, the office's name, the
sheet's subject), then its header, frozen under them; numbers are numbers, dates are dates. The summary ends
with the signature block.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from django.utils.translation import gettext as _

from kim.formation.models import Formation, Step
from kim.lib.regency import regency_name
from kim.lib.xlsx import Style, Workbook
from kim.mentoring.models import Visit
from kim.office.models import Office
from kim.office.selectors import SignatureBlock
from kim.recap import selectors, summary
from kim.recap.selectors import Recap
from kim.register.models import Kim
from outreach.sessions.models import Session

HEADER_ROW = 5  # under the title, the scope and period, the office and the sheet's subject
HEADING_STYLES = (Style.TITLE, Style.BOLD, Style.PLAIN, Style.BOLD)

Progress = Callable[[int, int | None], None]


class Sheet:
    """A sheet of the recap: its heading lines and frozen header, then rows of plain values."""

    def __init__(
        self, workbook: Workbook, name: str, heading: Sequence[str], columns: Sequence[tuple[str, int]]
    ):
        self.sheet = workbook.add_sheet(
            name, widths=[width for _label, width in columns], frozen_rows=HEADER_ROW
        )
        for line, style in zip(heading, HEADING_STYLES, strict=True):
            self.sheet.append([line], style)
        self.sheet.append([label for label, _width in columns], Style.BOLD)

    def append(self, values: Iterable[Any], style: Style = Style.PLAIN) -> None:
        self.sheet.append(values, style)

    def blank(self) -> None:
        self.sheet.append([])


def labels(choices) -> dict[str, str]:
    """A choice's labels as text once, rather than a lazy translation read again for every row."""
    return {value: str(label) for value, label in choices}


def write_workbook(
    output: IO[bytes], recap: Recap, office: Office, signatures: SignatureBlock, progress: Progress
) -> None:
    counts = selectors.row_counts(recap)
    total = sum(counts.values()) + 1
    done = 0

    def step(rows: int = 1) -> None:
        nonlocal done
        done += rows
        progress(done, total)

    progress(0, total)
    workbook = Workbook(output)
    heading = _heading(recap, office)
    _summary_sheet(workbook, heading, recap, counts["visits"], signatures)
    _district_sheet(workbook, heading, recap)
    step()
    for write in (_kim_sheet, _target_sheet, _session_sheet, _follow_up_sheet, _visit_sheet):
        write(workbook, heading, recap, step)
    workbook.close()


def _heading(recap: Recap, office: Office) -> list[str]:
    return [
        summary.title(recap),
        f"{summary.scope_name(recap)} · {summary.period(recap)}",
        f"{office.name} {regency_name()}",
    ]


def _summary_sheet(
    workbook: Workbook, heading: list[str], recap: Recap, visits: int, signatures: SignatureBlock
) -> None:
    sheet = Sheet(
        workbook,
        _("Summary"),
        [*heading, _("Summary")],
        [(_("Figure"), 52), (_("Number"), 12), (_("Note"), 44)],
    )
    for line in summary.summary_lines(recap, visits):
        if line.is_heading:
            sheet.append([line.label], Style.BOLD)
        elif line.is_share:
            sheet.append([line.label, "-" if line.value is None else line.value, line.note], Style.SHARE)
        else:
            sheet.append([line.label, line.value, line.note])
    sheet.blank()
    sheet.blank()
    for head, preparer in signatures.rows:
        sheet.append([head, None, preparer], Style.CENTRED)


def _district_sheet(workbook: Workbook, heading: list[str], recap: Recap) -> None:
    header = summary.district_header()
    widths = [6, 24, *([11] * (len(header) - 2))]
    sheet = Sheet(
        workbook, _("By kecamatan"), [*heading, _("By kecamatan")], list(zip(header, widths, strict=True))
    )
    rows = selectors.district_rows(recap)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, row.name, *row.numbers()])
    sheet.append(["", _("Total"), *selectors.district_total(rows).numbers()], Style.BOLD)


def _kim_sheet(workbook: Workbook, heading: list[str], recap: Recap, step: Callable[[], None]) -> None:
    columns = [
        (_("No."), 6),
        (_("Kecamatan"), 18),
        (_("Village"), 20),
        (_("KIM"), 30),
        (_("Status"), 12),
        (_("Origin"), 20),
        (_("Founding date"), 13),
        (_("Development level"), 16),
        (_("Decree (SK) number"), 24),
        (_("Decree (SK) date"), 13),
        (_("KIM.id number"), 16),
        (_("Ketua"), 22),
        (_("Sekretaris"), 22),
        (_("Bendahara"), 22),
        (_("Last visit"), 13),
    ]
    sheet = Sheet(workbook, _("KIMs"), [*heading, _("KIMs and their officers")], columns)
    statuses, origins = labels(Kim.Status.choices), labels(Kim.Origin.choices)
    for number, kim in enumerate(selectors.kim_rows(recap), start=1):
        sheet.append(
            [
                number,
                kim["village__district__name"],
                kim["village__name"],
                kim["name"],
                statuses.get(kim["status"], kim["status"]),
                origins.get(kim["origin"], kim["origin"]),
                kim["founded_on"],
                kim["level__name"],
                kim["sk_number"],
                kim["sk_date"],
                kim["kimid_number"],
                *(kim[f"officer_{position}"] for position in selectors.OFFICERS),
                kim["last_visit_on"],
            ]
        )
        step()


def _target_sheet(workbook: Workbook, heading: list[str], recap: Recap, step: Callable[[], None]) -> None:
    columns = [
        (_("No."), 6),
        (_("Kecamatan"), 18),
        (_("Village"), 20),
        (_("Reason"), 36),
        (_("Formation"), 14),
        (_("Step reached"), 26),
        (_("Coordination"), 13),
        (_("Village meeting"), 13),
        (_("Briefing"), 13),
        (_("KIM formed"), 28),
    ]
    sheet = Sheet(workbook, _("Formations"), [*heading, _("Target villages and their formations")], columns)
    states, steps, not_started = labels(Formation.State.choices), labels(Step.choices), _("not started")
    for number, target in enumerate(selectors.target_rows(recap), start=1):
        state = target["formation__state"]
        sheet.append(
            [
                number,
                target["village__district__name"],
                target["village__name"],
                target["reason"],
                states[state] if state else not_started,
                steps.get(target["formation__step"], ""),
                target["formation__coordinated_on"],
                target["formation__meeting_on"],
                target["formation__briefed_on"],
                target["formation__kim__name"],
            ]
        )
        step()


def _session_sheet(workbook: Workbook, heading: list[str], recap: Recap, step: Callable[[], None]) -> None:
    columns = [
        (_("No."), 7),
        (_("Date"), 12),
        (_("Kecamatan"), 18),
        (_("Village"), 18),
        (_("KIM"), 26),
        (_("Agency"), 16),
        (_("Topic"), 24),
        (_("Title"), 36),
        (_("State"), 12),
        (_("Men attending"), 10),
        (_("Women attending"), 10),
        (_("Attending"), 10),
    ]
    sheet = Sheet(workbook, _("Sessions"), [*heading, _("Agencies' sessions and their attendance")], columns)
    states = labels(Session.State.choices)
    men = women = 0
    for number, held in enumerate(selectors.session_rows(recap), start=1):
        male, female = held["report__attended_male"], held["report__attended_female"]
        men, women = men + (male or 0), women + (female or 0)
        sheet.append(
            [
                number,
                held["day"],
                held["kim__village__district__name"],
                held["kim__village__name"],
                held["kim__name"],
                held["agency__short_name"],
                held["topic__name"] or held["topic_other"],
                held["title"],
                states.get(held["state"], held["state"]),
                male,
                female,
                (male or 0) + (female or 0) if male is not None or female is not None else None,
            ]
        )
        step()
    sheet.append(["", _("Total"), "", "", "", "", "", "", "", men, women, men + women], Style.BOLD)


def _follow_up_sheet(workbook: Workbook, heading: list[str], recap: Recap, step: Callable[[], None]) -> None:
    columns = [
        (_("No."), 7),
        (_("Due date"), 12),
        (_("Done on"), 12),
        (_("Where it stands"), 16),
        (_("Action"), 40),
        (_("Owner"), 20),
        (_("Session date"), 12),
        (_("Session"), 32),
        (_("Agency"), 16),
        (_("KIM"), 26),
        (_("Kecamatan"), 18),
    ]
    sheet = Sheet(
        workbook, _("Follow-ups"), [*heading, _("Follow-up actions agreed at the sessions")], columns
    )
    today = recap.figures.today
    standing = labels(
        [
            ("on_time", _("done on time")),
            ("late", _("done late")),
            ("past", _("past due")),
            ("open", _("not yet due")),
        ]
    )
    for number, action in enumerate(selectors.follow_up_rows(recap), start=1):
        sheet.append(
            [
                number,
                action["due_on"],
                action["done_on"],
                standing[follow_up_standing(action["due_on"], action["done_on"], today)],
                action["action"],
                action["owner"],
                action["session_day"],
                action["session__title"],
                action["session__agency__short_name"],
                action["session__kim__name"],
                action["session__kim__village__district__name"],
            ]
        )
        step()


def follow_up_standing(due_on: dt.date, done_on: dt.date | None, today: dt.date) -> str:
    """As the dashboard counts follow-ups: done on time, done late, past due (overdue), or open, not yet due."""
    if done_on is not None:
        return "on_time" if done_on <= due_on else "late"
    return "past" if due_on < today else "open"


def _visit_sheet(workbook: Workbook, heading: list[str], recap: Recap, step: Callable[[], None]) -> None:
    columns = [
        (_("No."), 6),
        (_("Date"), 12),
        (_("Kecamatan"), 18),
        (_("Village"), 20),
        (_("KIM"), 28),
        (_("Kind"), 26),
        (_("Topic"), 36),
        (_("Participants"), 12),
    ]
    sheet = Sheet(workbook, _("Mentoring"), [*heading, _("Mentoring visits")], columns)
    kinds = labels(Visit.Kind.choices)
    for number, visit in enumerate(selectors.visit_rows(recap), start=1):
        sheet.append(
            [
                number,
                visit["visited_on"],
                visit["kim__village__district__name"],
                visit["kim__village__name"],
                visit["kim__name"],
                kinds.get(visit["kind"], visit["kind"]),
                visit["topic"],
                visit["participants"],
            ]
        )
        step()

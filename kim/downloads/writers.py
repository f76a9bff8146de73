"""A list's rows written to a file as they come (one row in memory at a time): CSV, or an xlsx sheet through
XlsxWriter in its constant-memory mode (each row goes to a temporary file on disk as soon as the next one
starts, and the file is zipped at the end). Text goes through spreadsheet_safe and is always written as text;
in xlsx numbers stay numbers and dates become dates (times in WIB, which Excel cannot hold a zone for); in CSV
dates are ISO and times are WIB."""

import csv
import datetime as dt
import io
import math
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kim.downloads.registry import ExportFailed
from kim.lib.exports import spreadsheet_safe

WIB = ZoneInfo(settings.TIME_ZONE)
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Column widths, in characters: from the longest value seen in the column, within these bounds.
MIN_WIDTH = 8
MAX_WIDTH = 50
DATE_WIDTH = 11
DATETIME_WIDTH = 17

# The rows an xlsx sheet holds, its header included (Excel's limit; XlsxWriter drops what comes after).
XLSX_MAX_ROWS = 1_048_576

# Called after each row with the number of rows written so far.
RowWritten = Callable[[int], None]


def _plain(value: Any) -> Any:
    """A cell's value as the file holds it: lazy text as text, aware times in WIB without their zone."""
    if value is None:
        return None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(WIB).replace(tzinfo=None)
        return value
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return spreadsheet_safe(str(value))


def _csv_text(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv(
    output: IO[bytes], header: Sequence[Any], rows: Iterable[Sequence[Any]], done: RowWritten
) -> None:
    text = io.TextIOWrapper(output, encoding="utf-8", newline="", write_through=True)
    try:
        text.write(
            "\ufeff"
        )  # a byte-order mark, so that Excel opens the UTF-8 file with the right characters
        writer = csv.writer(text)
        writer.writerow([_csv_text(value) for value in header])
        for count, row in enumerate(rows, start=1):
            writer.writerow([_csv_text(value) for value in row])
            done(count)
    finally:
        text.detach()  # leave `output` open for the caller


class _Sheet:
    """One worksheet written row by row, each value by its type, the widest value of each column noted."""

    def __init__(self, workbook: xlsxwriter.Workbook, title: str, columns: int):
        self.sheet = workbook.add_worksheet(_sheet_title(title))
        self.bold = workbook.add_format({"bold": True})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self.widths = [MIN_WIDTH] * columns

    def text(self, row: int, column: int, text: str, style=None) -> None:
        if text.startswith("<r>") and text.endswith("</r>"):
            # XlsxWriter passes text shaped like its own rich-text markup into the file as markup: write it as
            # plain runs instead, so that it stays the very text it is (and can never inject a cell).
            self.sheet.write_rich_string(row, column, text[0], text[1], text[2:], *([style] if style else []))
        else:
            self.sheet.write_string(row, column, text, style)
        self._seen(column, len(text))

    def value(self, row: int, column: int, value: Any) -> None:
        if type(value) is str:  # most cells: straight to text (an empty one is no cell at all)
            if value:
                self.text(row, column, spreadsheet_safe(value))
            return
        value = _plain(value)
        if value is None:
            return
        if isinstance(value, str):
            if value:
                self.text(row, column, value)
        elif isinstance(value, bool):
            self.sheet.write_boolean(row, column, value)
        elif isinstance(value, dt.datetime):
            self.sheet.write_datetime(row, column, value, self.datetime)
            self._seen(column, DATETIME_WIDTH)
        elif isinstance(value, dt.date):
            self.sheet.write_datetime(row, column, value, self.date)
            self._seen(column, DATE_WIDTH)
        elif math.isfinite(value):
            self.sheet.write_number(row, column, value)
            self._seen(column, len(str(value)))
        else:  # Excel has no infinity and no "not a number"
            self.text(row, column, str(value))

    def _seen(self, column: int, width: int) -> None:
        if column < len(self.widths) and width > self.widths[column]:
            self.widths[column] = width

    def set_widths(self) -> None:
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, min(MAX_WIDTH, width + 2))


def write_xlsx(
    output: IO[bytes],
    title: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    done: RowWritten,
    *,
    scratch_in: str | None = None,
) -> None:
    # XlsxWriter keeps the rows in temporary files until it zips them: in a directory of this build's own
    # (under `scratch_in`, or the system's temporary folder), removed whatever happens (a build stopped
    # half-way leaves nothing behind; one whose process was killed leaves a "*.part" folder, which the
    # exports' sweep deletes).
    with tempfile.TemporaryDirectory(prefix="xlsx-", suffix=".part", dir=scratch_in) as scratch:
        workbook = xlsxwriter.Workbook(
            output,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                # Text is text: never read as a formula, a link or a number.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        sheet = _Sheet(workbook, title, len(header))
        sheet.sheet.freeze_panes(1, 0)
        for column, text in enumerate(header):
            sheet.text(0, column, spreadsheet_safe(str(text)), sheet.bold)
        for count, row in enumerate(rows, start=1):
            if count >= XLSX_MAX_ROWS:
                raise too_many_rows()
            for column, value in enumerate(row):
                sheet.value(count, column, value)
            done(count)
        sheet.set_widths()
        workbook.close()


def too_many_rows() -> ExportFailed:
    return ExportFailed(
        _(
            "The list has more rows than an Excel sheet holds (%(count)s). Download it as CSV, or narrow it "
            "with its filters."
        )
        % {"count": intcomma(XLSX_MAX_ROWS - 1)}
    )


def _sheet_title(title: str) -> str:
    """A sheet's name: at most 31 characters, none of those Excel refuses, no apostrophe at either end, and not
    the name Excel keeps for itself."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip(" '")[:31].strip(" '")
    if not cleaned or cleaned.lower() == "history":
        return "Data"
    return cleaned

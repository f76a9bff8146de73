"""A list's rows written to a file as they come (one row in memory at a time): CSV, or an xlsx sheet through
kim.lib.xlsx (each row straight into the zip as a line of the sheet: no temporary file, memory flat, several
times XlsxWriter's pace). Text goes through spreadsheet_safe and is always written as text;
in xlsx numbers stay numbers and dates become dates (times in WIB, which Excel cannot hold a zone for); in CSV
dates are ISO and times are WIB."""

import contextlib
import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kim.downloads.registry import ExportFailed
from kim.lib import xlsx
from kim.lib.exports import spreadsheet_safe

WIB = ZoneInfo(settings.TIME_ZONE)
# Column widths, in characters: from the longest value seen in the column, within these bounds.
MIN_WIDTH = 8
MAX_WIDTH = 50
DATE_WIDTH = 11
DATETIME_WIDTH = 17

# The rows an xlsx sheet holds, its header included (Excel's limit: a reader drops what comes after).
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


# Widths come before the rows in an xlsx sheet, and the rows are written as they come: they are taken from the
# header and the first rows (held in memory until then), not from rows further down.
WIDTH_SAMPLE_ROWS = 1_000
_WRITTEN_AS_THEY_ARE = (str, int, type(None))


def _xlsx_value(value: Any) -> Any:
    """A cell's value as kim.lib.xlsx takes it: times already in WIB, lazy text as text, and Excel's lack of
    infinity and "not a number" met with the value written as text."""
    value = _plain(value)
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        return str(value)
    return value


def _width(value: Any) -> int:
    if isinstance(value, str):
        return len(spreadsheet_safe(value))
    if isinstance(value, dt.datetime):
        return DATETIME_WIDTH
    if isinstance(value, dt.date):
        return DATE_WIDTH
    return 0 if value is None else len(str(value))


def _widths(header: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[int]:
    widths = [max(MIN_WIDTH, len(text)) for text in header]
    for row in sample:
        for column, value in enumerate(row[: len(widths)]):
            widths[column] = max(widths[column], _width(value))
    return [min(MAX_WIDTH, width + 2) for width in widths]


def write_xlsx(
    output: IO[bytes], title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], done: RowWritten
) -> None:
    """Through kim.lib.xlsx: each row straight into the zip as a line of the sheet, no temporary file."""
    names = [spreadsheet_safe(str(text)) for text in header]
    rows = iter(rows)
    sample: list[list[Any]] = []
    for row in rows:
        sample.append([value if type(value) in _WRITTEN_AS_THEY_ARE else _xlsx_value(value) for value in row])
        if len(sample) >= XLSX_MAX_ROWS:
            raise too_many_rows()
        if len(sample) == WIDTH_SAMPLE_ROWS:
            break
    book = xlsx.Workbook(output)
    try:
        sheet = book.add_sheet(_sheet_title(title), widths=_widths(names, sample), frozen_rows=1)
        sheet.append(names, xlsx.Style.BOLD)
        for count, values in enumerate(sample, start=1):
            sheet.append(values)
            done(count)
        for count, row in enumerate(rows, start=len(sample) + 1):
            if count >= XLSX_MAX_ROWS:
                raise too_many_rows()
            sheet.append(
                [value if type(value) in _WRITTEN_AS_THEY_ARE else _xlsx_value(value) for value in row]
            )
            done(count)
    except BaseException:
        with contextlib.suppress(Exception):
            book.close()  # the zip's ends, so that nothing is left open; the caller discards the file
        raise
    book.close()


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

"""A list's rows written to a file as they come (one row in memory at a time): CSV, or an xlsx sheet through
openpyxl's write-only mode. Text goes through spreadsheet_safe; in xlsx numbers stay numbers and dates become
dates (times in WIB, which Excel cannot hold a zone for); in CSV dates are ISO and times are WIB."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kim.lib.exports import spreadsheet_safe

WIB = ZoneInfo(settings.TIME_ZONE)
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

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


def _cell(sheet, value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, dt.datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def write_xlsx(
    output: IO[bytes], title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], done: RowWritten
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    for number, text in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = max(12, min(40, len(str(text)) + 4))
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for count, row in enumerate(rows, start=1):
        sheet.append([_cell(sheet, value) for value in row])
        done(count)
    workbook.save(output)


def _sheet_title(title: str) -> str:
    """A sheet's name: at most 31 characters, none of those Excel refuses."""
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in str(title)).strip()
    return (cleaned or "Data")[:31]

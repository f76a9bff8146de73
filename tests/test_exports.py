"""The writers every list's download shares (kim.downloads.writers): CSV for a spreadsheet or a script, and an
xlsx sheet with numbers as numbers and dates as dates; typed text never runs as a formula in either."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from kim.downloads.writers import write_csv, write_xlsx
from kim.lib.exports import spreadsheet_safe

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["Name", "Members", "Founded", "Last change"]
ROWS = [
    ["KIM Selakambang Maju", 12, dt.date(2019, 2, 1), dt.datetime(2019, 3, 5, 2, 30, tzinfo=dt.UTC)],
    ["=HYPERLINK(1)", 3, None, None],
    [gettext_lazy("Villages"), Decimal("2.5"), None, None],  # lazy text as the language it is built in
]


def _written(writer, *args) -> tuple[bytes, list[int]]:
    output, counted = io.BytesIO(), list[int]()
    writer(output, *args, counted.append)
    return output.getvalue(), counted


def test_a_csv_file_is_the_header_then_one_line_a_row_with_dates_in_iso_and_times_in_wib():
    data, counted = _written(write_csv, HEADER, iter(ROWS))

    assert data.startswith("\ufeff".encode())  # Excel reads the UTF-8 file with the right characters
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        HEADER,
        ["KIM Selakambang Maju", "12", "2019-02-01", "2019-03-05 09:30"],
        ["'=HYPERLINK(1)", "3", "", ""],
        ["Villages", "2.5", "", ""],
    ]
    assert counted == [1, 2, 3]


def test_an_xlsx_sheet_holds_numbers_as_numbers_and_dates_as_dates_under_a_frozen_header():
    data, counted = _written(write_xlsx, "KIMs", HEADER, iter(ROWS))

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "KIMs"
    assert sheet.freeze_panes == "A2"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        HEADER,
        ["KIM Selakambang Maju", 12, dt.datetime(2019, 2, 1), dt.datetime(2019, 3, 5, 9, 30)],
        ["'=HYPERLINK(1)", 3, None, None],
        ["Villages", 2.5, None, None],
    ]
    assert sheet["C2"].is_date and sheet["D2"].is_date
    assert sheet["A1"].font.bold
    assert counted == [1, 2, 3]


def test_a_sheet_name_keeps_to_what_excel_accepts():
    data, _counted = _written(write_xlsx, "Desa/kelurahan: [semua] " + "x" * 40, ["A"], iter([]))
    title = load_workbook(io.BytesIO(data)).active.title
    assert len(title) == 31 and not set("[]:*?/\\") & set(title)


def test_typed_text_that_starts_like_a_formula_is_kept_as_text_and_phone_numbers_are_left_alone():
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-2+3") == "'-2+3"
    assert spreadsheet_safe("+6281234567890") == "+6281234567890"
    assert spreadsheet_safe(12) == 12

"""The writers every list's download shares (kim.downloads.writers): CSV for a spreadsheet or a script, and an
xlsx sheet with numbers as numbers and dates as dates; typed text never runs as a formula in either."""

import csv
import datetime as dt
import io
import tempfile
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from kim.downloads.writers import WIDTH_SAMPLE_ROWS, write_csv, write_xlsx
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


def test_text_in_an_xlsx_sheet_stays_the_very_text_whatever_it_looks_like():
    looks_like = [
        "=1+1",  # a formula
        "https://example.org/desa",  # a link
        "007",  # a number (a code's leading zeros)
        "3.3.03",  # a code
        # Text shaped like the sheet's own XML (a cell with a formula, rich-text runs): never passed into the
        # file as markup.
        '<r><t>a</t></r></is></c><c r="B2"><f>1+1</f></c><c><is><r><t>b</t></r>',
        '</t></is></c></row><row r="9"><c r="A9"><f>1+1</f></c></row>',
        "A & B <desa> \"kutip\" 'petik'",
    ]
    data, _counted = _written(
        write_xlsx, "Teks", [f"C{n}" for n in range(len(looks_like))], iter([looks_like])
    )

    sheet = load_workbook(io.BytesIO(data)).active
    (row,) = sheet.iter_rows(min_row=2)
    assert [cell.value for cell in row] == [spreadsheet_safe(text) for text in looks_like]
    assert {cell.data_type for cell in row} == {"s"}


def test_a_control_character_pasted_into_a_name_does_not_stop_the_file():
    data, counted = _written(write_xlsx, "KIMs", ["Name"], iter([["KIM\x01 Maju"], ["KIM Sejahtera"]]))

    sheet = load_workbook(io.BytesIO(data)).active
    # XML cannot hold the character: it is dropped, and the rest of the name and of the file are kept.
    assert [cell.value for (cell,) in sheet.iter_rows()] == ["Name", "KIM Maju", "KIM Sejahtera"]
    assert counted == [1, 2]


def _widths(data: bytes) -> dict[int, float]:
    widths = {}
    for dimension in load_workbook(io.BytesIO(data)).active.column_dimensions.values():
        for column in range(dimension.min, dimension.max + 1):  # openpyxl groups neighbours of the same width
            widths[column] = dimension.width
    return widths


def test_xlsx_columns_are_as_wide_as_their_longest_value_within_bounds():
    rows = [["Desa " + "panjang " * 3, 7, dt.date(2026, 1, 2), "x" * 300]]
    data, _counted = _written(write_xlsx, "Desa", ["Name", "N", "Date", "Notes"], iter(rows))

    widths = _widths(data)
    assert widths[1] > widths[2]  # the name is wider than the count, which keeps a readable minimum
    assert widths[2] >= 8
    assert widths[3] >= 11  # dd-mm-yyyy fits
    assert widths[4] < 60  # a long note does not make a column wider than the screen


def test_xlsx_widths_come_from_the_header_and_the_first_rows_as_the_rows_are_written_as_they_come():
    # A sheet's widths come before its rows, which are not held: the first WIDTH_SAMPLE_ROWS rows and the
    # header decide them, and a longer value further down is written whole in a column that stays as it was.
    first = [["Desa"]] * WIDTH_SAMPLE_ROWS
    data, counted = _written(write_xlsx, "Desa", ["Village name"], iter([*first, ["Desa " + "x" * 40]]))

    assert _widths(data)[1] == len("Village name") + 2
    assert load_workbook(io.BytesIO(data)).active.cell(WIDTH_SAMPLE_ROWS + 2, 1).value == "Desa " + "x" * 40
    assert counted == list(range(1, WIDTH_SAMPLE_ROWS + 2))


def test_an_xlsx_build_stopped_half_way_leaves_no_temporary_file(tmp_path, monkeypatch):
    # The rows go straight into the zip (the caller discards the half-written file): nothing on the side.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ["KIM Selakambang Maju", 12]
        raise RuntimeError("the worker stopped")

    with pytest.raises(RuntimeError):
        write_xlsx(io.BytesIO(), "KIMs", ["Name", "Members"], rows(), lambda count: None)
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_name_keeps_to_what_excel_accepts():
    data, _counted = _written(write_xlsx, "Desa/kelurahan: [semua] " + "x" * 40, ["A"], iter([]))
    title = load_workbook(io.BytesIO(data)).active.title
    assert len(title) == 31 and not set("[]:*?/\\") & set(title)
    for refused, kept in [("'Desa'", "Desa"), ("History", "Data"), ("", "Data")]:
        data, _counted = _written(write_xlsx, refused, ["A"], iter([]))
        assert load_workbook(io.BytesIO(data)).active.title == kept


def test_typed_text_that_starts_like_a_formula_is_kept_as_text_and_phone_numbers_are_left_alone():
    assert spreadsheet_safe("=1+1") == "'=1+1"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-2+3") == "'-2+3"
    assert spreadsheet_safe("+6281234567890") == "+6281234567890"
    assert spreadsheet_safe(12) == 12

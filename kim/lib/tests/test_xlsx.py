"""The streaming xlsx writer, read back with openpyxl: values keep their types, text stays text."""

import datetime as dt
import io

from openpyxl import load_workbook

from kim.lib.xlsx import Style, Workbook, sheet_name


def written(build) -> io.BytesIO:
    output = io.BytesIO()
    book = Workbook(output)
    build(book)
    book.close()
    output.seek(0)
    return output


def test_values_keep_their_types_and_dates_read_as_dates():
    def build(book):
        sheet = book.add_sheet("Data", widths=[10, 20], frozen_rows=1)
        sheet.append(["Nama", "Nilai"], Style.BOLD)
        sheet.append(
            [7, 2.5, dt.date(2019, 1, 10), dt.datetime(2019, 1, 10, 2, 30, tzinfo=dt.UTC), True, None, "teks"]
        )

    book = load_workbook(written(build))
    sheet = book["Data"]
    assert sheet["A1"].value == "Nama" and sheet["A1"].font.bold
    # The aware time is written in WIB (UTC+7), as every time the application shows.
    assert [cell.value for cell in sheet[2]][:5] == [
        7,
        2.5,
        dt.datetime(2019, 1, 10),
        dt.datetime(2019, 1, 10, 9, 30),
        True,
    ]
    assert sheet["C2"].is_date and sheet["C2"].number_format == "dd-mm-yyyy"
    assert sheet["F2"].value is None and sheet["G2"].value == "teks"
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width) == (10, 20)


def test_text_is_escaped_never_a_formula_and_loses_characters_xml_cannot_hold():
    def build(book):
        sheet = book.add_sheet("Teks")
        sheet.append(['<b>"KIM" & Co</b>', '=HYPERLINK("http://x")', "nama\x00\x07 bersih", "+62812345678"])

    sheet = load_workbook(written(build))["Teks"]
    assert [cell.value for cell in sheet[1]] == [
        '<b>"KIM" & Co</b>',
        '\'=HYPERLINK("http://x")',
        "nama bersih",
        "+62812345678",
    ]
    assert sheet["B1"].data_type == "s"


def test_a_share_is_a_number_shown_as_a_percentage():
    def build(book):
        book.add_sheet("Ringkasan").append(["Persentase", 0.2], Style.SHARE)

    cell = load_workbook(written(build))["Ringkasan"]["B1"]
    assert cell.value == 0.2 and cell.number_format == "0.0%"


def test_sheet_names_are_cut_cleaned_and_unique():
    assert sheet_name("Rekap: [2019]/kecamatan?") == "Rekap   2019  kecamatan"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("Sesi", ["Sesi"]) == "Sesi (2)"

    def build(book):
        book.add_sheet("Sesi")
        book.add_sheet("Sesi")

    assert load_workbook(written(build)).sheetnames == ["Sesi", "Sesi (2)"]

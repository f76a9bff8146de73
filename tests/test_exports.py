"""The one download helper (kim.lib.exports) that the village, KIM and formation lists share."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kim.lib.exports import export_response

HEADER = ["Name", "Members"]
ROWS = [["KIM Selakambang Maju", 12], ["=HYPERLINK(1)", 3]]


def test_a_csv_download_is_the_header_then_one_line_a_row_with_formulas_kept_as_text():
    response = export_response("csv", filename="kim-2019", title="KIMs", header=HEADER, rows=iter(ROWS))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Disposition"] == 'attachment; filename="kim-2019.csv"'
    assert list(csv.reader(io.StringIO(text))) == [
        HEADER,
        ["KIM Selakambang Maju", "12"],
        ["'=HYPERLINK(1)", "3"],
    ]


def test_an_excel_download_is_the_same_rows_on_a_sheet_named_by_the_title():
    response = export_response("xlsx", filename="kim-2019", title="KIMs", header=HEADER, rows=iter(ROWS))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert response["Content-Disposition"] == 'attachment; filename="kim-2019.xlsx"'
    assert sheet.title == "KIMs"
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        HEADER,
        ["KIM Selakambang Maju", 12],
        ["'=HYPERLINK(1)", 3],
    ]


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("villages:export_csv", "/desa/unduh.csv"),
        ("villages:export_xlsx", "/desa/unduh.xlsx"),
        ("register:export_csv", "/kim/unduh.csv"),
        ("register:export_xlsx", "/kim/unduh.xlsx"),
        ("formation:export_csv", "/kim/pembentukan/unduh.csv"),
        ("formation:export_xlsx", "/kim/pembentukan/unduh.xlsx"),
    ],
)
def test_every_list_download_keeps_its_address(name, url):
    assert reverse(name) == url

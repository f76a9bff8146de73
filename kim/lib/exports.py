"""Downloads of list pages: the same rows as on screen, as CSV (streamed) or as an Excel workbook."""

import csv
import re
from collections.abc import Iterable, Sequence
from tempfile import SpooledTemporaryFile

from django.http import FileResponse, StreamingHttpResponse
from django.urls import URLPattern, path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A spreadsheet runs a cell that starts like a formula. Text people typed (names, decree numbers) is kept
# as text with a leading apostrophe; numbers and +62 phone numbers are left alone.
_FORMULA_START = re.compile(r"[=@\t\r]|[+-](?![\d\s.]*$)")


def spreadsheet_safe(value):
    if isinstance(value, str) and _FORMULA_START.match(value):
        return f"'{value}"
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        # A byte-order mark, so that Excel opens the UTF-8 file with the right characters.
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> FileResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    # FileResponse closes the file once it has been sent.
    output = SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def export_response(
    file_format: str, *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse | FileResponse:
    """A list page's download: `header`, then one row a line, as an Excel workbook whose sheet is `title` for
    "xlsx", as CSV otherwise. `filename` comes without its suffix."""
    if file_format == "xlsx":
        return xlsx_response(filename, title, header, rows)
    return csv_response(filename, header, rows)


def export_paths(route: str, view, name: str) -> list[URLPattern]:
    """The download URLs of a list page: `<route>unduh.csv` named `<name>_csv`, and the same for xlsx; the view
    receives the format as `file_format`."""
    return [
        path(f"{route}unduh.{file_format}", view, {"file_format": file_format}, name=f"{name}_{file_format}")
        for file_format in FORMATS
    ]

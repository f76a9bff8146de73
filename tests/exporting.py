"""Downloads in tests: a list's download button pressed, its job built in the test's own process (as the worker
would, kim.downloads.building.run), and its file fetched from the Downloads page."""

import csv
import io
from urllib.parse import urlencode

from django.test import Client
from django.urls import resolve, reverse
from openpyxl import load_workbook

from kim.downloads import building


def start(client: Client, kind: str, file_format: str, query: dict | None = None):
    url = reverse("downloads:start", args=[kind, file_format])
    if query:
        url += "?" + urlencode(query, doseq=True)
    return client.post(url)


def job_id_of(response) -> int:
    assert response.status_code == 302, response.status_code
    return int(resolve(response.url).kwargs["job_id"])


def download(client: Client, kind: str, file_format: str, query: dict | None = None):
    """The file as the person gets it: asked for, built, downloaded."""
    job_id = job_id_of(start(client, kind, file_format, query))
    assert building.run(job_id) == "done"
    response = client.get(reverse("downloads:file", args=[job_id]))
    assert response.status_code == 200, response.status_code
    return response


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))


def sheet_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(content(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]

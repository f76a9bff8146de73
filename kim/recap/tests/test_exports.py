"""The recap is an export kind of kim.downloads: started from the dashboard, built in the background, for
staff, staff administrators and leaders."""

import datetime as dt
import io

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from kim.accounts.models import Role, User
from kim.downloads import registry
from kim.downloads.building import run
from kim.downloads.models import ExportJob
from tests.factories import KimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exports_folder(settings, tmp_path):
    settings.EXPORT_ROOT = tmp_path / "exports"


@pytest.fixture
def since_2019(village):
    """Kaligondang, with a KIM founded in 2019: the dashboard offers 2019 to this year."""
    return KimFactory(village=village, founded_on=dt.date(2019, 1, 10))


def test_the_recap_is_registered_as_a_workbook_and_a_pdf():
    kind = registry.kind("recap")
    assert kind.formats == ("xlsx", "pdf")
    assert str(kind.label) == "Rekapitulasi tahunan Program KIM"


@pytest.mark.parametrize(
    ("persona", "may"),
    [("staff", True), ("staff_admin", True), ("leader", True), ("head", False), ("officer", False)],
)
def test_staff_staff_admins_and_leaders_may_export_the_recap(request, persona, may):
    assert registry.kind("recap").may_export(request.getfixturevalue(persona)) is may


def test_its_params_are_the_dashboards_year_and_kecamatan(since_2019, staff):
    kind = registry.kind("recap")
    params = kind.read_params(QueryDict("year=2019&kecamatan=33.03.04&page=3"), staff)
    assert params == {"year": ["2019"], "kecamatan": ["33.03.04"]}
    assert kind.filename(params) == "rekap-kim-2019-kecamatan-330304"
    assert kind.describe(params, staff) == "Tahun 2019, Kecamatan Kaligondang"
    assert kind.describe({"year": ["2019"]}, staff) == "Tahun 2019, Seluruh kabupaten"


@pytest.mark.parametrize("query", ["year=1999", "year=tahun", "kecamatan=99.99.99", "year=2019&kecamatan=x"])
def test_a_year_or_kecamatan_the_dashboard_does_not_offer_is_refused_in_indonesian(since_2019, staff, query):
    with pytest.raises(registry.InvalidParams, match="Masukkan pilihan yang valid"):
        registry.kind("recap").read_params(QueryDict(query), staff)


def test_no_year_asked_means_this_year(since_2019, staff):
    from kim.lib.dates import current_year

    assert registry.kind("recap").read_params(QueryDict(""), staff) == {"year": [str(current_year())]}


@pytest.mark.parametrize(("file_format", "check"), [("xlsx", "workbook"), ("pdf", "pdf")])
def test_a_leader_starts_the_recap_and_downloads_it_once_built(
    client, demo, exports_folder, file_format, check
):
    leader = UserFactory(username="kadin", role=Role.LEADER)
    client.force_login(leader)
    start = reverse("downloads:start", args=["recap", file_format]) + "?year=2019&kecamatan=33.03.04"
    response = client.post(start)
    job = ExportJob.objects.get(owner=leader, kind="recap")
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.params == {"year": ["2019"], "kecamatan": ["33.03.04"]}
    run(job.pk)
    job.refresh_from_db()
    assert job.is_done, job.error if hasattr(job, "error") else job.state
    download = client.get(reverse("downloads:file", args=[job.pk]))
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    if check == "workbook":
        book = load_workbook(io.BytesIO(content))
        assert book["Ringkasan"]["A1"].value == "Rekapitulasi Program KIM Tahun 2019"
    else:
        assert "Kecamatan Kaligondang" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # A second click with the same choice while it is kept is another job only once the first is done.
    assert ExportJob.objects.filter(kind="recap").count() == 1


def test_a_village_head_cannot_start_the_recap(client, demo, exports_folder):
    client.force_login(User.objects.get(username="kades.selakambang"))
    response = client.post(reverse("downloads:start", args=["recap", "xlsx"]) + "?year=2019")
    assert response.status_code in (403, 404)
    assert not ExportJob.objects.exists()


def test_the_dashboards_recap_buttons_start_the_recap_of_its_choice(rf, staff):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = staff
    html = render_to_string(
        "kim/recap/_partials/recap_buttons.html", {"year": 2019, "district": "33.03.04"}, request
    )
    for file_format in ("xlsx", "pdf"):
        action = reverse("downloads:start", args=["recap", file_format]) + "?year=2019&amp;kecamatan=33.03.04"
        assert f'action="{action}"' in html
    assert "Rekap (Excel)" in html and "Rekap (PDF)" in html


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_the_dashboard_offers_the_recap_of_the_year_and_kecamatan_it_shows(
    client, request, since_2019, persona
):
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("dashboard:index"), {"year": 2019, "kecamatan": "33.03.04"}).content.decode()
    for file_format in ("xlsx", "pdf"):
        action = reverse("downloads:start", args=["recap", file_format]) + "?year=2019&amp;kecamatan=33.03.04"
        assert f'action="{action}"' in html

"""The yearly recap as an export kind of kim.downloads: a workbook or a PDF, built in the background for
staff, staff administrators and leaders. Its params are the dashboard's choice: `year` and `kecamatan`."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.dashboard.forms import DashboardForm
from kim.dashboard.selectors import home_districts, recorded_years
from kim.downloads import registry
from kim.downloads.params import from_form
from kim.recap.services import recap_write

KIND = "recap"


def _form(query: QueryDict) -> DashboardForm:
    return DashboardForm(query, years=recorded_years(), districts=home_districts())


def read_params(query: QueryDict, user) -> dict:
    """The year (this year when none is asked for) and the kecamatan (none: the regency), as the dashboard
    reads them; a year before the first recorded or an unknown kecamatan is refused."""
    form = _form(query)
    from_form(form, query)
    year, district = form.choice
    return {"year": [str(year)], **({"kecamatan": [district]} if district else {})}


def _choice(params: dict) -> tuple[int, str]:
    return int(params["year"][0]), (params.get("kecamatan") or [""])[0]


def filename(params: dict) -> str:
    year, district = _choice(params)
    return f"rekap-kim-{year}" + (f"-kecamatan-{district.replace('.', '')}" if district else "")


def describe(params: dict, user) -> str:
    year, district = _choice(params)
    names = dict(home_districts())
    where = (
        _("Kecamatan %(name)s") % {"name": names.get(district, district)}
        if district
        else _("The whole regency")
    )
    return _("Year %(year)s, %(where)s") % {"year": year, "where": where}


def build(job, output, progress) -> None:
    year, district = _choice(job.params)
    recap_write(output, year=year, district=district, file_format=job.file_format, progress=progress)


registry.register(
    registry.ExportKind(
        name=KIND,
        label=gettext_lazy("Yearly KIM programme recap"),
        may_export=lambda user: user.reads_programme,
        read_params=read_params,
        filename=filename,
        describe=describe,
        formats=("xlsx", "pdf"),
        build=build,
        list_url="dashboard:index",
    )
)

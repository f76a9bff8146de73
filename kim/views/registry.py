"""The KIM register as a list: staff and agency officers read every KIM, a village head their village's."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kim.access import REGISTRY_READERS, role_required
from kim.exports import csv_response, xlsx_response
from kim.pagination import ListPaginator
from kim.selectors.registry import kim_filter, kim_flags, kim_page_rows

PAGE_SIZE = 25


@require_GET
@role_required(*REGISTRY_READERS)
def kim_list(request):
    registry = kim_filter(request.user, request.GET)
    page = ListPaginator(registry.ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = kim_page_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kim/kim_list.html",
        {"filter": registry, "page": page, "query": query.urlencode()},
    )


def _export_rows(rows):
    today = timezone.localdate()
    for kim in rows.iterator(chunk_size=2000):
        yield [
            kim.name,
            kim.village_name,
            kim.district_name,
            kim.get_status_display(),
            kim.get_origin_display(),
            kim.level_name or "",
            kim.founded_on or "",
            kim.kimid_number,
            kim.ketua_name or "",
            kim.ketua_phone or "",
            kim.member_count,
            kim.last_visit_on or "",
            "; ".join(kim_flags(kim, today)),
        ]


@require_GET
@role_required(*REGISTRY_READERS)
def kim_export(request, file_format: str):
    registry = kim_filter(request.user, request.GET)
    header = [
        _("Name"),
        _("Village"),
        _("Kecamatan"),
        _("Status"),
        _("Origin"),
        _("Development level"),
        _("Founding date"),
        _("KIM.id number"),
        _("Ketua"),
        _("Ketua's phone"),
        _("Current members"),
        _("Last visit"),
        _("Flags"),
    ]
    filename = f"kim-{timezone.localdate():%Y-%m-%d}"
    rows = _export_rows(registry.rows)
    if file_format == "xlsx":
        return xlsx_response(filename, _("KIMs"), header, rows)
    return csv_response(filename, header, rows)

from django.contrib import messages
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import reader_required, staff_required
from kim.lib.dates import current_year, in_year_range
from villages import selectors, services
from villages.forms import (
    BulkAction,
    BulkStatusForm,
    CommunityGroupForm,
    RedZoneUploadForm,
    VillageContactsForm,
    VillageYearForm,
)
from villages.models import VillageYear

UPLOAD_SALT = "villages.red-zone-upload"
UPLOAD_MAX_AGE = 3600


@require_GET
@reader_required
def village_list(request):
    village_filter = selectors.village_filter(request.user, request.GET)
    page = selectors.village_page(village_filter, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "villages/village_list.html",
        {
            "filter": village_filter,
            "page": page,
            "year": village_filter.year_value,
            "query": query.urlencode(),
        },
    )


@require_GET
@reader_required
def village_map(request):
    """The villages coloured by their status of a year; with ?mode=coverage, each kecamatan coloured by its
    share of red-zone villages with an active KIM (the dashboard's zona merah coverage)."""
    village_filter = selectors.village_filter(request.user, request.GET)
    coverage = request.GET.get("mode") == "coverage"
    context = {"filter": village_filter, "year": village_filter.year_value, "coverage": coverage}
    return render(request, "villages/village_map.html", context)


@require_GET
@reader_required
def village_map_data(request):
    data = selectors.map_statuses(request.user, request.GET)
    data["legend"] = {
        "red_zone": _("Zona merah"),
        "binaan": _("Desa binaan"),
        "has_kim": _("Has a KIM"),
        "other": _("Other"),
        "no_match": _("Not in the filter"),
    }
    data["coverage_legend"] = {
        "covered": _("Zona merah, with an active KIM"),
        "uncovered": _("Zona merah, without an active KIM"),
        "share_none": _("Kecamatan: no zona merah"),
        "share_0": _("Kecamatan: none covered"),
        "share_low": _("Kecamatan: under half covered"),
        "share_high": _("Kecamatan: half or more covered"),
        "share_all": _("Kecamatan: all covered"),
    }
    return JsonResponse(data)


@require_GET
@reader_required
def village_detail(request, code):
    village = selectors.get_village_for_user(request.user, code)
    context = selectors.village_detail(village)
    context.update(village=village, can_edit=selectors.can_edit_village(request.user, village))
    return render(request, "villages/village_detail.html", context)


@require_http_methods(["GET", "POST"])
@reader_required
def village_contacts_edit(request, code):
    village = selectors.get_editable_village(request.user, code)
    form = VillageContactsForm(
        request.POST or None, initial=VillageContactsForm.initial_for(village), village=village
    )
    if request.method == "POST" and form.is_valid():
        services.village_update_contacts(village=village, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The village contacts were saved."))
        return redirect("villages:detail", code=village.pk)
    return render(request, "villages/village_contacts_form.html", {"village": village, "form": form})


@require_http_methods(["GET", "POST"])
@reader_required
def group_create(request, code):
    village = selectors.get_editable_village(request.user, code)
    form = CommunityGroupForm(request.POST or None, village=village)
    if request.method == "POST" and form.is_valid():
        services.community_group_save(group=form.instance, actor=request.user)
        messages.success(request, _("The community group was added."))
        return redirect("villages:detail", code=village.pk)
    return render(request, "villages/group_form.html", {"village": village, "form": form})


@require_http_methods(["GET", "POST"])
@reader_required
def group_edit(request, code, group_id):
    village = selectors.get_editable_village(request.user, code)
    group = selectors.get_group_for_user(request.user, village, group_id)
    before = services.community_group_snapshot(group)
    form = CommunityGroupForm(request.POST or None, instance=group, village=village)
    if request.method == "POST" and form.is_valid():
        services.community_group_save(group=form.instance, actor=request.user, before=before)
        messages.success(request, _("The community group was saved."))
        return redirect("villages:detail", code=village.pk)
    return render(request, "villages/group_form.html", {"village": village, "form": form, "group": group})


@require_POST
@reader_required
def group_delete(request, code, group_id):
    village = selectors.get_editable_village(request.user, code)
    group = selectors.get_group_for_user(request.user, village, group_id)
    services.community_group_delete(group=group, actor=request.user)
    messages.success(request, _("The community group was removed."))
    return redirect("villages:detail", code=village.pk)


@require_http_methods(["GET", "POST"])
@staff_required
def village_year_edit(request, code, year):
    village = selectors.get_village_for_user(request.user, code)
    if not in_year_range(year):
        return redirect("villages:detail", code=village.pk)
    row = VillageYear.objects.filter(village=village, year=year).first()
    initial = (
        {
            "is_red_zone": row.is_red_zone,
            "red_zone_decree": row.red_zone_decree,
            "mentor_agency": row.mentor_agency_id,
        }
        if row
        else {}
    )
    form = VillageYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.village_year_set(village=village, year=year, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The status for %(year)s was saved.") % {"year": year})
        return redirect("villages:detail", code=village.pk)
    return render(
        request, "villages/village_year_form.html", {"village": village, "year": year, "form": form}
    )


def _bulk_apply(form: BulkStatusForm, year: int, actor) -> services.StatusChange:
    data = form.cleaned_data
    villages, action = data["villages"], data["action"]
    if action == BulkAction.MARK_RED_ZONE:
        return services.red_zone_mark(
            year=year, villages=villages, decree=data["decree"].strip(), actor=actor
        )
    if action == BulkAction.UNMARK_RED_ZONE:
        return services.red_zone_unmark(year=year, villages=villages, actor=actor)
    agency = data["agency"] if action == BulkAction.ASSIGN_MENTOR else None
    return services.binaan_assign(year=year, villages=villages, agency=agency, actor=actor)


@require_http_methods(["GET", "POST"])
@staff_required
def status_bulk(request, year):
    if not in_year_range(year):
        return redirect("villages:status_bulk", year=current_year())
    form = BulkStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = _bulk_apply(form, year, request.user)
        messages.success(
            request,
            ngettext("%(count)d village changed.", "%(count)d villages changed.", len(result.changed))
            % {"count": len(result.changed)},
        )
        return redirect(f"{reverse('villages:status_bulk', args=[year])}?{request.GET.urlencode()}")
    village_filter = selectors.village_filter(request.user, {**request.GET.dict(), "year": year})
    rows = village_filter.rows.in_home_regency()
    selected = set(request.POST.getlist("villages"))
    return render(
        request,
        "villages/status_bulk.html",
        {"form": form, "filter": village_filter, "rows": rows, "year": year, "selected": selected},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def status_upload(request):
    form = RedZoneUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.red_zone_plan(
            year=data["year"], decree=data["decree"].strip(), codes=form.codes, replace=data["replace"]
        )
        token = signing.dumps(
            {"year": plan.year, "decree": plan.decree, "codes": form.codes, "replace": plan.replace},
            salt=UPLOAD_SALT,
            compress=True,
        )
        return render(request, "villages/status_upload_preview.html", {"plan": plan, "token": token})
    return render(request, "villages/status_upload.html", {"form": form})


@require_POST
@staff_required
def status_upload_confirm(request):
    try:
        data = signing.loads(request.POST.get("token", ""), salt=UPLOAD_SALT, max_age=UPLOAD_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was altered. Upload the file again."))
        return redirect("villages:status_upload")
    plan = services.red_zone_import(actor=request.user, **data)
    messages.success(
        request,
        _("Zona merah %(year)s saved: %(added)d added, %(removed)d removed, %(kept)d already listed.")
        % {"year": plan.year, "added": len(plan.add), "removed": len(plan.remove), "kept": len(plan.keep)},
    )
    return redirect(f"{reverse('villages:list')}?year={plan.year}&red_zone=yes")

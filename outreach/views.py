from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kim.access import staff_required
from outreach.forms import AgencyForm
from outreach.models import Agency


@require_GET
@staff_required
def agency_list(request):
    agencies = Agency.objects.order_by("-is_active", "short_name")
    return render(request, "outreach/agency_list.html", {"agencies": agencies})


@require_http_methods(["GET", "POST"])
@staff_required
def agency_form(request, agency_id=None):
    agency = get_object_or_404(Agency, pk=agency_id) if agency_id else None
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The agency was saved."))
        return redirect("outreach:agency_list")
    return render(request, "outreach/agency_form.html", {"form": form, "agency": agency})

from django.shortcuts import render
from django.views.decorators.http import require_GET

from kim.accounts.access import programme_reader_required
from kim.dashboard import links, selectors
from kim.dashboard.forms import DashboardForm


@require_GET
@programme_reader_required
def dashboard(request):
    """The programme for a year, in the regency or one kecamatan: every figure links to its rows."""
    kept = selectors.Kept()
    years, districts = kept.choices()
    form = DashboardForm(request.GET or None, years=years, districts=districts)
    year, district = form.choice
    figures = kept.programme_year(year, district, years=years, districts=districts)
    return render(
        request,
        "kim/dashboard/index.html",
        {
            "form": form,
            "figures": figures,
            "links": links.Links(figures),
            "charts": links.chart_data(figures),
        },
    )

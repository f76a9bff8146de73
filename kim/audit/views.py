from django.shortcuts import render
from django.views.decorators.http import require_GET

from kim.accounts.access import programme_reader_required
from kim.audit.selectors import change_filter, page_rows
from kim.lib.pagination import ListPaginator

PAGE_SIZE = 25


@require_GET
@programme_reader_required
def change_list(request):
    """Riwayat perubahan: who changed what, newest first, filtered by person, object, kind and date."""
    changes = change_filter(request.GET)
    page = ListPaginator(changes.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = page_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    one_object = bool(changes.form.is_valid() and changes.form.cleaned_data.get("object"))
    return render(
        request,
        "kim/change_list.html",
        {"filter": changes, "page": page, "query": query.urlencode(), "one_object": one_object},
    )

"""The topic list staff keep, and the directory of resource persons (narasumber)."""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kim.accounts.access import (
    manages_agency,
    planner_required,
    programme_reader_required,
    resource_person_reader_required,
    staff_required,
)
from kim.accounts.models import User
from kim.lib.pagination import ListPaginator
from outreach.directory.filters import ResourcePersonFilter
from outreach.directory.forms import AgencyForm, ResourcePersonForm, TopicForm
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.directory.selectors import get_resource_person_for_editing

PAGE_SIZE = 25
# Village heads find resource persons through the agencies that hold sessions in their village.


@require_GET
@programme_reader_required
def topic_list(request):
    topics = Topic.objects.order_by("-is_active", "name")
    return render(request, "outreach/topic_list.html", {"topics": topics})


@require_http_methods(["GET", "POST"])
@staff_required
def topic_form(request, topic_id=None):
    topic = get_object_or_404(Topic, pk=topic_id) if topic_id else None
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The topic was saved."))
        return redirect("outreach:topic_list")
    return render(request, "outreach/topic_form.html", {"form": form, "topic": topic})


def _page_rows(page_persons: QuerySet[ResourcePerson], user: User) -> list[Any]:
    """One page of the directory, each row marked with whether the user may edit it."""
    rows: list[Any] = list(page_persons)
    for row in rows:
        row.can_edit = manages_agency(user, row.agency_id)
    return rows


@require_GET
@resource_person_reader_required
def resource_person_list(request):
    directory = ResourcePersonFilter(request.GET or None, queryset=ResourcePerson.objects.all())
    # The agency by a join (to-one: the count is unchanged), the topics in one query for the whole page.
    persons = directory.qs.select_related("agency").prefetch_related("topics").order_by(*directory.ordering)
    page = ListPaginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = _page_rows(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/resource_person_list.html",
        {"filter": directory, "page": page, "query": query.urlencode()},
    )


@require_http_methods(["GET", "POST"])
@planner_required
def resource_person_form(request, person_id=None):
    person = get_resource_person_for_editing(request.user, person_id) if person_id else None
    form = ResourcePersonForm(request.POST or None, instance=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The resource person was saved."))
        return redirect("outreach:resource_person_list")
    return render(request, "outreach/resource_person_form.html", {"form": form, "person": person})


@require_GET
@programme_reader_required
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

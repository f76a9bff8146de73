from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import reader_required, staff_required
from kim.accounts.models import User
from kim.lib.uploads import photo_response
from kim.mentoring import services
from kim.mentoring.forms import VisitForm
from kim.mentoring.models import Visit, VisitPhoto
from kim.register.models import Kim
from kim.register.selectors import can_edit_kim, get_editable_kim, get_kim_for_user


def kim_timeline(kim: Kim) -> QuerySet[Visit]:
    """The KIM's visits, newest first, with their officers and photos in two more queries."""
    return Visit.objects.filter(kim=kim).prefetch_related(
        Prefetch("officers", queryset=User.objects.order_by("first_name", "last_name", "username")),
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("pk")),
    )


def _get_visit(user, visit_id: int, *, editable: bool) -> Visit:
    """A visit of a KIM the user may see (404 otherwise); its KIM comes through the KIM access helpers."""
    visit = get_object_or_404(Visit.objects.filter(kim__in=Kim.objects.for_user(user)), pk=visit_id)
    visit.kim = (get_editable_kim if editable else get_kim_for_user)(user, visit.kim_id)
    return visit


@require_GET
@reader_required
def kim_visits(request, kim_id):
    kim = get_kim_for_user(request.user, kim_id)
    return render(
        request,
        "kim/visit_list.html",
        {"kim": kim, "visits": kim_timeline(kim), "can_record": can_edit_kim(request.user, kim)},
    )


@require_http_methods(["GET", "POST"])
@staff_required
def visit_create(request, kim_id):
    kim = get_editable_kim(request.user, kim_id)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.visit_record(kim=kim, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The visit was recorded."))
        return redirect("mentoring:kim_visits", kim_id=kim.pk)
    return render(request, "kim/visit_form.html", {"kim": kim, "form": form})


@require_http_methods(["GET", "POST"])
@staff_required
def visit_edit(request, visit_id):
    visit = _get_visit(request.user, visit_id, editable=True)
    form = VisitForm(request.POST or None, request.FILES or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        services.visit_update(visit=visit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The visit was saved."))
        return redirect("mentoring:kim_visits", kim_id=visit.kim_id)
    return render(request, "kim/visit_form.html", {"kim": visit.kim, "form": form, "visit": visit})


@require_POST
@staff_required
def visit_delete(request, visit_id):
    visit = _get_visit(request.user, visit_id, editable=True)
    services.visit_delete(visit=visit, actor=request.user)
    messages.success(request, _("The visit was removed."))
    return redirect("mentoring:kim_visits", kim_id=visit.kim_id)


@require_GET
@reader_required
def visit_photo(request, photo_id):
    """Hand out a visit photo to whoever may see its KIM."""
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__kim__in=Kim.objects.for_user(request.user)).select_related("visit"),
        pk=photo_id,
    )
    get_kim_for_user(request.user, photo.visit.kim_id)  # the KIM helper's rules too (none still being formed)
    return photo_response(photo, filename=f"kunjungan-{photo.visit_id}-{photo.pk}")

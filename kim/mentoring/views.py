from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import reader_required, staff_required
from kim.documents.selectors import panel
from kim.lib.uploads import photo_response
from kim.mentoring import services
from kim.mentoring.forms import VisitForm
from kim.mentoring.models import VisitPhoto
from kim.mentoring.selectors import get_visit_for_user, kim_timeline, visit_officers
from kim.register.models import Kim
from kim.register.selectors import can_edit_kim, get_editable_kim, get_kim_for_user


@require_GET
@reader_required
def kim_visits(request, kim_id):
    kim = get_kim_for_user(request.user, kim_id)
    return render(
        request,
        "kim/visit_list.html",
        {"kim": kim, "visits": kim_timeline(kim), "can_record": can_edit_kim(request.user, kim)},
    )


@require_GET
@reader_required
def visit_detail(request, visit_id):
    """One visit, with its documents (the officers' assignment letter)."""
    visit = get_visit_for_user(request.user, visit_id, editable=False)
    return render(
        request,
        "kim/visit_detail.html",
        {
            "visit": visit,
            "kim": visit.kim,
            "officers": visit_officers(visit),
            "photos": visit.photos.order_by("pk"),
            "can_edit": can_edit_kim(request.user, visit.kim),
            "documents": panel(request.user, "visit", visit),
        },
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
    visit = get_visit_for_user(request.user, visit_id, editable=True)
    form = VisitForm(request.POST or None, request.FILES or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        services.visit_update(visit=visit, actor=request.user, **form.cleaned_data)
        messages.success(request, _("The visit was saved."))
        return redirect("mentoring:kim_visits", kim_id=visit.kim_id)
    return render(request, "kim/visit_form.html", {"kim": visit.kim, "form": form, "visit": visit})


@require_POST
@staff_required
def visit_delete(request, visit_id):
    visit = get_visit_for_user(request.user, visit_id, editable=True)
    services.visit_delete(visit=visit, actor=request.user)
    messages.success(request, _("The visit was removed."))
    return redirect("mentoring:kim_visits", kim_id=visit.kim_id)


@require_GET
@reader_required
def visit_photo(request, photo_id, thumbnail=False):
    """Hand out a visit photo (or its thumbnail) to whoever may see its KIM."""
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__kim__in=Kim.objects.for_user(request.user)).select_related("visit"),
        pk=photo_id,
    )
    get_kim_for_user(request.user, photo.visit.kim_id)  # the KIM helper's rules too (none still being formed)
    return photo_response(photo, filename=f"kunjungan-{photo.visit_id}-{photo.pk}", thumbnail=thumbnail)

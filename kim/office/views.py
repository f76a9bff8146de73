"""The letterhead and the signatories: staff administrators keep them; documents print them."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kim.accounts.access import reader_required, staff_admin_required
from kim.lib.uploads import PHOTO_CONTENT_TYPES, detected_type
from kim.office import selectors, services
from kim.office.forms import OfficeForm, SignatoryForm
from kim.office.models import Signatory


@require_GET
@staff_admin_required
def office_detail(request):
    office = selectors.get_office()
    return render(
        request,
        "kim/office/office_detail.html",
        {
            "office": office,
            "signatures": selectors.signature_block(timezone.localdate(), office),
            "roles": Signatory.Role,
            "number_example": selectors.number_example(office),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_admin_required
def office_edit(request):
    form = OfficeForm(request.POST or None, request.FILES or None, instance=selectors.get_office())
    if request.method == "POST" and form.is_valid():
        services.office_save(form=form)
        messages.success(request, _("The letterhead was saved."))
        return redirect("office:detail")
    return render(request, "kim/office/office_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_admin_required
def signatory_edit(request, role):
    if role not in Signatory.Role.values:
        raise Http404
    signatory = selectors.get_signatory(role)
    form = SignatoryForm(request.POST or None, instance=signatory)
    if request.method == "POST" and form.is_valid():
        services.signatory_save(form=form, role=role)
        messages.success(request, _("The signatory was saved."))
        return redirect("office:detail")
    return render(
        request,
        "kim/office/signatory_form.html",
        {"form": form, "role_label": Signatory.Role(role).label},
    )


@require_GET
@reader_required
def office_logo(request):
    """The letterhead's logo, for the documents shown on screen to anyone who may open them."""
    office = selectors.get_office()
    if not office.logo:
        raise Http404
    try:
        handle = office.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    kind = detected_type(handle) or ""
    if kind not in PHOTO_CONTENT_TYPES:
        handle.close()
        raise Http404
    return FileResponse(handle, content_type=PHOTO_CONTENT_TYPES[kind], filename=f"logo.{kind}")

"""The KIM register as a list: staff and agency officers read every KIM, a village head their village's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import (
    programme_reader_required,
    reader_required,
    staff_required,
    village_keeper_required,
)
from kim.lib.pagination import ListPaginator
from kim.lib.uploads import document_response
from kim.register import selectors, services
from kim.register.forms import DevelopmentLevelForm, KimForm, MemberForm, MemberLeaveForm
from kim.register.models import DevelopmentLevel
from kim.register.selectors import kim_filter, kim_page_rows


@require_GET
@reader_required
def kim_detail(request, kim_id):
    kim = selectors.get_kim_for_user(request.user, kim_id)
    context = selectors.kim_detail(kim)
    context.update(
        can_edit=selectors.can_edit_kim(request.user, kim),
        can_edit_members=selectors.can_edit_members(request.user, kim),
        # Personal data (NIK) only for staff, leaders and the village's own head.
        can_see_personal=selectors.can_see_personal(request.user, kim),
    )
    return render(request, "kim/kim_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def kim_edit(request, kim_id):
    kim = selectors.get_editable_kim(request.user, kim_id)
    form = KimForm(request.POST or None, request.FILES or None, instance=kim)
    if request.method == "POST" and form.is_valid():
        services.kim_update(form=form)
        messages.success(request, _("The KIM was saved."))
        return redirect("register:detail", kim_id=kim.pk)
    return render(request, "kim/kim_form.html", {"kim": kim, "form": form})


@require_GET
@reader_required
def kim_decree(request, kim_id):
    """The scanned SK: for staff, leaders and the village's own head."""
    kim = selectors.get_kim_for_user(request.user, kim_id)
    if not selectors.can_see_personal(request.user, kim):
        raise PermissionDenied
    if not kim.sk_file:
        raise Http404
    return document_response(kim.sk_file, filename=f"SK-{kim.name}")


@require_http_methods(["GET", "POST"])
@village_keeper_required
def member_form(request, kim_id, member_id=None):
    kim = selectors.get_kim_for_user(request.user, kim_id)
    if not selectors.can_edit_members(request.user, kim):
        raise PermissionDenied
    member = selectors.get_member_for_user(request.user, kim, member_id) if member_id else None
    form = MemberForm(request.POST or None, instance=member, kim=kim)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member was saved."))
            return redirect("register:detail", kim_id=kim.pk)
    return render(
        request,
        "kim/member_form.html",
        {"kim": kim, "member": member, "form": form, "leave_form": MemberLeaveForm()},
    )


@require_POST
@village_keeper_required
def member_leave(request, kim_id, member_id):
    kim = selectors.get_kim_for_user(request.user, kim_id)
    member = selectors.get_member_for_user(request.user, kim, member_id)
    form = MemberLeaveForm(request.POST)
    if form.is_valid() and member.is_current:
        services.member_leave(member=member, left_on=form.cleaned_data["left_on"])
        messages.success(
            request, _("%(name)s's term has ended; they stay in the officer history.") % {"name": member.name}
        )
        return redirect("register:detail", kim_id=kim.pk)
    context = {"kim": kim, "member": member, "form": MemberForm(instance=member, kim=kim), "leave_form": form}
    return render(request, "kim/member_form.html", context)


@require_GET
@programme_reader_required
def level_list(request):
    return render(request, "kim/level_list.html", {"levels": DevelopmentLevel.objects.all()})


@require_http_methods(["GET", "POST"])
@staff_required
def level_form(request, level_id=None):
    level = get_object_or_404(DevelopmentLevel, pk=level_id) if level_id else None
    form = DevelopmentLevelForm(request.POST or None, instance=level)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The development level was saved."))
        return redirect("register:level_list")
    return render(request, "kim/level_form.html", {"form": form, "level": level})


PAGE_SIZE = 25


@require_GET
@reader_required
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

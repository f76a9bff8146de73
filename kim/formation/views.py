from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import (
    formation_reader_required,
    programme_reader_required,
    staff_required,
    village_head_required,
)
from kim.documents.selectors import panel as documents_panel
from kim.formation import selectors, services
from kim.formation.filters import FormationFilter
from kim.formation.forms import (
    BriefingForm,
    BriefingPlanForm,
    CancelForm,
    CoordinationForm,
    DecreeForm,
    ExistingKimForm,
    MeetingForm,
    OfficerFormSet,
    PaperConfirmationForm,
    PathForm,
    ReturnForm,
    TargetForm,
)
from kim.formation.models import Formation, Step
from kim.lib.dates import current_year, in_year_range
from kim.lib.pagination import ListPaginator
from kim.lib.uploads import document_response


@require_http_methods(["GET", "POST"])
@programme_reader_required
def target_list(request, year):
    """The year's targets and the suggested villages: leaders read them, staff set them."""
    if request.method == "POST" and not request.user.is_dinkominfo:
        raise PermissionDenied
    if not in_year_range(year):
        return redirect("formation:target_list", year=current_year())
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reasons = {c.village.pk: c.reason for c in services.target_candidates(year=year)}
        created = services.target_set(
            year=year, villages=list(form.cleaned_data["villages"]), actor=request.user, reasons=reasons
        )
        messages.success(
            request, _("%(count)d villages targeted for %(year)s.") % {"count": len(created), "year": year}
        )
        return redirect("formation:target_list", year=year)
    return render(
        request, "kim/target_list.html", {"form": form, "year": year, **selectors.targets_page(year)}
    )


def _filtered_formations(request):
    filters = FormationFilter(
        request.GET or None, queryset=selectors.formations_for(request.user), user=request.user
    )
    return filters.form, filters.qs


@require_GET
@formation_reader_required
def formation_list(request):
    form, formations = _filtered_formations(request)
    page = ListPaginator(formations, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "kim/formation_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_GET
@formation_reader_required
def formation_detail(request, formation_id):
    formation = selectors.get_formation_for_user(request.user, formation_id)
    context = selectors.formation_detail(formation)
    context["return_form"] = ReturnForm()
    context["cancel_form"] = CancelForm()
    context["documents"] = documents_panel(request.user, "formation", formation)
    return render(request, "kim/formation_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def formation_plan_briefing(request, formation_id):
    """When and where the briefing is to be held, as its invitation prints it."""
    formation = selectors.get_formation_for_user(request.user, formation_id)
    if not (formation.is_open and formation.has_reached(Step.MEETING)):
        messages.info(request, _("The briefing is planned once the village meeting is recorded."))
        return redirect("formation:detail", formation_id=formation.pk)
    form = BriefingPlanForm(
        request.POST or None, initial=BriefingPlanForm.initial_for(formation), meeting_on=formation.meeting_on
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.formation_plan_briefing(
                formation=formation,
                actor=request.user,
                planned_at=form.cleaned_data["planned_at"],
                place=form.cleaned_data["place"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The briefing plan is saved."))
            return redirect("formation:detail", formation_id=formation.pk)
    return render(request, "kim/formation_briefing_plan.html", {"formation": formation, "form": form})


MEETING_FIELDS = (
    "meeting_on",
    "meeting_place",
    "meeting_chair",
    "meeting_note_taker",
    "meeting_attendance_men",
    "meeting_attendance_women",
)


def _step_form(step: Step, formation: Formation, data=None, files=None):
    """The form that records `step`, filled with what was recorded before (for a correction)."""
    kim = formation.kim
    if step == Step.COORDINATION:
        return CoordinationForm(
            data, initial={"coordinated_on": formation.coordinated_on, "notes": formation.coordination_notes}
        )
    if step == Step.PATH:
        chosen = (
            {"origin": kim.origin, "community_group": kim.community_group_id, "name": kim.name} if kim else {}
        )
        return PathForm(data, initial=chosen, village=formation.target.village)
    if step == Step.MEETING:
        return MeetingForm(
            data,
            initial={
                **{name: getattr(formation, name) for name in MEETING_FIELDS},
                "notes": formation.meeting_notes,
            },
        )
    if step == Step.CONFIRMATION:
        return PaperConfirmationForm(data, files)
    if step == Step.DECREE:
        decree: dict[str, object] = (
            {"sk_issuer": kim.sk_issuer, "sk_number": kim.sk_number, "sk_date": kim.sk_date} if kim else {}
        )
        return DecreeForm(data, files, initial=decree, has_file=bool(kim and kim.sk_file))
    if step == Step.BRIEFING:
        return BriefingForm(
            data, initial={"briefed_on": formation.briefed_on, "notes": formation.briefing_notes}
        )
    raise Http404


def _officers_formset(formation: Formation, data=None):
    initial = None
    if formation.kim and data is None:
        initial = [
            {"name": m.name, "position": m.position, "phone": m.phone, "gender": m.gender}
            for m in formation.kim.members.current()
        ]
    return OfficerFormSet(data, initial=initial, prefix="officers")


def _record_step(step: Step, formation: Formation, form, officers, actor) -> None:
    data = form.cleaned_data
    if step == Step.COORDINATION:
        services.formation_record_coordination(
            formation=formation, actor=actor, coordinated_on=data["coordinated_on"], notes=data["notes"]
        )
    elif step == Step.PATH:
        services.formation_choose_path(
            formation=formation,
            actor=actor,
            origin=data["origin"],
            community_group=data["community_group"],
            name=data["name"],
        )
    elif step == Step.MEETING:
        services.formation_record_meeting(
            formation=formation,
            actor=actor,
            meeting_on=data["meeting_on"],
            notes=data["notes"],
            officers=officers.officers(),
            minutes=services.MeetingMinutes(
                place=data["meeting_place"],
                chair=data["meeting_chair"],
                note_taker=data["meeting_note_taker"],
                men=data["meeting_attendance_men"],
                women=data["meeting_attendance_women"],
            ),
        )
    elif step == Step.CONFIRMATION:
        services.formation_record_paper_confirmation(formation=formation, actor=actor, letter=data["letter"])
    elif step == Step.DECREE:
        services.formation_record_decree(formation=formation, actor=actor, **data)
    elif step == Step.BRIEFING:
        services.formation_record_briefing(
            formation=formation, actor=actor, briefed_on=data["briefed_on"], notes=data["notes"]
        )


@require_http_methods(["GET", "POST"])
@staff_required
def formation_step(request, formation_id, step):
    formation = selectors.get_formation_for_user(request.user, formation_id)
    try:
        step = Step(step)
    except ValueError as error:
        raise Http404 from error
    if step == Step.ACTIVE:
        raise Http404
    is_post = request.method == "POST"
    form = _step_form(step, formation, request.POST if is_post else None, request.FILES if is_post else None)
    officers = (
        _officers_formset(formation, request.POST if is_post else None) if step == Step.MEETING else None
    )
    if is_post and form.is_valid() and (officers is None or officers.is_valid()):
        try:
            _record_step(step, formation, form, officers, request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved: %(step)s.") % {"step": step.label})
            return redirect("formation:detail", formation_id=formation.pk)
    context = {"formation": formation, "step": step, "form": form, "officers": officers}
    return render(request, "kim/formation_step.html", context)


@require_POST
@village_head_required
def formation_answer(request, formation_id):
    """The village head confirms the group, or returns it with a reason."""
    formation = selectors.get_formation_for_user(request.user, formation_id)
    if request.POST.get("answer") == "confirm":
        if services.formation_confirm(formation=formation, head=request.user):
            messages.success(request, _("Thank you: the group is confirmed."))
        else:
            messages.info(request, _("Nothing changed: this group is not waiting for your confirmation."))
        return redirect("formation:detail", formation_id=formation.pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        context = {**selectors.formation_detail(formation), "return_form": form, "cancel_form": CancelForm()}
        return render(request, "kim/formation_detail.html", context, status=200)
    if services.formation_return(formation=formation, head=request.user, reason=form.cleaned_data["reason"]):
        messages.success(request, _("The group was returned to the Dinkominfo staff with your reason."))
    else:
        messages.info(request, _("Nothing changed: this group is not waiting for your confirmation."))
    return redirect("formation:detail", formation_id=formation.pk)


@require_POST
@staff_required
def formation_activate(request, formation_id):
    formation = selectors.get_formation_for_user(request.user, formation_id)
    try:
        services.formation_activate(formation=formation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(kim)s is now an active KIM.") % {"kim": formation.kim})
    return redirect("formation:detail", formation_id=formation.pk)


@require_POST
@staff_required
def formation_cancel(request, formation_id):
    formation = selectors.get_formation_for_user(request.user, formation_id)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.formation_cancel(
                formation=formation, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The formation was cancelled."))
    else:
        messages.error(request, _("Give a reason for cancelling."))
    return redirect("formation:detail", formation_id=formation.pk)


@require_GET
@formation_reader_required
def formation_letter(request, formation_id):
    formation = selectors.get_formation_for_user(request.user, formation_id)
    if not formation.confirmation_letter:
        raise Http404
    return document_response(formation.confirmation_letter, filename=f"surat-konfirmasi-{formation.pk}")


@require_http_methods(["GET", "POST"])
@staff_required
def kim_record_existing(request):
    form = ExistingKimForm(request.POST or None, request.FILES or None)
    officers = OfficerFormSet(request.POST or None, prefix="officers")
    if request.method == "POST" and form.is_valid() and officers.is_valid():
        try:
            with transaction.atomic():
                kim = services.kim_record_existing(
                    kim=form.instance, officers=officers.officers(), actor=request.user
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(kim)s was added to the register.") % {"kim": kim})
            return redirect(reverse("register:detail", args=[kim.pk]))
    return render(request, "kim/kim_existing_form.html", {"form": form, "officers": officers})

"""Session pages: the list, a session with its history, and the forms that move it along.

Every view reaches a session through outreach.sessions.selectors: a session outside the user's scope is a 404, an
action the user may not take on a session they can see is a 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import is_planner, planner_required, reader_required
from kim.documents.selectors import panel
from kim.lib.pagination import ListPaginator
from outreach.sessions import services
from outreach.sessions.filters import SessionFilter
from outreach.sessions.forms import (
    CancelForm,
    ConfirmForm,
    DateRequestForm,
    RescheduleForm,
    SessionEditForm,
    SessionProposeForm,
)
from outreach.sessions.models import Session
from outreach.sessions.selectors import (
    can_confirm_session,
    can_manage_session,
    get_managed_session,
    get_session_for_user,
)

PAGE_SIZE = 25


@require_GET
@reader_required
def session_list(request):
    sessions = SessionFilter(
        request.GET or None, queryset=Session.objects.for_user(request.user), user=request.user
    )
    rows = sessions.qs.select_related("agency", "kim__village__district", "topic").order_by(
        *SessionFilter.ordering
    )
    page = ListPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": sessions,
        "page": page,
        "query": query.urlencode(),
        "can_propose": is_planner(request.user),
    }
    return render(request, "outreach/session_list.html", context)


def _render_detail(request, session: Session, status: int = 200, **forms) -> HttpResponse:
    """The session page, with the answer and cancel forms as given (bound, when one was refused)."""
    can_manage = can_manage_session(request.user, session)
    context = {
        "session": session,
        "resource_persons": list(session.resource_persons.select_related("agency")),
        "events": list(session.events.select_related("actor")),
        # Change, reschedule, cancel: while the session is still a plan.
        "can_replan": can_manage and session.is_planned,
        # Mark held, report, follow-ups done: the agency's work after the session.
        "can_report": can_manage,
        "can_confirm": can_confirm_session(request.user, session),
        "confirm_form": ConfirmForm(initial={"stamp": services.session_stamp(session)}),
        "date_request_form": forms.get("date_request_form") or DateRequestForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "documents": panel(request.user, "session", session),
    }
    return render(request, "outreach/session_detail.html", context, status=status)


def _form_page(request, form, *, heading: str, submit: str, session: Session | None = None) -> HttpResponse:
    context = {"form": form, "heading": heading, "submit_label": submit, "session": session}
    return render(request, "outreach/session_form.html", context)


@require_GET
@reader_required
def session_detail(request, session_id):
    return _render_detail(request, get_session_for_user(request.user, session_id))


@require_http_methods(["GET", "POST"])
@planner_required
def session_create(request):
    is_post = request.method == "POST"
    kim = request.GET.get("kim", "")
    initial = {"kim": kim} if kim.isascii() and kim.isdigit() else None
    form = SessionProposeForm(request.POST if is_post else None, initial=initial, user=request.user)
    if is_post and form.is_valid():
        try:
            session = services.session_propose(actor=request.user, **form.proposal())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The session was proposed; it now waits for the village's confirmation.")
            )
            return redirect("outreach:session_detail", session_id=session.pk)
    return _form_page(request, form, heading=_("Propose a session"), submit=_("Propose"))


@require_http_methods(["GET", "POST"])
@reader_required
def session_edit(request, session_id):
    session = get_managed_session(request.user, session_id)
    if not session.is_proposed:
        messages.info(
            request, _("Only a proposed session's details can change; reschedule or cancel it instead.")
        )
        return redirect("outreach:session_detail", session_id=session.pk)
    is_post = request.method == "POST"
    form = SessionEditForm(request.POST if is_post else None, session=session)
    if is_post and form.is_valid():
        try:
            changed = services.session_update(session=session, actor=request.user, **form.details())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, _("The session was changed."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("outreach:session_detail", session_id=session.pk)
    return _form_page(request, form, heading=_("Change the session"), submit=_("Save"), session=session)


@require_http_methods(["GET", "POST"])
@reader_required
def session_reschedule(request, session_id):
    session = get_managed_session(request.user, session_id)
    if not session.is_planned:
        messages.info(request, _("This session can no longer be rescheduled."))
        return redirect("outreach:session_detail", session_id=session.pk)
    is_post = request.method == "POST"
    form = RescheduleForm(request.POST if is_post else None, session=session)
    if is_post and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.session_reschedule(
                session=session,
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(
                    request, _("The session was rescheduled; the village must confirm it again.")
                )
            else:
                messages.info(request, _("Nothing changed: the times and the venue are the same."))
            return redirect("outreach:session_detail", session_id=session.pk)
    return _form_page(
        request, form, heading=_("Reschedule the session"), submit=_("Reschedule"), session=session
    )


def _confirmable_session(request, session_id) -> Session:
    session = get_session_for_user(request.user, session_id)
    if not can_confirm_session(request.user, session):
        raise PermissionDenied
    return session


@require_POST
@reader_required
def session_confirm(request, session_id):
    session = _confirmable_session(request, session_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing changed: reload the page and confirm again."))
        return redirect("outreach:session_detail", session_id=session.pk)
    try:
        confirmed = services.session_confirm(
            session=session, actor=request.user, stamp=form.cleaned_data["stamp"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if confirmed:
            messages.success(request, _("The session is confirmed."))
        else:
            messages.info(request, _("Nothing changed: this session is not waiting for confirmation."))
    return redirect("outreach:session_detail", session_id=session.pk)


@require_POST
@reader_required
def session_request_date(request, session_id):
    session = _confirmable_session(request, session_id)
    form = DateRequestForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, session, date_request_form=form)
    if services.session_request_date(session=session, actor=request.user, reason=form.cleaned_data["reason"]):
        messages.success(request, _("Your request for another date was sent to the agency."))
    else:
        messages.info(request, _("Nothing changed: this session is not waiting for confirmation."))
    return redirect("outreach:session_detail", session_id=session.pk)


@require_POST
@reader_required
def session_cancel(request, session_id):
    session = get_managed_session(request.user, session_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, session, cancel_form=form)
    try:
        cancelled = services.session_cancel(
            session=session, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if cancelled:
            messages.success(request, _("The session was cancelled."))
        else:
            messages.info(request, _("Nothing changed: the session was already cancelled."))
    return redirect("outreach:session_detail", session_id=session.pk)

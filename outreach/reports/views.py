"""After a session: mark it held, record its report, complete follow-ups, print the attendance sheet, see its
photos. Sessions are reached through outreach.sessions.selectors: out of scope is a 404, a reader acting is a 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kim.accounts.access import reader_required
from kim.lib.pagination import ListPaginator
from kim.lib.uploads import photo_response
from outreach.reports import services
from outreach.reports.filters import FollowUpFilter
from outreach.reports.forms import FollowUpDoneForm, FollowUpFormSet, ReportForm
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session
from outreach.sessions.selectors import get_managed_session, get_session_for_user


def _to_session(session):
    return redirect("outreach:session_detail", session_id=session.pk)


@require_POST
@reader_required
def session_held(request, session_id):
    session = get_managed_session(request.user, session_id)
    try:
        held = services.session_mark_held(session=session, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if held:
            messages.success(request, _("The session is marked as held; record its report now."))
        else:
            messages.info(request, _("Nothing changed: the session was already marked as held."))
    return _to_session(session)


@require_http_methods(["GET", "POST"])
@reader_required
def session_report(request, session_id):
    session = get_managed_session(request.user, session_id)
    if not session.has_taken_place:
        messages.info(request, _("Mark the session as held before recording its report."))
        return _to_session(session)
    is_post = request.method == "POST"
    data, files = (request.POST, request.FILES) if is_post else (None, None)
    form = ReportForm(data, files, session=session, initial=ReportForm.initial_for(session))
    follow_ups = FollowUpFormSet(data, session=session, prefix="follow_ups")
    if is_post and form.is_valid() and follow_ups.is_valid():
        kept, removed = follow_ups.rows()
        values = form.cleaned_data
        try:
            services.session_record_report(
                session=session,
                actor=request.user,
                attended_male=values["attended_male"],
                attended_female=values["attended_female"],
                minutes=values["minutes"],
                attendees=values["names"],
                follow_ups=kept,
                remove_follow_ups=removed,
                photos=values["photos"],
                remove_photos=values["remove_photos"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report was saved."))
            return _to_session(session)
    context = {"session": session, "form": form, "follow_ups": follow_ups}
    return render(request, "outreach/session_report_form.html", context)


@require_POST
@reader_required
def follow_up_done(request, session_id, follow_up_id):
    session = get_managed_session(request.user, session_id)
    follow_up = get_object_or_404(session.follow_ups.select_related("session"), pk=follow_up_id)
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("done_on", [])))
        return _to_session(session)
    done_on = form.cleaned_data["done_on"]
    if services.follow_up_complete(follow_up=follow_up, actor=request.user, done_on=done_on):
        messages.success(request, _("The follow-up action is marked as done."))
    else:
        messages.info(request, _("Nothing changed: the follow-up action was already done."))
    return _to_session(session)


@require_GET
@reader_required
def session_attendance_sheet(request, session_id):
    """The old address of the printed sheet: the sheet is now a document of the session (session.attendance)."""
    session = get_session_for_user(request.user, session_id)
    return redirect("documents:draft", "session.attendance", session.pk)


@require_GET
@reader_required
def session_photo(request, session_id, photo_id, thumbnail=False):
    """Hand out a session photo (or its thumbnail) to whoever may see the session."""
    session = get_session_for_user(request.user, session_id)
    photo = get_object_or_404(session.photos, pk=photo_id)
    return photo_response(photo, filename=f"sesi-{session.pk}-{photo.pk}", thumbnail=thumbnail)


@require_GET
@reader_required
def follow_up_list(request):
    """Follow-up actions agreed at the sessions the person may read, by due date, filtered by progress."""
    follow_ups = FollowUpFilter(
        request.GET or None,
        queryset=FollowUp.objects.filter(session__in=Session.objects.for_user(request.user).values("pk")),
        user=request.user,
    )
    rows = follow_ups.qs.select_related("session__agency", "session__kim__village__district")
    page = ListPaginator(rows.order_by(*FollowUpFilter.ordering), 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": follow_ups, "page": page, "query": query.urlencode()}
    return render(request, "outreach/follow_up_list.html", context)

"""The session list's download, as an export job (kim.downloads): each session with its place, agency and topic,
and its attendance and follow-ups once reported; filtered as the list was when the person asked, within
what the person may see when it is built. Times are in WIB."""

from django.db.models import Count, F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.downloads import params, registry
from outreach.sessions.filters import SessionFilter
from outreach.sessions.models import Session


def _filter(user, query) -> SessionFilter:
    return SessionFilter(query or None, queryset=Session.objects.for_user(user), user=user)


def _read(query, user) -> dict:
    return params.from_form(_filter(user, query).form, query)


def _describe(chosen: dict, user) -> str:
    return params.describe_form(_filter(user, registry.as_query(chosen)).form)


def _filename(chosen: dict) -> str:
    return "sesi-sosialisasi"


def _rows(user, chosen: dict) -> registry.Rows:
    sessions = _filter(user, registry.as_query(chosen)).qs
    header = [
        _("Starts (WIB)"),
        _("Ends (WIB)"),
        _("KIM"),
        _("Village"),
        _("Kecamatan"),
        _("Agency"),
        _("Topic"),
        _("Title"),
        _("State"),
        _("Men attending"),
        _("Women attending"),
        _("Total attending"),
        _("Follow-up actions"),
    ]
    rows_found = (
        sessions.select_related("agency", "kim__village__district", "topic")
        .annotate(
            men=F("report__attended_male"),
            women=F("report__attended_female"),
            follow_up_count=Count("follow_ups"),
        )
        .order_by(*SessionFilter.ordering)
    )
    rows = (
        [
            session.starts_at,
            session.ends_at,
            session.kim.name,
            session.kim.village.name,
            session.kim.village.district.name,
            session.agency.short_name,
            session.topic_name,
            session.title,
            session.get_state_display(),
            session.men,
            session.women,
            None if session.men is None else session.men + session.women,
            session.follow_up_count,
        ]
        for session in rows_found.iterator(chunk_size=2000)
    )
    return registry.Rows(header, rows, total=sessions.count(), sheet=_("Sessions"))


registry.register(
    registry.ExportKind(
        name="sessions",
        label=gettext_lazy("Dissemination sessions"),
        may_export=lambda user: user.has_role,
        read_params=_read,
        describe=_describe,
        filename=_filename,
        rows=_rows,
        list_url="outreach:session_list",
    )
)

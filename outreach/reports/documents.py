"""The three documents a session leaves (issue 12): the agency's invitation to the village, the attendance
sheet (daftar hadir) and the activity report (laporan kegiatan) the agency files for its accounts (SPJ).

Each is read from the session as its own page reads it (outreach.sessions.selectors.sessions_for_user): whoever
may open the session reads its documents; its agency's officers and staff issue them, a village head never.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kim.documents import registry
from kim.documents.signers import Signer
from kim.lib.regency import regency_name, regency_short_name
from outreach.directory.models import Agency
from outreach.reports.models import SessionReport
from outreach.sessions.models import Session
from outreach.sessions.selectors import can_manage_session, can_read_session, sessions_for_user
from villages.models import Village

# Rows left for handwriting on an attendance sheet when no names were typed in.
BLANK_ATTENDANCE_ROWS = 30
# Photos printed in an activity report (two to a row, three rows on a page); the rest stay in the app.
REPORT_PHOTOS = 6


def _long_date(day: dt.date) -> str:
    """10 Januari 2019, whatever language the person asking reads: a title is the document's, in Indonesian."""
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(day, "j F Y")


def _title(what: str, session: Session) -> str:
    """What the public check page shows: the session, its KIM and village and its day; no person's name."""
    village = session.kim.village
    with translation.override(settings.LANGUAGE_CODE):
        place = str(village)
    day = _long_date(timezone.localdate(session.starts_at))
    return f"{what} {session.title}, {session.kim.name}, {place}, {day}"


def _filename(what: str, session: Session) -> str:
    day = timezone.localdate(session.starts_at)
    return slugify(f"{what} {session.kim.village.name} {day:%Y-%m-%d}")


def _subject_url(session: Session) -> str:
    return reverse("outreach:session_detail", args=[session.pk])


# Who signs


def village_head_signer(village: Village, *, above: str = "Mengetahui,") -> Signer:
    """The Kepala Desa or the Lurah, by the village's kind; a Lurah is a civil servant and signs with a NIP."""
    return Signer(
        position=f"{village.head_title} {village.name}",
        name=village.head_name,
        nip=village.head_nip,
        above=above,
        has_nip=village.head_signs_with_nip,
    )


def agency_head_signer(agency: Agency, *, above: str = "") -> Signer:
    return Signer(
        position=agency.head_title,
        name=agency.head_name,
        nip=agency.head_nip,
        rank=agency.head_rank,
        above=above,
    )


def officer_signer(user, agency: Agency, *, above: str) -> Signer:
    """The officer who organised the session or recorded its report, with the position, rank and NIP their
    account keeps ("Petugas <agency>" and a dotted NIP line for the hand when it keeps none)."""
    if user is None:
        return Signer(position=f"Petugas {agency.name}", above=above)
    return Signer(
        position=user.position or f"Petugas {agency.name}",
        name=user.get_full_name() or user.username,
        nip=user.nip,
        rank=user.rank,
        above=above,
    )


# What a session still lacks, in the words the panel shows


def _agency_head_missing(agency: Agency) -> list[str]:
    if agency.has_head:
        return []
    return [f"nama dan NIP kepala {agency.name} belum diisi di halaman instansi"]


def invitation_missing(session: Session) -> list[str]:
    if session.is_cancelled:
        return ["sesi ini dibatalkan"]
    reasons = []
    if not session.is_planned:
        reasons.append("sesi ini sudah terlaksana: undangan dibuat selagi sesi diusulkan atau dikonfirmasi")
    if not session.agency.address:
        reasons.append(f"alamat {session.agency.name} untuk kop surat belum diisi di halaman instansi")
    return reasons + _agency_head_missing(session.agency)


def attendance_missing(session: Session) -> list[str]:
    return ["sesi ini dibatalkan"] if session.is_cancelled else []


def report_missing(session: Session) -> list[str]:
    if session.is_cancelled:
        return ["sesi ini dibatalkan"]
    reasons = [] if session.is_reported else ["laporan sesi belum dicatat"]
    return reasons + _agency_head_missing(session.agency)


# What the templates read


def _resource_persons(session: Session) -> list[str]:
    """ "dr. Ani Rahmawati (Puskesmas Kaligondang)": each with the sector or agency they speak for."""
    people = []
    for person in session.resource_persons.select_related("agency"):
        where = person.sector or (person.agency.name if person.agency else "")
        people.append(f"{person.name} ({where})" if where else person.name)
    return people


def _report(session: Session) -> SessionReport | None:
    return SessionReport.objects.filter(session=session).select_related("recorded_by").first()


def invitation_context(session: Session) -> dict:
    village = session.kim.village
    return {
        "session": session,
        "village": village,
        "letterhead": session.agency,
        "regency": regency_name(),
        "resource_persons": _resource_persons(session),
        "place_and_date": f"{regency_short_name()}, {_long_date(timezone.localdate())}",
        "signers": [agency_head_signer(session.agency)],
    }


def attendance_context(session: Session) -> dict:
    village = session.kim.village
    attendees = list(session.attendees.all())
    report = _report(session)
    organiser = report.recorded_by if report and report.recorded_by else session.proposed_by
    return {
        "session": session,
        "village": village,
        "attendees": attendees,
        "blank_rows": [] if attendees else range(1, BLANK_ATTENDANCE_ROWS + 1),
        "men": sum(1 for attendee in attendees if attendee.gender == "L"),
        "women": sum(1 for attendee in attendees if attendee.gender == "P"),
        "place_and_date": f"{village.name}, {_long_date(timezone.localdate(session.starts_at))}",
        "signers": [
            village_head_signer(village),
            officer_signer(organiser, session.agency, above="Penyelenggara,"),
        ],
    }


def report_context(session: Session) -> dict:
    report = _report(session)
    photos = list(session.photos.all())
    written_on = timezone.localdate(report.recorded_at) if report else timezone.localdate()
    return {
        "session": session,
        "village": session.kim.village,
        "report": report,
        "resource_persons": _resource_persons(session),
        "attendee_count": session.attendees.count(),
        "follow_ups": list(session.follow_ups.all()),
        "photos": photos[:REPORT_PHOTOS],
        "photos_kept": max(len(photos) - REPORT_PHOTOS, 0),
        "place_and_date": f"{regency_short_name()}, {_long_date(written_on)}",
        "signers": [
            agency_head_signer(session.agency, above="Mengetahui,"),
            officer_signer(report.recorded_by if report else None, session.agency, above="Pelapor,"),
        ],
    }


def _may_issue(user, session: Session) -> bool:
    """The session's agency's officers and staff (a village head, a leader never)."""
    return can_manage_session(user, session)


INVITATION = registry.register(
    registry.DocumentKind(
        name="session.invitation",
        subject_type="session",
        label=_("Invitation to the village"),
        classification="005",
        subjects=sessions_for_user,
        may_read=can_read_session,
        may_issue=_may_issue,
        missing=invitation_missing,
        title=lambda session: _title("Undangan", session),
        template="outreach/documents/invitation.html",
        context=invitation_context,
        filename=lambda session: _filename("undangan", session),
        subject_url=_subject_url,
    )
)

ATTENDANCE = registry.register(
    registry.DocumentKind(
        name="session.attendance",
        subject_type="session",
        label=_("Attendance sheet"),
        classification="400",
        subjects=sessions_for_user,
        may_read=can_read_session,
        may_issue=_may_issue,
        missing=attendance_missing,
        title=lambda session: _title("Daftar Hadir", session),
        template="outreach/documents/attendance.html",
        context=attendance_context,
        filename=lambda session: _filename("daftar hadir", session),
        subject_url=_subject_url,
    )
)

REPORT = registry.register(
    registry.DocumentKind(
        name="session.report",
        subject_type="session",
        label=_("Activity report"),
        classification="400",
        subjects=sessions_for_user,
        may_read=can_read_session,
        may_issue=_may_issue,
        missing=report_missing,
        title=lambda session: _title("Laporan Kegiatan", session),
        template="outreach/documents/report.html",
        context=report_context,
        filename=lambda session: _filename("laporan kegiatan", session),
        subject_url=_subject_url,
    )
)

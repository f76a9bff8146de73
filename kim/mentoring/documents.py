"""The documents a mentoring visit makes (kim.documents.registry): the assignment letter (surat tugas) that
sends its officers, signed by the head of the office."""

from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kim.documents import registry
from kim.documents.signers import from_signatory
from kim.lib.regency import regency_name
from kim.mentoring.models import Visit
from kim.mentoring.selectors import visit_officers, visits_for_user
from kim.office.models import Signatory
from kim.office.selectors import get_signatory

# Archive classification 094: official travel (perjalanan dinas), under which offices file their surat tugas.
ASSIGNMENT_CLASSIFICATION = "094"

# What the letter calls each kind of visit, written into "melaksanakan … KIM …" and the title.
ACTIVITY: dict[str, str] = {
    Visit.Kind.PENDAMPINGAN: "Pendampingan",
    Visit.Kind.PEMBINAAN: "Pembinaan",
    Visit.Kind.SOSIALISASI: "Sosialisasi",
    Visit.Kind.PEMBEKALAN: "Pembekalan",
    Visit.Kind.BIMTEK: "Bimbingan Teknis (Bimtek)",
}


def village_word(village) -> str:
    """A kelurahan is called so on paper; a desa and a desa adat are both a Desa."""
    return "Kelurahan" if village.is_kelurahan else "Desa"


def kim_name(kim) -> str:
    """ "KIM Selakambang", whether or not the group's name already starts with KIM."""
    return kim.name if kim.name.upper().startswith("KIM ") else f"KIM {kim.name}"


def _long_date(day) -> str:
    with translation.override("id"):
        return formats.date_format(day, "j F Y")


def assignment_missing(visit: Visit) -> list[str]:
    """An officer's NIP, rank or position left blank does not stop the letter: not every officer is a civil
    servant, and the table prints a dash. Without an officer there is nobody to assign, and the default
    signatory's "[Ganti]" name must never reach a letter."""
    missing = []
    if not visit.officers.exists():
        missing.append("petugas yang ditugaskan belum dipilih")
    if get_signatory(Signatory.Role.HEAD).is_placeholder:
        missing.append("nama dan NIP Kepala Dinas penanda tangan belum diisi di pengaturan kantor")
    return missing


def assignment_title(visit: Visit) -> str:
    """Public (the check page shows it): the KIM, the village and the day, no officer's name."""
    village = visit.kim.village
    return (
        f"Surat Tugas {ACTIVITY[visit.kind]} {kim_name(visit.kim)}, "
        f"{village_word(village)} {village.name}, {_long_date(visit.visited_on)}"
    )


def assignment_context(visit: Visit) -> dict:
    village = visit.kim.village
    return {
        "visit": visit,
        "officers": visit_officers(visit),
        "activity": ACTIVITY[visit.kind],
        "kim_name": kim_name(visit.kim),
        "village": village,
        "village_word": village_word(village),
        "district": village.district,
        "regency": regency_name(),
        "signers": [from_signatory(get_signatory(Signatory.Role.HEAD))],
    }


def assignment_filename(visit: Visit) -> str:
    return slugify(f"surat-tugas-{visit.kim.village.name}-{visit.visited_on:%Y-%m-%d}")


registry.register(
    registry.DocumentKind(
        name="visit.assignment",
        subject_type="visit",
        label=_("Assignment letter (surat tugas)"),
        classification=ASSIGNMENT_CLASSIFICATION,
        subjects=lambda user: visits_for_user(user).select_related("kim__village__district"),
        may_read=lambda user, visit: True,  # whoever reaches the visit through subjects() reads its page
        may_issue=lambda user, visit: user.is_dinkominfo,
        missing=assignment_missing,
        title=assignment_title,
        template="kim/mentoring/documents/assignment.html",
        context=assignment_context,
        filename=assignment_filename,
        subject_url=lambda visit: reverse("mentoring:visit_detail", args=[visit.pk]),
    )
)

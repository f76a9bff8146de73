"""The documents a KIM formation makes (issue 12): the berita acara of the village meeting, the draft decree
of the village head forming the KIM, and the office's invitation to the briefing. Registered with
kim.documents when the app is ready (DOCUMENT_FEATURES)."""

from dataclasses import dataclass, replace

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from kim.documents import registry
from kim.documents.signers import Signer, from_signatory
from kim.formation.models import Formation
from kim.formation.selectors import formations_readable_by, meeting_officers
from kim.office.selectors import get_signatory
from kim.register.models import Kim, Member
from kim.templatetags.documents import long_date
from villages.models import Village, VillageKind

SUBJECT_TYPE = "formation"
DOTS = "……………………"

# Positions as a decree and its annex print them (the app's own labels carry an English gloss).
POSITION_NAMES: dict[str, str] = {
    Member.Position.KETUA: "Ketua",
    Member.Position.WAKIL: "Wakil Ketua",
    Member.Position.SEKRETARIS: "Sekretaris",
    Member.Position.BENDAHARA: "Bendahara",
    Member.Position.SEKSI: "Seksi",
    Member.Position.ANGGOTA: "Anggota",
}


@dataclass(frozen=True)
class Officer:
    number: int
    name: str
    position: str
    section: str


def village_head_signer(village: Village, *, above: str = "") -> Signer:
    """The village's head as they sign: "Kepala Desa Selakambang" without a NIP, or "Lurah Bancar" with one."""
    return Signer(
        position=f"{village.head_title} {village.name}",
        name=village.head_name,
        nip=village.head_nip,
        above=above,
        has_nip=village.head_signs_with_nip,
    )


def _village(formation: Formation) -> Village:
    return formation.target.village


def _officers(formation: Formation) -> list[Officer]:
    return [
        Officer(number, member.name, POSITION_NAMES.get(member.position, member.position), member.section)
        for number, member in enumerate(meeting_officers(formation), start=1)
    ]


# A village's kind as documents print it, in Indonesian whatever the reader's language.
KIND_NAMES: dict[str, str] = {
    VillageKind.DESA: "Desa",
    VillageKind.KELURAHAN: "Kelurahan",
    VillageKind.DESA_ADAT: "Desa Adat",
}


def village_label(village: Village) -> str:
    """Desa Selakambang; Kelurahan Bancar."""
    return f"{KIND_NAMES.get(village.kind, 'Desa')} {village.name}"


def _place(village: Village) -> str:
    """Desa Selakambang, Kecamatan Kaligondang."""
    return f"{village_label(village)}, Kecamatan {village.district.name}"


def kim_title(name: str) -> str:
    """The group as a decree names it: "KIM Maju" is "Kelompok Informasi Masyarakat (KIM) Maju"."""
    return f"Kelompok Informasi Masyarakat (KIM) {name.removeprefix('KIM ').strip()}"


def may_read(user, formation: Formation) -> bool:
    """Whoever may open the formation's page: staff, staff administrators, leaders, and the head of its
    village (the subjects' queryset already holds nobody else's)."""
    return user.reads_programme or (user.is_village_head and user.village_id == _village(formation).pk)


def may_issue(user, formation: Formation) -> bool:
    return user.is_dinkominfo


# What each kind still lacks, in plain Indonesian (kim.documents shows them and refuses to issue).


def _missing_group(formation: Formation) -> list[str]:
    missing = []
    if formation.kim is None:
        missing.append("nama KIM belum ditetapkan (jalur pembentukan belum dipilih)")
    if formation.meeting_on is None:
        missing.append("tanggal musyawarah belum dicatat")
    if not meeting_officers(formation):
        missing.append("pengurus belum dipilih")
    return missing


def _missing_head(village: Village) -> list[str]:
    missing = []
    if not village.head_name:
        missing.append(f"nama {village.head_title} belum dicatat pada data desa")
    if village.head_signs_with_nip and not village.head_nip:
        missing.append(f"NIP {village.head_title} belum dicatat pada data desa")
    return missing


def minutes_missing(formation: Formation) -> list[str]:
    missing = _missing_group(formation)
    if not formation.meeting_place:
        missing.append("tempat musyawarah belum dicatat")
    if not formation.meeting_chair:
        missing.append("pimpinan musyawarah belum dicatat")
    if not formation.meeting_note_taker:
        missing.append("notulis musyawarah belum dicatat")
    return missing + _missing_head(_village(formation))


def decree_missing(formation: Formation) -> list[str]:
    return _missing_group(formation) + _missing_head(_village(formation))


def invitation_missing(formation: Formation) -> list[str]:
    missing = _missing_group(formation)
    if formation.briefing_planned_at is None or not formation.briefing_place:
        missing.append("rencana pembekalan (hari, jam dan tempat) belum dicatat")
    return missing


# What the templates read.


def _common(formation: Formation) -> dict:
    village = _village(formation)
    kim = formation.kim
    return {
        "formation": formation,
        "village": village,
        "district_name": village.district.name,
        "regency_name": settings.KIM_REGENCY_NAME,
        "village_label": village_label(village),
        "head_title": village.head_title,
        "kim": kim,
        "kim_name": kim.name if kim else DOTS,
        "kim_title": kim_title(kim.name if kim else DOTS),
        "adopted_group": kim.community_group if kim and kim.origin == Kim.Origin.ADOPTED else None,
        "officers": _officers(formation),
    }


def minutes_context(formation: Formation) -> dict:
    village = _village(formation)
    men, women = formation.meeting_attendance_men, formation.meeting_attendance_women
    counted = men is not None or women is not None
    return {
        **_common(formation),
        "attendance": {"men": men or 0, "women": women or 0, "total": (men or 0) + (women or 0)}
        if counted
        else None,
        "signers": [
            Signer(position="Pimpinan Musyawarah", name=formation.meeting_chair, has_nip=False),
            Signer(position="Notulis", name=formation.meeting_note_taker, has_nip=False),
        ],
        "head_signers": [village_head_signer(village, above="Mengetahui,")],
        "place_and_date": f"{village.name}, {long_date(formation.meeting_on) or DOTS}",
    }


def decree_context(formation: Formation) -> dict:
    """The decree is the village's: its number and date stay blank for the village office to fill."""
    village = _village(formation)
    head = village_head_signer(village)
    signing = replace(head, position=f"{head.position.upper()},")
    return {
        **_common(formation),
        "is_kelurahan": village.is_kelurahan,
        "enacted_at": f"Ditetapkan di {village.name}",
        "decree_signers": [replace(signing, above=f"pada tanggal {DOTS}")],
        "annex_signers": [signing],
    }


def invitation_context(formation: Formation) -> dict:
    return {
        **_common(formation),
        "signers": [from_signatory(get_signatory("head"))],
    }


def _title(prefix: str):
    return lambda formation: f"{prefix} {_place(_village(formation))}"


def _filename(prefix: str):
    return lambda formation: f"{prefix}-{slugify(_village(formation).name)}-{formation.target.year}"


def _register(name, label, classification, missing, title, template, context, filename) -> None:
    registry.register(
        registry.DocumentKind(
            name=name,
            subject_type=SUBJECT_TYPE,
            label=label,
            classification=classification,
            subjects=formations_readable_by,
            may_read=may_read,
            may_issue=may_issue,
            missing=missing,
            title=title,
            template=template,
            context=context,
            filename=filename,
            subject_url=lambda formation: reverse("formation:detail", args=[formation.pk]),
        )
    )


_register(
    "formation.minutes",
    gettext_lazy("Minutes of the village meeting forming the KIM"),
    "400",
    minutes_missing,
    _title("Berita Acara Musyawarah Pembentukan KIM"),
    "kim/formation/documents/minutes.html",
    minutes_context,
    _filename("berita-acara-musyawarah-kim"),
)
_register(
    "formation.decree",
    gettext_lazy("Draft decree of the village head forming the KIM"),
    "400",
    decree_missing,
    lambda formation: (
        f"Rancangan Keputusan {_village(formation).head_title} tentang Pembentukan KIM {_place(_village(formation))}"
    ),
    "kim/formation/documents/decree.html",
    decree_context,
    _filename("rancangan-keputusan-kim"),
)
_register(
    "formation.briefing_invitation",
    gettext_lazy("Invitation to the KIM's briefing"),
    "005",
    invitation_missing,
    _title("Undangan Pembekalan KIM"),
    "kim/formation/documents/briefing_invitation.html",
    invitation_context,
    _filename("undangan-pembekalan-kim"),
)

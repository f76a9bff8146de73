"""Demo agencies, one account per role and a sample zona merah story for `make run`. Safe to run again."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from pypdf import PdfWriter

from kim.accounts.models import Role, User
from kim.formation import services as formation_services
from kim.formation.models import Formation, Step, Target
from kim.lib.dates import current_year
from kim.lib.uploads import store_photos
from kim.mentoring import services as mentoring
from kim.mentoring.models import Visit
from kim.office.models import Signatory
from kim.register.models import DevelopmentLevel, Kim, Member
from outreach.directory.models import Agency, ResourcePerson, Topic
from outreach.reports.models import Attendee, FollowUp, SessionPhoto, SessionReport
from outreach.sessions import services as outreach_services
from outreach.sessions.models import Session, SessionEvent
from villages import services
from villages.models import CommunityGroup, Village

DEMO_PASSWORD = "demo-kim-2019"
SAMPLE_DECREE = "Contoh: Keputusan Bupati Purbalingga tentang Desa Zona Merah (data contoh)"
SELAKAMBANG = "33.03.04.2006"
TEJASARI = "33.03.04.2002"
SEMPOR_LOR = "33.03.04.2010"
LEVELS = [
    ("Pemula", 1, "Baru terbentuk"),
    ("Madya", 2, "Rutin menyebarkan informasi"),
    ("Utama", 3, "Mandiri, punya media sendiri"),
]
SAMPLE_OFFICERS = [
    ("Ketua", Member.Position.KETUA, "L"),
    ("Sekretaris", Member.Position.SEKRETARIS, "P"),
    ("Bendahara", Member.Position.BENDAHARA, "P"),
    ("Seksi Humas", Member.Position.SEKSI, "L"),
]

# What the assignment letter (surat tugas) prints of the staff it sends: sample NIPs, ranks and positions.
DEMO_OFFICER_DETAILS = {
    "admin": {
        "nip": "198203152008011004",
        "rank": "Penata Tk. I (III/d)",
        "position": "Pranata Humas Ahli Muda",
    },
    "staf": {
        "nip": "199107222019032012",
        "rank": "Penata Muda (III/a)",
        "position": "Pranata Humas Ahli Pertama",
    },
}
# The head of office who signs the demo's letters (a sample person), in place of the "[Ganti]" default.
DEMO_HEAD_OF_OFFICE = {
    "name": "Contoh Kepala Dinas, S.Sos., M.Si.",
    "nip": "197001011995031001",
    "rank": "Pembina Tk. I (IV/b)",
}

AGENCIES = [
    ("Dinas Komunikasi dan Informatika", "Dinkominfo", Agency.Kind.DINAS),
    ("Dinas Kesehatan", "Dinkes", Agency.Kind.DINAS),
    (
        "Dinas Sosial, Pengendalian Penduduk, Keluarga Berencana, "
        "Pemberdayaan Perempuan dan Perlindungan Anak",
        "Dinsosdalduk KB P3A",
        Agency.Kind.DINAS,
    ),
    (
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Bappelitbangda",
        Agency.Kind.BADAN,
    ),
    ("Dinas Pemberdayaan Masyarakat dan Desa", "Dinpermasdes", Agency.Kind.DINAS),
]

# What an agency's letters print (its letterhead, its head): samples for Dinkes, whose sessions the demo holds.
DEMO_AGENCY_DETAILS = {
    "Dinkes": {
        "address": "Jl. Jenderal Soedirman No. 1 (alamat contoh)",
        "postal_code": "53311",
        "email": "dinkes@demo.invalid",
        "head_name": "Contoh Kepala Dinas Kesehatan, dr., M.Kes.",
        "head_nip": "197203152000032004",
        "head_position": "Kepala Dinas Kesehatan",
        "head_rank": "Pembina Utama Muda (IV/c)",
    },
}
# Names typed in from a paper attendance sheet (samples): name, origin, L/P.
DEMO_ATTENDEES = [
    ("Siti Aminah", "RT 01/RW 01", "P"),
    ("Sri Rahayu", "RT 02/RW 01", "P"),
    ("Budi Santoso", "Karang Taruna", "L"),
    ("Tri Wahyuni", "Posyandu Melati", "P"),
    ("Nur Hidayah", "TP PKK", "P"),
    ("Agus Setiawan", "RT 03/RW 02", "L"),
    ("Dwi Lestari", "Posyandu Melati", "P"),
    ("Eko Prasetyo", "KIM Selakambang", "L"),
]
DEMO_PHOTOS = 3

# A sample red zone (the decree's real list is not shipped): Selakambang and a few neighbours.
SAMPLE_RED_ZONE = ["33.03.04.2006", "33.03.04.2002", "33.03.04.2010", "33.03.03.2002", "33.03.13.2008"]
SAMPLE_BINAAN = {"33.03.04.2006": "Dinkominfo", "33.03.04.2002": "Dinkes", "33.03.03.2002": "Dinpermasdes"}

GROUPS = [
    ("TP PKK Desa Selakambang", CommunityGroup.Kind.PKK, "Ibu Ketua PKK"),
    ("Karang Taruna Tunas Muda", CommunityGroup.Kind.KARANG_TARUNA, "Ketua Karang Taruna"),
    ("Kelompok Tani Sri Rejeki", CommunityGroup.Kind.KELOMPOK_TANI, "Ketua Poktan"),
    ("Posyandu Melati", CommunityGroup.Kind.POSYANDU, "Kader Posyandu"),
]


class Command(BaseCommand):
    help = "Load demo agencies, accounts (one per role) and sample statuses. Development only."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is for development only.")
        if not Village.objects.filter(pk=SELAKAMBANG).exists():
            raise CommandError("Import the areas first: manage.py import_areas --regency 33.03")
        with transaction.atomic():
            agencies = self._agencies()
            accounts = self._accounts(agencies)
            self._story(agencies)
            self._head_of_office()
            self._kims(accounts)
            self._sessions(accounts, agencies)
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for user in accounts:
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()}")

    def _agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, short_name, kind in AGENCIES:
            agencies[short_name], _ = Agency.objects.get_or_create(
                short_name=short_name, defaults={"name": name, "kind": kind}
            )
        for short_name, details in DEMO_AGENCY_DETAILS.items():
            # Only where nobody has kept the real head and address yet.
            Agency.objects.filter(short_name=short_name, head_name="").update(**details)
            agencies[short_name].refresh_from_db()
        return agencies

    def _accounts(self, agencies) -> list[User]:
        specs = [
            ("admin", "Admin", "Dinkominfo", Role.STAFF_ADMIN, DEMO_OFFICER_DETAILS["admin"]),
            ("staf", "Staf", "Bidang IKP", Role.STAFF, DEMO_OFFICER_DETAILS["staf"]),
            # Pimpinan: the Kabid IKP reads the whole programme and changes nothing.
            ("pimpinan", "Kabid", "IKP", Role.LEADER, {}),
            (
                "kades.selakambang",
                "Kepala Desa",
                "Selakambang",
                Role.VILLAGE_HEAD,
                {"village_id": SELAKAMBANG},
            ),
            ("kades.tejasari", "Kepala Desa", "Tejasari", Role.VILLAGE_HEAD, {"village_id": TEJASARI}),
            ("dinkes", "Petugas", "Dinkes", Role.OPD_OFFICER, {"agency": agencies["Dinkes"]}),
        ]
        accounts = []
        for username, first, last, role, binding in specs:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "email": f"{username}@demo.invalid",
                    **binding,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            accounts.append(user)
        return accounts

    def _head_of_office(self) -> None:
        """Signs the demo's letters, unless a staff administrator has already named the real one."""
        Signatory.objects.filter(role=Signatory.Role.HEAD, is_placeholder=True).update(
            **DEMO_HEAD_OF_OFFICE, is_placeholder=False
        )

    def _story(self, agencies) -> None:
        villages = list(Village.objects.filter(pk__in=SAMPLE_RED_ZONE))
        for year in (2019, current_year()):
            services.red_zone_mark(year=year, villages=villages, decree=SAMPLE_DECREE, actor=None)
            for code, short_name in SAMPLE_BINAAN.items():
                village = Village.objects.get(pk=code)
                services.binaan_assign(year=year, villages=[village], agency=agencies[short_name], actor=None)
        selakambang = Village.objects.get(pk=SELAKAMBANG)
        for name, kind, contact in GROUPS:
            if not CommunityGroup.objects.filter(village=selakambang, name=name).exists():
                group = CommunityGroup(village=selakambang, name=name, kind=kind, contact_name=contact)
                services.community_group_save(group=group, actor=None)

    def _sessions(self, accounts, agencies) -> None:
        """Dinkes's stunting work in Selakambang's KIM: one session confirmed by the village head, one
        waiting for them, one held last month and reported; in a sample KIM, one reported and one held two
        days ago whose report the officer still owes."""
        topics = {name: Topic.objects.get_or_create(name=name)[0] for name in TOPICS}
        speaker, _ = ResourcePerson.objects.get_or_create(
            name="dr. Ani Rahmawati",
            defaults={"agency": agencies["Dinkes"], "sector": "Puskesmas Kaligondang"},
        )
        speaker.topics.add(topics["Penanggulangan stunting"], topics["Kesehatan ibu dan anak"])
        if Session.objects.exists():
            return
        officer = next(user for user in accounts if user.username == "dinkes")
        head = next(user for user in accounts if user.username == "kades.selakambang")
        selakambang = Kim.objects.get(village_id=SELAKAMBANG)
        sample = Kim.objects.active().filter(is_sample=True).order_by("village_id").first()
        stunting = topics["Penanggulangan stunting"]
        for days_ahead, title in (
            (3, "Sosialisasi pencegahan stunting"),
            (10, "Kelas ibu hamil: gizi seribu hari pertama kehidupan"),
        ):
            session = outreach_services.session_propose(
                actor=officer,
                agency=agencies["Dinkes"],
                kim=selakambang,
                title=f"{title} di {selakambang.name}",
                starts_at=_wib(days_ahead, 9),
                ends_at=_wib(days_ahead, 11),
                venue="Balai Desa Selakambang",
                topic=stunting,
                resource_persons=[speaker],
                expected_audience=40,
            )
            if days_ahead == 3:
                outreach_services.session_confirm(session=session, actor=head)
        self._past_session(selakambang, agencies["Dinkes"], officer, speaker, stunting, days_ago=30)
        if sample is not None:
            self._past_session(sample, agencies["Dinkes"], officer, speaker, stunting, days_ago=45)
            self._past_session(
                sample, agencies["Dinkes"], officer, speaker, stunting, days_ago=2, reported=False
            )

    def _past_session(self, kim, agency, officer, speaker, topic, *, days_ago, reported=True) -> None:
        """A session held `days_ago` (and reported, unless not): history, recorded as it happened (the
        proposal rules refuse a start in the past, so it is written directly)."""
        starts_at = _wib(-days_ago, 9)
        session = Session.objects.create(
            agency=agency,
            kim=kim,
            topic=topic,
            title=f"Kelas gizi balita di {kim.name}",
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            venue=f"Posyandu {kim.village.name}",
            state=Session.State.REPORTED if reported else Session.State.HELD,
            expected_audience=30,
            proposed_by=officer,
        )
        session.resource_persons.add(speaker)
        kinds = [SessionEvent.Kind.PROPOSED, SessionEvent.Kind.CONFIRMED, SessionEvent.Kind.HELD]
        if reported:
            SessionReport.objects.create(
                session=session,
                attended_male=6,
                attended_female=27,
                recorded_by=officer,
                minutes="Pemaparan gizi seimbang untuk balita, demonstrasi menu PMT, tanya jawab dengan "
                "kader posyandu.",
            )
            FollowUp.objects.create(
                session=session,
                action="Pendataan balita berisiko stunting",
                owner="Kader posyandu",
                due_on=_wib(10 - days_ago, 9).date(),
                done_on=_wib(8 - days_ago, 9).date(),
            )
            FollowUp.objects.create(
                session=session,
                action="Kelas ibu hamil bulanan",
                owner="Bidan desa",
                due_on=_wib(44 - days_ago, 9).date(),
            )
            Attendee.objects.bulk_create(
                Attendee(session=session, name=name, origin=origin, gender=gender)
                for name, origin, gender in DEMO_ATTENDEES
            )
            store_photos(
                lambda: SessionPhoto(session=session), (_sample_photo(n) for n in range(1, DEMO_PHOTOS + 1))
            )
            kinds.append(SessionEvent.Kind.REPORTED)
        for kind in kinds:
            SessionEvent.objects.create(session=session, kind=kind, actor=officer)

    def _kims(self, accounts) -> None:
        """Twelve sample KIMs from before 2019, then Selakambang's 2019 formation (active since), then this
        year's targets: Tejasari's new group waiting for its village head, Sempor Lor at coordination."""
        staff = next(user for user in accounts if user.username == "staf")
        head = next(user for user in accounts if user.username == "kades.selakambang")
        levels = [
            DevelopmentLevel.objects.get_or_create(name=n, defaults={"rank": r, "description": d})[0]
            for n, r, d in LEVELS
        ]
        self._sample_kims(staff, levels)
        if not Target.objects.filter(year=2019).exists():
            self._selakambang_2019(staff, head, levels[0])
        if not Target.objects.filter(year=current_year()).exists():
            self._this_years_targets(staff)

    def _sample_kims(self, staff, levels) -> None:
        for number, village in enumerate(_sample_kim_villages()):
            if Kim.objects.filter(village=village).exists():
                continue
            founded = dt.date(2013 + number % 6, 1 + number % 12, 10)
            kim = Kim(
                village=village,
                name=f"KIM {village.name}",
                origin=Kim.Origin.NEW,
                status=Kim.Status.ACTIVE,
                founded_on=founded,
                sk_issuer=Kim.Issuer.VILLAGE_HEAD,
                sk_number=f"555/{100 + number} Tahun {founded.year}",
                sk_date=founded,
                level=levels[number % 3],
                is_sample=True,
            )
            officers = [
                {"name": f"{title} KIM {village.name}", "position": position, "gender": gender}
                for title, position, gender in SAMPLE_OFFICERS
            ]
            formation_services.kim_record_existing(kim=kim, officers=officers, actor=None)
            kim.mentors.add(staff)
            if number % 2 == 0:
                mentoring.visit_record(
                    kim=kim,
                    actor=staff,
                    visited_on=dt.date(2018, 11, 1 + number),
                    kind=Visit.Kind.PEMBINAAN,
                    officers=[staff],
                    topic="Pembinaan pengelolaan informasi desa",
                    participants=15,
                    notes="",
                    photos=[],
                )

    def _selakambang_2019(self, staff, head, level) -> None:
        """Targeted in 2019 as Dinkominfo's binaan in the red zone without a KIM; the village's TP PKK takes
        on the information work, the head confirms, the Kepala Desa's decree follows, then the briefing."""
        selakambang = Village.objects.get(pk=SELAKAMBANG)
        # The Kepala Desa who signs the formation's decree and acknowledges its berita acara.
        if not selakambang.head_name:
            services.village_update_contacts(
                village=selakambang,
                actor=staff,
                head_name="Sutrisno",
                head_phone=selakambang.head_phone,
                office_address=selakambang.office_address or "Jl. Raya Selakambang No. 1, Kaligondang",
            )
        reasons = {c.village.pk: c.reason for c in formation_services.target_candidates(year=2019)}
        formation_services.target_set(year=2019, villages=[selakambang], actor=staff, reasons=reasons)
        formation = Formation.objects.get(target__village=selakambang, target__year=2019)
        formation_services.formation_record_coordination(
            formation=formation,
            actor=staff,
            coordinated_on=dt.date(2019, 1, 14),
            notes="Koordinasi dengan Kepala Desa, TP PKK dan Karang Taruna tentang pembentukan KIM.",
        )
        pkk = CommunityGroup.objects.get(village=selakambang, kind=CommunityGroup.Kind.PKK)
        formation_services.formation_choose_path(
            formation=formation,
            actor=staff,
            origin=Kim.Origin.ADOPTED,
            community_group=pkk,
            name="KIM Selakambang",
        )
        officers = [
            {"name": f"{title} KIM Selakambang", "position": position, "gender": gender, "phone": ""}
            for title, position, gender in SAMPLE_OFFICERS
        ]
        formation_services.formation_record_meeting(
            formation=formation,
            actor=staff,
            meeting_on=dt.date(2019, 2, 11),
            notes="Musyawarah desa di Balai Desa Selakambang",
            officers=officers,
            # What its berita acara prints: where, who led it, who took the minutes, who came.
            minutes=formation_services.MeetingMinutes(
                place="Balai Desa Selakambang",
                chair="Suparno",
                note_taker="Siti Rohmah",
                men=21,
                women=17,
            ),
        )
        formation_services.formation_confirm(formation=formation, head=head)
        formation_services.formation_record_decree(
            formation=formation,
            actor=staff,
            sk_issuer=Kim.Issuer.VILLAGE_HEAD,
            sk_number="141/12 Tahun 2019",
            sk_date=dt.date(2019, 3, 4),
            sk_file=ContentFile(sample_pdf(), name="sk-kim-selakambang.pdf"),
        )
        # The briefing as planned (its invitation), then as held.
        formation_services.formation_plan_briefing(
            formation=formation,
            actor=staff,
            planned_at=dt.datetime(2019, 3, 20, 9, 0, tzinfo=ZoneInfo(settings.TIME_ZONE)),
            place="Aula Balai Desa Selakambang",
        )
        formation_services.formation_record_briefing(
            formation=formation,
            actor=staff,
            briefed_on=dt.date(2019, 3, 20),
            notes="Pembekalan pengelolaan informasi dan media sosial desa",
        )
        formation_services.formation_activate(formation=formation, actor=staff)
        _backdate(
            formation,
            {
                Step.COORDINATION: dt.date(2019, 1, 14),
                Step.PATH: dt.date(2019, 1, 14),
                Step.MEETING: dt.date(2019, 2, 11),
                Step.CONFIRMATION: dt.date(2019, 2, 15),
                Step.DECREE: dt.date(2019, 3, 4),
                Step.BRIEFING: dt.date(2019, 3, 20),
                Step.ACTIVE: dt.date(2019, 3, 20),
            },
        )
        kim = Kim.objects.get(village=selakambang)
        kim.level = level
        kim.save(update_fields=["level"])
        kim.mentors.add(staff)
        # A mentoring visit after the briefing, with two officers: what a surat tugas is issued for.
        mentoring.visit_record(
            kim=kim,
            actor=staff,
            visited_on=dt.date(2019, 4, 11),
            kind=Visit.Kind.PENDAMPINGAN,
            officers=[staff, User.objects.get(username="admin")],
            topic="Pengelolaan media sosial dan papan informasi desa",
            participants=14,
            notes="",
            photos=[],
        )

    def _this_years_targets(self, staff) -> None:
        year = current_year()
        tejasari, sempor_lor = Village.objects.get(pk=TEJASARI), Village.objects.get(pk=SEMPOR_LOR)
        reasons = {c.village.pk: c.reason for c in formation_services.target_candidates(year=year)}
        formation_services.target_set(
            year=year, villages=[tejasari, sempor_lor], actor=staff, reasons=reasons
        )
        day = timezone.localdate() - dt.timedelta(days=21)
        for village in (tejasari, sempor_lor):
            formation_services.formation_record_coordination(
                formation=Formation.objects.get(target__village=village, target__year=year),
                actor=staff,
                coordinated_on=day,
                notes="Koordinasi dengan Kepala Desa tentang pembentukan KIM.",
            )
        formation = Formation.objects.get(target__village=tejasari, target__year=year)
        formation_services.formation_choose_path(
            formation=formation,
            actor=staff,
            origin=Kim.Origin.NEW,
            community_group=None,
            name="KIM Tejasari",
        )
        officers = [
            {"name": f"{title} KIM Tejasari", "position": position, "gender": gender, "phone": ""}
            for title, position, gender in SAMPLE_OFFICERS
        ]
        formation_services.formation_record_meeting(
            formation=formation,
            actor=staff,
            meeting_on=day + dt.timedelta(days=14),
            notes="Musyawarah desa",
            officers=officers,
        )
        for village in (tejasari, sempor_lor):
            formation = Formation.objects.get(target__village=village, target__year=year)
            _backdate(
                formation,
                {
                    Step.COORDINATION: day,
                    Step.PATH: day,
                    Step.MEETING: day + dt.timedelta(days=14),
                    Step.CONFIRMATION: day + dt.timedelta(days=14),
                },
            )


def sample_pdf() -> bytes:
    """The demo's decree: a placeholder, but a real PDF of one blank A4 page, so that it passes the whole-file
    check a decree uploaded through the form must pass (kim.lib.uploads refuses a PDF with no pages)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _backdate(formation: Formation, step_dates: dict[Step, dt.date]) -> None:
    """Date the history of a formation recorded today as if each step had happened on its own day, 10:00 WIB."""

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))

    for step, day in step_dates.items():
        formation.events.filter(step=step).update(at=at(day))
    formation.refresh_from_db()
    formation.step_changed_at = at(step_dates[Step(formation.step)])
    if formation.confirmed_at:
        formation.confirmed_at = at(step_dates[Step.CONFIRMATION])
    formation.save(update_fields=["step_changed_at", "confirmed_at"])


def _sample_kim_villages() -> list[Village]:
    """Twelve villages had a KIM by the end of 2018, but the source does not name them: take the first
    village of twelve kecamatan other than Kaligondang, as samples (marked so on their pages)."""
    villages = (
        Village.objects.in_home_regency().exclude(district_id="33.03.04").order_by("district_id", "code")
    )
    first_per_district: dict[str, Village] = {}
    for village in villages:
        first_per_district.setdefault(village.district_id, village)
    return list(first_per_district.values())[:12]


TOPICS = [
    "Penanggulangan stunting",
    "Kesehatan ibu dan anak",
    "Pelayanan administrasi kependudukan",
    "Literasi digital",
]


def _wib(days_ahead: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def _sample_photo(number: int) -> SimpleUploadedFile:
    """A placeholder session photo, drawn (a hall, a screen, rows of seats) as a 1200 by 900 JPEG."""
    image = Image.new("RGB", (1200, 900), (214, 200, 170))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1200, 260), fill=(150, 175, 200))
    draw.rectangle((380, 60, 820, 320), fill=(245, 245, 245), outline=(60, 60, 60), width=6)
    for row in range(4):
        for seat in range(8):
            x, y = 110 + seat * 130, 450 + row * 110
            colour = (90 + 30 * (seat % 3), 60 + 20 * row, 120 - 10 * number)
            draw.ellipse((x, y, x + 70, y + 70), fill=colour)
    draw.text((40, 850), f"Foto contoh {number}", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"foto-contoh-{number}.jpg", out.getvalue(), "image/jpeg")

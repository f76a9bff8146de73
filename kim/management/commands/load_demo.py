"""Demo agencies, one account per role and a sample zona merah story for `make run`. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kim.dates import current_year
from kim.models import Role, User
from outreach.models import Agency
from villages import services
from villages.models import CommunityGroup, Village

DEMO_PASSWORD = "demo-kim-2019"
SAMPLE_DECREE = "Contoh: Keputusan Bupati Purbalingga tentang Desa Zona Merah (data contoh)"
SELAKAMBANG = "33.03.04.2006"

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
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for user in accounts:
            self.stdout.write(f"  {user.username:<20} {user.get_role_display()}")

    def _agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, short_name, kind in AGENCIES:
            agencies[short_name], _ = Agency.objects.get_or_create(
                short_name=short_name, defaults={"name": name, "kind": kind}
            )
        return agencies

    def _accounts(self, agencies) -> list[User]:
        specs = [
            ("admin", "Admin", "Dinkominfo", Role.STAFF_ADMIN, {}),
            ("staf", "Staf", "Bidang IKP", Role.STAFF, {}),
            (
                "kades.selakambang",
                "Kepala Desa",
                "Selakambang",
                Role.VILLAGE_HEAD,
                {"village_id": SELAKAMBANG},
            ),
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
                user.is_staff = user.is_superuser = role == Role.STAFF_ADMIN
                user.save()
            accounts.append(user)
        return accounts

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

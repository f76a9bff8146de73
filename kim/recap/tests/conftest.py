import io

import pytest
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _office_defaults(office_defaults):
    """Every recap starts from the letterhead and signatories as migration 0018 leaves them."""


@pytest.fixture
def demo(media):
    """Purbalingga's villages and the demo's story, 2019 to today."""
    call_command("import_areas", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def signed(db):
    """The office's signatories as a staff administrator keeps them (made-up people)."""
    from kim.office.models import Signatory

    Signatory.objects.update_or_create(
        role="head",
        defaults={
            "name": "Budi Santoso, S.Sos., M.Si.",
            "nip": "197001011995031001",
            "position": "Kepala Dinas Komunikasi dan Informatika",
            "rank": "Pembina Utama Muda",
            "is_placeholder": False,
        },
    )
    Signatory.objects.update_or_create(
        role="preparer",
        defaults={
            "name": "Sri Wahyuni, S.Kom.",
            "nip": "198005152005012002",
            "position": "Kepala Bidang Informasi dan Komunikasi Publik",
            "rank": "Penata Tk. I",
            "is_placeholder": False,
        },
    )

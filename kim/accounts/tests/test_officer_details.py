"""An officer's NIP, rank and position: kept on the account by staff administrators, printed on the assignment
letters of the visits the officer is sent on. All three are optional: not every officer is a civil servant."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kim.accounts.models import Role

pytestmark = pytest.mark.django_db


def _edit(client, account, **changes):
    data = {
        "username": account.username,
        "first_name": "Rina",
        "last_name": "Wulandari",
        "email": account.email,
        "role": Role.STAFF,
        "is_active": "on",
        "nip": "",
        "rank": "",
        "position": "",
    }
    return client.post(reverse("accounts:edit", args=[account.pk]), data | changes)


def test_staff_admin_keeps_an_officers_nip_typed_in_groups_rank_and_position(client, staff_admin, staff):
    client.force_login(staff_admin)
    response = _edit(
        client,
        staff,
        nip="19850312 201001 2 003",
        rank="Penata (III/c)",
        position="Pranata Humas Ahli Muda",
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.nip, staff.rank, staff.position) == (
        "198503122010012003",
        "Penata (III/c)",
        "Pranata Humas Ahli Muda",
    )
    assert staff.nip_display == "19850312 201001 2 003"


def test_the_account_form_shows_the_officer_details(client, staff_admin, staff):
    staff.nip = "198503122010012003"
    staff.save()
    client.force_login(staff_admin)
    form = client.get(reverse("accounts:edit", args=[staff.pk])).context["form"]
    assert {"nip", "rank", "position"} <= set(form.fields)
    assert form["nip"].value() == "198503122010012003"


def test_an_officer_without_a_nip_is_saved_with_none(client, staff_admin, staff):
    client.force_login(staff_admin)
    assert _edit(client, staff, nip="  ").status_code == 302
    staff.refresh_from_db()
    assert staff.nip == ""


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("1985031220100120", "NIP terdiri dari tepat 18 angka."),
        ("19850312201001200A", "NIP terdiri dari tepat 18 angka."),
        ("١٩٨٥٠٣١٢٢٠١٠٠١٢٠٠٣", "NIP terdiri dari tepat 18 angka."),
        ("19851312 201001 2 003", "Delapan angka pertama NIP adalah tanggal lahir (ttttbbhh)."),
        (
            "19850312 201013 2 003",
            "Angka ke-9 sampai ke-14 NIP adalah tahun dan bulan pengangkatan (ttttbb).",
        ),
        ("19850312 201001 3 003", "Angka ke-15 NIP adalah 1 (laki-laki) atau 2 (perempuan)."),
    ],
)
def test_a_wrong_nip_is_refused_in_indonesian_and_nothing_is_saved(client, staff_admin, staff, nip, message):
    name_before = staff.first_name
    client.force_login(staff_admin)
    response = _edit(client, staff, nip=nip, rank="Penata (III/c)")
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == [message]
    staff.refresh_from_db()
    assert (staff.nip, staff.rank, staff.first_name) == ("", "", name_before)


def test_the_model_refuses_a_wrong_nip_wherever_it_comes_from(staff):
    staff.nip = "123"
    with pytest.raises(ValidationError) as refused:
        staff.full_clean()
    assert list(refused.value.message_dict) == ["nip"]


def test_the_nip_check_lives_in_the_toolkit_and_the_office_still_offers_it():
    from kim.lib import nip
    from kim.office import models as office

    assert office.validate_nip is nip.validate_nip
    assert office.nip_display is nip.nip_display
    assert nip.nip_display("197001011995031001") == "19700101 199503 1 001"

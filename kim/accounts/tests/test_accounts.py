import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from kim.accounts.models import Role, User
from kim.lib.phone import normalise_phone

pytestmark = pytest.mark.django_db


def _can_sign_in(client, username, password) -> bool:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code == 302


def _new_head(client, home_village, **extra):
    data = {
        "username": "kades.selakambang",
        "first_name": "Sutrisno",
        "email": "Sutrisno@Example.com",
        "role": Role.VILLAGE_HEAD,
        "village": home_village.pk,
        "is_active": "on",
        **extra,
    }
    return client.post(reverse("accounts:create"), data)


def test_staff_admin_creates_a_village_head_who_sets_a_password_from_the_email(
    client, staff_admin, village, settings
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    assert _new_head(client, village).status_code == 302
    user = User.objects.get(username="kades.selakambang")
    assert (user.role, user.village, user.email, user.has_usable_password()) == (
        Role.VILLAGE_HEAD,
        village,
        "sutrisno@example.com",
        False,
    )
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/akun/sandi/atur/\S+)", mail.outbox[0].body).group(1)

    client.logout()
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Kaligondang-2019!", "new_password2": "Kaligondang-2019!"},
    )
    assert _can_sign_in(client, "kades.selakambang", "Kaligondang-2019!")


def test_a_village_head_account_needs_a_village(client, staff_admin, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    response = _new_head(client, village, village="")
    assert "village" in response.context["form"].errors
    assert not User.objects.filter(username="kades.selakambang").exists()
    assert mail.outbox == []


def test_an_officer_account_needs_an_agency_and_loses_any_village(
    client, staff_admin, village, agency, settings
):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    response = _new_head(client, village, role=Role.OPD_OFFICER)
    assert "agency" in response.context["form"].errors
    _new_head(client, village, role=Role.OPD_OFFICER, agency=agency.pk)
    user = User.objects.get(username="kades.selakambang")
    assert (user.agency, user.village) == (agency, None)


def test_two_accounts_cannot_share_an_email(client, staff_admin, staff, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    response = _new_head(client, village, email=staff.email.upper())
    assert "email" in response.context["form"].errors


def test_staff_admin_cannot_deactivate_their_own_account(client, staff_admin):
    client.force_login(staff_admin)
    data = {"username": staff_admin.username, "email": staff_admin.email, "role": Role.STAFF_ADMIN}
    response = client.post(reverse("accounts:edit", args=[staff_admin.pk]), data)
    assert response.status_code == 200
    staff_admin.refresh_from_db()
    assert staff_admin.is_active


def test_staff_admin_deactivates_an_account_which_can_then_not_sign_in(client, staff_admin, staff):
    client.force_login(staff_admin)
    data = {"username": staff.username, "email": staff.email, "role": Role.STAFF}
    assert client.post(reverse("accounts:edit", args=[staff.pk]), data).status_code == 302
    client.logout()
    assert not _can_sign_in(client, staff.username, "sandi-rahasia-123")


def test_account_list_filters_by_role_with_a_fixed_number_of_queries(
    client, staff_admin, head, officer, django_assert_num_queries
):
    client.force_login(staff_admin)
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:list"), {"role": Role.VILLAGE_HEAD})
    assert list(response.context["page"]) == [head]


def test_staff_admin_finds_the_accounts_that_still_need_a_role(client, staff_admin, head, no_role):
    client.force_login(staff_admin)
    response = client.get(reverse("accounts:list"), {"role": "none"})
    assert list(response.context["page"]) == [no_role]
    assert "Belum ada peran" in response.content.decode()


def test_password_reset_email_reaches_a_known_address_and_says_nothing_of_unknown_ones(client, staff):
    client.post(reverse("password_reset"), {"email": staff.email})
    client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert [m.to for m in mail.outbox] == [[staff.email]]


@pytest.mark.parametrize(
    ("persona", "template"),
    [
        ("staff", "kim/home_staff.html"),
        ("staff_admin", "kim/home_staff.html"),
        ("head", "kim/home_village_head.html"),
        ("officer", "kim/home_opd_officer.html"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, persona, template):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("home:index"))
    assert template in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
    ],
)
def test_indonesian_mobile_numbers_are_stored_as_plus_62(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0281891234", "+1 202 555 0100", "08", "0812345678901234567"])
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError):
        normalise_phone(typed)

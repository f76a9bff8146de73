"""Any regency, by its own name: the regency's name comes from settings (KIM_REGENCY_NAME, and a short name
derived from it) in every page, the 500 page, the emails, the sender's name and the iCal feed. The data (the
demo, the area codes) is another matter and is not renamed."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from kim.accounts.models import Role
from kim.lib.regency import app_title, regency_short_name
from outreach.calendar.services import calendar_feed_get_or_create, calendar_feed_ical
from tests.factories import SessionFactory

BANYUMAS = override_settings(KIM_REGENCY_NAME="Kabupaten Banyumas")


def _says_banyumas(text: str):
    assert "Banyumas" in text
    assert "Purbalingga" not in text


@pytest.mark.parametrize(
    ("name", "short", "title"),
    [
        ("Kabupaten Purbalingga", "", "KIM Purbalingga"),
        ("Kabupaten Banyumas", "", "KIM Banyumas"),
        ("Kota Tegal", "", "KIM Tegal"),
        ("Kabupaten Kepulauan Seribu", "Kep. Seribu", "KIM Kep. Seribu"),
    ],
)
def test_the_apps_title_is_kim_and_the_regencys_short_name(name, short, title):
    with override_settings(KIM_REGENCY_NAME=name, KIM_REGENCY_SHORT_NAME=short):
        assert app_title() == title
        assert regency_short_name() == title.removeprefix("KIM ")


@pytest.mark.django_db
@BANYUMAS
def test_the_navbar_the_title_and_the_footer_name_the_regency_of_the_settings(client, staff):
    client.force_login(staff)
    response = client.get(reverse("villages:list"))
    page = response.content.decode()
    _says_banyumas(page)
    assert "<title>Desa · KIM Banyumas</title>" in page
    assert '<a class="navbar-brand fw-semibold" href="/">KIM Banyumas</a>' in page
    assert "Dinas Komunikasi dan Informatika, Kabupaten Banyumas" in page


@pytest.mark.django_db
@BANYUMAS
def test_the_sign_in_page_names_the_regency_too(client):
    _says_banyumas(client.get(reverse("login")).content.decode())


@BANYUMAS
def test_the_500_page_rendered_without_context_processors_names_the_regency():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    _says_banyumas(page)
    assert "KIM Banyumas" in page
    assert "Dinas Komunikasi dan Informatika, Kabupaten Banyumas" in page


@pytest.mark.django_db
@BANYUMAS
def test_the_new_account_email_names_the_regency(client, staff_admin, village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(staff_admin)
    client.post(
        reverse("accounts:create"),
        {
            "username": "kades.baru",
            "first_name": "Sutrisno",
            "email": "sutrisno@example.com",
            "role": Role.VILLAGE_HEAD,
            "village": village.pk,
            "is_active": "on",
        },
    )
    [email] = mail.outbox
    assert email.subject == "Akun KIM Banyumas Anda"
    _says_banyumas(email.subject + email.body)
    assert "sistem Dinkominfo Banyumas" in email.body


@pytest.mark.django_db
@BANYUMAS
def test_the_password_reset_email_names_the_regency(client, staff):
    client.post(reverse("password_reset"), {"email": staff.email})
    [email] = mail.outbox
    assert email.subject == "KIM Banyumas: atur ulang kata sandi Anda"
    _says_banyumas(email.subject + email.body)


@pytest.mark.django_db
@BANYUMAS
def test_the_ical_feed_names_the_regency_in_its_product_and_calendar_name(client, officer, agency, kim):
    SessionFactory(kim=kim, agency=agency, starts_at=dt.datetime(2019, 3, 7, 2, tzinfo=dt.UTC))
    feed = calendar_feed_get_or_create(user=officer)
    body = client.get(reverse("outreach:calendar_feed", args=[feed.token])).content.decode()
    assert "PRODID:-//Dinkominfo Kabupaten Banyumas//KIM Banyumas//ID" in body
    assert "X-WR-CALNAME:Sesi KIM Banyumas:" in body
    assert "Purbalingga" not in body.replace(kim.village.district.name, "")


@pytest.mark.django_db
def test_the_ical_feed_names_purbalingga_by_default(officer):
    body = calendar_feed_ical(user=officer, sessions=[]).decode()
    assert "PRODID:-//Dinkominfo Kabupaten Purbalingga//KIM Purbalingga//ID" in body


def test_the_senders_name_follows_the_regency_unless_the_sender_is_set():
    """DEFAULT_FROM_EMAIL is read when the settings load: a fresh interpreter with the environment set."""
    environment = {
        **os.environ,
        "KIM_REGENCY_NAME": "Kabupaten Banyumas",
        "DJANGO_SETTINGS_MODULE": "kim.settings",
    }
    environment.pop("DEFAULT_FROM_EMAIL", None)
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)"
    )
    sender = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert sender.startswith("KIM Banyumas <")

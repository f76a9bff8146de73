"""Production settings, Content-Security-Policy, sign-in throttling, time zone and date formats."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from villages.models import VillageChange

ROOT = Path(settings.BASE_DIR)
TEMPLATE_FILES = sorted((ROOT / "templates").rglob("*.html"))


def _production_env(**extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x7Kp2-9mQv_Zr4tL0sWc8yNf3bHj6dUe1gAo5iRk7TnXq2VwPzM",
        "ALLOWED_HOSTS": "kim.purbalinggakab.go.id",
        "DATABASE_URL": "sqlite:////tmp/kim-deploy-check.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://mailpit:1025",
        "SITE_URL": "https://kim.example.go.id",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


def test_deploy_check_with_production_settings_prints_no_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_script_style_or_handler(path):
    text = path.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag]
    assert inline_scripts == []
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)
    assert "http://" not in text.replace("{{ protocol }}://", "")
    assert not re.search(r"https://(?!wa\.me)", text), "no asset from another origin"


def _fail_sign_in(client, username, address):
    return client.post(reverse("login"), {"username": username, "password": "salah"}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_sign_in_is_locked_per_username_and_address_after_five_failures(client, staff):
    for _ in range(5):
        _fail_sign_in(client, staff.username, "10.0.0.1")
    locked = client.post(
        reverse("login"),
        {"username": staff.username, "password": "sandi-rahasia-123"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert locked.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in locked.templates]


@pytest.mark.django_db
def test_a_lock_does_not_block_the_same_user_elsewhere_nor_others_on_the_same_address(client, staff, head):
    for _ in range(5):
        _fail_sign_in(client, staff.username, "10.0.0.1")
    elsewhere = client.post(
        reverse("login"),
        {"username": staff.username, "password": "sandi-rahasia-123"},
        REMOTE_ADDR="10.0.0.2",
    )
    assert elsewhere.status_code == 302
    client.logout()
    neighbour = client.post(
        reverse("login"), {"username": head.username, "password": "sandi-rahasia-123"}, REMOTE_ADDR="10.0.0.1"
    )
    assert neighbour.status_code == 302


@pytest.mark.django_db
def test_history_times_are_shown_in_wib(client, staff, village):
    change = VillageChange.objects.create(village=village, action="contacts", details="x")
    VillageChange.objects.filter(pk=change.pk).update(at=dt.datetime(2019, 1, 10, 3, 0, tzinfo=dt.UTC))
    client.force_login(staff)
    response = client.get(reverse("villages:detail", args=[village.pk]))
    assert "10-01-2019 10.00" in response.content.decode()


def test_dates_read_as_indonesians_write_them():
    with translation.override("id"):
        rendered = Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": dt.date(2019, 1, 10)}))
    assert rendered == "Kamis, 10 Januari 2019"


@pytest.mark.django_db
def test_the_interface_speaks_indonesian_by_default_and_english_on_request(client):
    assert "Masuk" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_health_check_answers_without_sign_in_and_reports_a_missing_beat(client):
    data = client.get(reverse("home:health")).json()
    assert data["database"] == "ok"
    assert data["beat"] == "missing"

"""Real services for the tests that need them: Chromium, Redis. Skipped on a bare machine, failed under CI."""

import os
from pathlib import Path

import pytest
import redis
from django.db import connection
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI (.ci/run installs and starts it)")
    pytest.skip(f"{what} is not available here")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        _missing("Debian's Chromium (/usr/bin/chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "locale": "id-ID",
        "timezone_id": "Asia/Jakarta",
    }


@pytest.fixture
def csp_violations(page: Page) -> list[str]:
    """What Chromium's console says the Content Security Policy refused; a browser test ends with it empty."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL")
    if not url:
        _missing("Redis (REDIS_URL)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        _missing(f"Redis at {url}")
    return url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Close what the live server's request threads may have left open, so the test database can be dropped.

    A page that Chromium was still loading when a browser test ended keeps its server thread, and that
    thread's PostgreSQL connection, alive past the test.
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )

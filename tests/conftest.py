"""Real services for the tests that need them: Chromium, Redis. Skipped on a bare machine, failed under CI."""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.db import connection
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# Seconds a test waits for something to happen: generous for a loaded 2-core machine.
DEADLINE = 30.0
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


def wait_until(condition: Callable[[], bool], what: Callable[[], str] = lambda: "", timeout=DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout:.0f} s: {what()}")
        time.sleep(0.05)


def _answers(url: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=0.5) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(tmp_path) -> Iterator[tuple[str, Callable[[bool], None]]]:
    """A redis-server of this test's own on a free port: its URL, and a switch to stop (False) and start
    (True) it, for tests of what happens while Redis is down."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        _missing("redis-server (to stop and start a Redis of the test's own)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    process: list[subprocess.Popen] = []

    def running(up: bool) -> None:
        if not up:
            stopped = process.pop()
            stopped.terminate()
            stopped.wait(10)  # until it is gone: a dying server may still take one more message
            return
        command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.append(subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL))
        wait_until(lambda: _answers(url), what=lambda: f"redis-server on port {port}")

    running(True)
    try:
        yield url, running
    finally:
        for leftover in process:
            leftover.terminate()
            leftover.wait(10)

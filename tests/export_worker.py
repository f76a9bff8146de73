"""A Celery worker for tests/test_exports_worker.py, in a process of its own so that a test can kill it mid-job:
the app's own worker, with one more export kind, "slow_rows", whose rows come slowly (SLOW_ROWS rows, one each
SLOW_DELAY seconds). Run as `python tests/export_worker.py` with DJANGO_ENV=test, the test's database
(DATABASE_URL), broker (REDIS_URL) and export folder (EXPORT_ROOT)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kim.settings")

import django

django.setup()

from kim.celery import app  # noqa: E402
from kim.downloads import registry  # noqa: E402

SLOW = "slow_rows"


def slow_rows(user, params) -> registry.Rows:
    count = int(os.environ.get("SLOW_ROWS", "3000"))
    delay = float(os.environ.get("SLOW_DELAY", "0.002"))

    def lines():
        for number in range(1, count + 1):
            time.sleep(delay)
            yield [number, f"baris {number}"]

    return registry.Rows(["Nomor", "Teks"], lines(), total=count)


def register() -> None:
    registry.register(
        registry.ExportKind(
            name=SLOW,
            label="Baris lambat",
            may_export=lambda user: user.has_role,
            read_params=lambda query, user: {},
            filename=lambda params: "lambat",
            rows=slow_rows,
        )
    )


if __name__ == "__main__":
    register()
    app.worker_main(["worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle"])

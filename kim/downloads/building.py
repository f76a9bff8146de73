"""Building an export's file on the worker, and the sweep that keeps jobs moving.

Nothing asked for is lost and nothing is built twice:
- the job row is saved before anything is queued, and queued once its transaction has committed; if the
  broker cannot be reached, the row stays waiting with no `sent_at`, and the beat's sweep sends it again;
- the worker claims a waiting job (a conditional UPDATE) before it builds: a message delivered twice, or a job
  sent again by the sweep while its first message is still in the queue, is built once;
- while it builds, the worker stamps `heartbeat_at` with its progress (and from a thread of the build's own
  every third of the stuck delay, for a long step that reports none), each stamp conditional on the job still
  being its own (running, with the attempt it claimed): a job whose worker died (its heartbeat older than
  EXPORT_STUCK_AFTER_SECONDS) is given back to the queue by the sweep, up to EXPORT_MAX_ATTEMPTS builds, and is
  then marked failed with the reason; a worker that comes back to life after that stops at its next stamp;
- a build that raises is marked failed with a reason in plain words; the file is written under a temporary
  name and renamed once complete, so that no half-written file is ever served;
- the file is kept EXPORT_KEEP_DAYS days; the sweep then deletes it and marks the job expired;
- the half-written file of a build whose worker was killed stays under its temporary name: the sweep deletes
  it once it is older than any build may last (EXPORT_TIME_LIMIT_SECONDS + EXPORT_STUCK_AFTER_SECONDS).

The same ideas as the reminders' outbox (kim.reminders.sending): claim before work, a stuck delay, bounded
attempts.
"""

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kim.downloads import registry, storage, writers
from kim.downloads.models import ExportJob
from kim.reminders import plan

logger = logging.getLogger(__name__)

State = ExportJob.State
# The row count is written every this many rows; a build's own progress at most this often (seconds).
PROGRESS_EVERY_ROWS = 500
PROGRESS_EVERY_SECONDS = 1.0
BATCH = 200


class Lost(Exception):
    """The job is no longer this build's (the sweep gave it back to the queue, or marked it failed)."""


def claim(job_id: int) -> int | None:
    """Take a waiting job for this build; return the attempt it is, or None if it is not waiting."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        progress=0,
        rows_done=0,
        error="",
    )
    if not claimed:
        return None
    return ExportJob.objects.values_list("attempts", flat=True).get(pk=job_id)


class Progress:
    """What the build writes as it goes: the percentage, the rows, the heartbeat; each write conditional on the
    job still being this build's."""

    def __init__(self, job: ExportJob, attempt: int):
        self.job = job
        self.attempt = attempt
        self.total: int | None = None
        self.done = 0
        self.last_write = time.monotonic()
        self.last_percent = -1

    def _mine(self):
        return ExportJob.objects.filter(pk=self.job.pk, state=State.RUNNING, attempts=self.attempt)

    def write(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        percent = min(99, done * 100 // total) if total else 0
        updated = self._mine().update(
            progress=percent, rows_done=done, rows_total=total, heartbeat_at=timezone.now()
        )
        if not updated:
            raise Lost
        self.last_write = time.monotonic()
        self.last_percent = percent

    def rows(self, done: int) -> None:
        self.done = done
        if done % PROGRESS_EVERY_ROWS == 0:
            self.write(done, self.total)

    def callback(self, done: int, total: int | None = None) -> None:
        """For a kind that builds its own file: called as often as it likes, written when worth it."""
        percent = min(99, done * 100 // total) if total else 0
        if time.monotonic() - self.last_write >= PROGRESS_EVERY_SECONDS or (
            percent != self.last_percent and time.monotonic() - self.last_write >= 0.2
        ):
            self.write(done, total)


class Pulse:
    """While a build runs, its heartbeat is also stamped from a thread of its own, every third of the stuck
    delay: a long step that reports no progress (WeasyPrint laying out a long PDF, a slow query) is not taken
    for a dead worker and built again. The thread dies with the worker's process, so a killed worker's job
    still goes stale and is given back; and it stops stamping once the build has run longer than any build
    may (EXPORT_TIME_LIMIT_SECONDS), so that a build hung where no time limit reaches it (a solo worker) is
    given back too, never left running. Each stamp is conditional on the job still being this build's."""

    def __init__(self, job_id: int, attempt: int):
        self.job_id, self.attempt = job_id, attempt
        self.every = max(1.0, settings.EXPORT_STUCK_AFTER_SECONDS / 3)
        self.until = time.monotonic() + settings.EXPORT_TIME_LIMIT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"export-{job_id}-pulse", daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(self.every) and time.monotonic() < self.until:
                try:
                    ExportJob.objects.filter(
                        pk=self.job_id, state=State.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # the build itself goes on; its own progress stamps the heartbeat too
                    logger.warning("Export %s: heartbeat not stamped", self.job_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connection, if it opened one

    def __enter__(self) -> "Pulse":
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join(timeout=30)


def run(job_id: int) -> str:
    """Build one job if this call wins its claim; return what happened (for logs and tests)."""
    attempt = claim(job_id)
    if attempt is None:
        return "not claimed"
    job = ExportJob.objects.select_related("owner").get(pk=job_id)
    progress = Progress(job, attempt)
    name = f"{job.owner_id}/{uuid4().hex}.{job.file_format}"
    path = Path(storage.exports().path(name))
    partial = path.with_name(path.name + ".part")
    language = job.language or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            kind = _checked_kind(job)
            partial.parent.mkdir(parents=True, exist_ok=True)
            with open(partial, "wb") as output, Pulse(job.pk, attempt):
                _build(kind, job, output, progress)
            os.replace(partial, path)
    except Lost:
        _discard(partial, path)
        logger.warning("Export %s: attempt %s was taken back while it built", job_id, attempt)
        return "lost"
    except registry.ExportFailed as error:
        _discard(partial, path)
        return _fail(job, attempt, str(error))
    except SoftTimeLimitExceeded:
        _discard(partial, path)
        with translation.override(language):
            reason = _("The file took too long to build. Narrow the list with its filters and start again.")
        return _fail(job, attempt, reason)
    except Exception:
        _discard(partial, path)
        logger.exception("Export %s (%s) failed", job_id, job.kind)
        with translation.override(language):
            reason = _(
                "Something went wrong while the file was being built. Start it again; if it fails again, "
                "tell the Dinkominfo staff."
            )
        return _fail(job, attempt, reason)
    try:
        return _finish(job, progress, name, path)
    except Exception:
        # The job stays running (the sweep gives it back once its heartbeat is old): its file, which no job
        # names, would otherwise be left behind.
        _discard(path)
        raise


def _checked_kind(job: ExportJob) -> registry.ExportKind:
    kind = registry.find(job.kind)
    if kind is None or job.file_format not in kind.formats:
        raise registry.ExportFailed(_("This export is no longer offered."))
    # The access check of the list, asked again: the person's role may have changed since they asked.
    if not job.owner.is_active or not kind.may_export(job.owner):
        raise registry.ExportFailed(_("Your account may no longer download this list."))
    return kind


def _build(kind: registry.ExportKind, job: ExportJob, output, progress: Progress) -> None:
    if kind.build is not None:
        kind.build(job, output, progress.callback)
        return
    assert kind.rows is not None
    found = kind.rows(job.owner, job.params)
    progress.total = found.total
    progress.write(0, found.total)
    if job.file_format == "xlsx":
        if found.total >= writers.XLSX_MAX_ROWS:
            raise writers.too_many_rows()  # said at once, rather than after writing a sheet's worth
        sheet = str(found.sheet or kind.label)
        writers.write_xlsx(output, sheet, found.header, found.rows, progress.rows)
    else:
        writers.write_csv(output, found.header, found.rows, progress.rows)


def _discard(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            logger.exception("Could not delete %s", path)


def _finish(job: ExportJob, progress: Progress, name: str, path: Path) -> str:
    now = timezone.now()
    size = path.stat().st_size
    with transaction.atomic():
        done = progress._mine().update(
            state=State.DONE,
            progress=100,
            rows_done=progress.done,
            rows_total=progress.total,
            file=name,
            size=size,
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
        )
        if not done:
            transaction.on_commit(lambda: _discard(path), robust=True)
            return "lost"
        # The "file ready" message in the owner's inbox (kim.downloads.reminders), planned in the same
        # transaction as the job's end, so that it is planned exactly once.
        plan(ExportJob.objects.get(pk=job.pk))
    return "done"


def _fail(job: ExportJob, attempt: int, reason: str) -> str:
    ExportJob.objects.filter(pk=job.pk, state=State.RUNNING, attempts=attempt).update(
        state=State.FAILED, error=reason[:500], finished_at=timezone.now()
    )
    return "failed"


# The sweep


def sweep(enqueue: Callable[[int], bool]) -> dict[str, int]:
    """Every minute, from the beat: send again what waits unsent (or sent long ago and never started), give
    back or fail what a dead worker left running, and delete expired files. Return the counts."""
    now = timezone.now()
    counts = {"sent": 0, "given_back": 0, "failed": 0, "expired": 0, "leftovers": 0}
    stuck_before = now - dt.timedelta(seconds=settings.EXPORT_STUCK_AFTER_SECONDS)
    for job_id, attempts, language in list(
        ExportJob.objects.filter(state=State.RUNNING, heartbeat_at__lt=stuck_before).values_list(
            "pk", "attempts", "language"
        )[:BATCH]
    ):
        mine = ExportJob.objects.filter(
            pk=job_id, state=State.RUNNING, attempts=attempts, heartbeat_at__lt=stuck_before
        )
        if attempts >= settings.EXPORT_MAX_ATTEMPTS:
            with translation.override(language or settings.LANGUAGE_CODE):
                reason = _(
                    "The background service stopped %(count)s times while building this file. Start it "
                    "again later; if it stops again, tell the Dinkominfo staff."
                ) % {"count": attempts}
            counts["failed"] += mine.update(state=State.FAILED, error=reason, finished_at=now)
        else:
            counts["given_back"] += mine.update(state=State.QUEUED, sent_at=None, progress=0, rows_done=0)
    resend_before = now - dt.timedelta(seconds=settings.EXPORT_RESEND_AFTER_SECONDS)
    waiting = ExportJob.objects.filter(state=State.QUEUED).filter(
        Q(sent_at__isnull=True) | Q(sent_at__lt=resend_before)
    )
    for job_id in list(waiting.order_by("created_at").values_list("pk", flat=True)[:BATCH]):
        if enqueue(job_id):
            counts["sent"] += 1
        else:
            break  # the broker is down: the next sweep tries again
    counts["expired"] = expire(now)
    counts["leftovers"] = remove_leftovers(now)
    return counts


def expire(now: dt.datetime | None = None) -> int:
    """Delete the files kept past their expiry, and mark their jobs expired."""
    now = now or timezone.now()
    expired = 0
    rows = ExportJob.objects.filter(state=State.DONE, expires_at__lte=now)
    for job_id, name in list(rows.values_list("pk", "file")[:BATCH]):
        if ExportJob.objects.filter(pk=job_id, state=State.DONE).update(state=State.EXPIRED, file=""):
            expired += 1
            if name:
                storage.delete(name)
    return expired


def remove_leftovers(now: dt.datetime | None = None) -> int:
    """Delete the half-written files of builds that ended without cleaning up (a worker killed mid-build): a
    ".part" file older than the longest a build may take plus the delay after which its job is given back
    belongs to no build still running. Return how many were deleted."""
    now = now or timezone.now()
    before = (
        now - dt.timedelta(seconds=settings.EXPORT_TIME_LIMIT_SECONDS + settings.EXPORT_STUCK_AFTER_SECONDS)
    ).timestamp()
    removed = 0
    for partial in Path(settings.EXPORT_ROOT).glob("*/*.part"):
        try:
            if partial.stat().st_mtime < before:
                partial.unlink()
                removed += 1
        except FileNotFoundError:
            continue  # gone meanwhile
        except OSError:
            logger.exception("Could not delete %s", partial)
    return removed

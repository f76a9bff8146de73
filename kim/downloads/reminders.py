"""The "file ready" message: a reminder about an export job, to the person who asked for it.

Why a reminder rather than a row written straight into the inbox: the inbox IS the reminders' outbox (a
Reminder on the inbox channel, kim.reminders), so this is the one way a message reaches it that the inbox, the
email and WhatsApp channels, the person's notification choices and the staff's rule pages all know. The job
is a subject kind ("export:12") with one audience (who asked), and "export_ready" a trigger whose moment is the
job's end; it is on_change, so it is planned only when a job is marked done (kim.downloads.building._finish
calls plan() in the transaction that marks it), never by a rule sweep looking ahead. Exactly once: the outbox
keeps one row per rule, subject, recipient, channel and occurrence (a unique constraint), and the occurrence
is the job's end. A default rule (migration 0017) sends it at once; staff may rename it or turn it off.
"""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kim.downloads.models import ExportJob
from kim.reminders import recipients, registry
from kim.reminders.registry import Moment

REQUESTER = registry.register_audience("requester", gettext_lazy("the person who asked for the file"))
EXPORT_READY = "export_ready"


def _load(ids: list[int]) -> dict[int, ExportJob]:
    return {job.pk: job for job in ExportJob.objects.filter(pk__in=ids).select_related("owner")}


def _requesters(jobs: list[ExportJob]) -> dict[int, list[registry.Recipient]]:
    return {job.pk: [recipients.account(job.owner)] for job in jobs if job.owner.is_active}


registry.register_kind(
    registry.SubjectKind(name="export", model=ExportJob, load=_load, audiences={REQUESTER: _requesters})
)


def _ready_moment(job: ExportJob, now: dt.datetime) -> Moment | None:
    if job.state != ExportJob.State.DONE or job.finished_at is None:
        return None
    return Moment(job.finished_at, f"job{job.pk}")


def _ready_message(row, job: ExportJob) -> tuple[str, str, str]:
    title = _("File ready: %(title)s") % {"title": job.title}
    lines = [
        _("The file you asked for is ready to download: %(name)s.") % {"name": job.download_name},
    ]
    if job.summary:
        lines.append(_("Filters: %(filters)s") % {"filters": job.summary})
    lines.append(_("It is kept until %(date)s.") % {"date": _date(job.expires_at)})
    return title, "\n".join(lines), job.get_absolute_url()


def _date(moment: dt.datetime | None) -> str:
    if moment is None:
        return "-"
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") + " WIB"


registry.register_trigger(
    registry.Trigger(
        value=EXPORT_READY,
        label=gettext_lazy("A file asked for on the Downloads page is ready"),
        kind="export",
        audiences=(REQUESTER,),
        moment=_ready_moment,
        compose=_ready_message,
        on_change=True,
    )
)

"""What the Downloads pages read: a person's own jobs, and nobody else's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from kim.downloads.models import ExportJob


def jobs_of(user) -> QuerySet[ExportJob]:
    """The person's own export jobs, newest first (one index: owner, created_at)."""
    return ExportJob.objects.filter(owner=user).order_by("-created_at", "-id")


def job_of(user, job_id: int) -> ExportJob:
    """One of the person's own jobs; another person's is a 404, as if it did not exist."""
    return get_object_or_404(ExportJob, pk=job_id, owner=user)


def waits_for_service(job: ExportJob) -> bool:
    """Still waiting, and never handed to the background service (its broker was down when it was asked for,
    or a worker died with it): it starts once the service is back."""
    return job.state == ExportJob.State.QUEUED and job.sent_at is None


def status(job: ExportJob) -> dict:
    """The job's state for the progress page's script (and anyone polling)."""
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "progress": job.progress,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "live": job.is_live,
        "waits_for_service": waits_for_service(job),
        "error": job.error,
    }

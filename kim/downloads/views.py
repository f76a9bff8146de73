"""The Downloads pages: starting an export from a list, following its progress, and fetching its file."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kim.accounts.access import leader_may_post, reader_required
from kim.downloads import registry, selectors, services, storage
from kim.downloads.models import ExportJob
from kim.lib.pagination import ListPaginator

PAGE_SIZE = 25
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@require_GET
@reader_required
def job_list(request):
    page = ListPaginator(selectors.jobs_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "kim/downloads/job_list.html", {"page": page})


@require_POST
@reader_required
@leader_may_post
def export_start(request, kind_name: str, file_format: str):
    """A list's download button: the list's filters come in the query string."""
    try:
        asked = services.export_request(
            user=request.user, kind_name=kind_name, file_format=file_format, query=request.GET
        )
    except registry.InvalidParams as error:
        messages.error(request, str(error))
        kind = registry.kind(kind_name)
        return redirect(kind.list_url or "downloads:list")
    job = asked.job
    if not asked.created:
        messages.info(request, _("The same file is already being prepared: here it is."))
    elif selectors.waits_for_service(ExportJob.objects.get(pk=job.pk)):
        messages.warning(request, _service_down_message())
    return redirect(job)


def _service_down_message() -> str:
    return _(
        "The export is recorded, but the background service is not running right now. It will start by "
        "itself as soon as the service is back; nothing is lost. You may close this page."
    )


@require_GET
@reader_required
def job_detail(request, job_id: int):
    job = selectors.job_of(request.user, job_id)
    kind = registry.find(job.kind)
    return render(
        request,
        "kim/downloads/job_detail.html",
        {
            "job": job,
            "list_url": kind.list_url if kind else "",
            "waits_for_service": selectors.waits_for_service(job),
            "service_down_message": _service_down_message(),
        },
    )


@require_GET
@reader_required
def job_status(request, job_id: int):
    job = selectors.job_of(request.user, job_id)
    response = JsonResponse(selectors.status(job))
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_GET
@reader_required
def job_file(request, job_id: int):
    """The file, for the person who asked only, and only while the list's access check still lets them in."""
    job = selectors.job_of(request.user, job_id)
    if not job.is_done or not job.file:
        raise Http404
    services.checked_kind(request.user, job.kind, job.file_format)  # 403 if the person may no longer
    try:
        handle = storage.exports().open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type=CONTENT_TYPES[job.file_format]
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@reader_required
@leader_may_post
def job_retry(request, job_id: int):
    """Start a failed or expired export again, with the same filters."""
    job = selectors.job_of(request.user, job_id)
    if job.is_live or job.is_done:
        return redirect(job)
    asked = services.export_again(job=job)
    if asked.created and selectors.waits_for_service(ExportJob.objects.get(pk=asked.job.pk)):
        messages.warning(request, _service_down_message())
    return redirect(asked.job)

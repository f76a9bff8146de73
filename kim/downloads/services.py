"""Asking for an export, and asking again after a failure."""

import hashlib
import json
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, QueryDict
from django.utils import translation

from kim.downloads import registry, tasks
from kim.downloads.models import ExportJob

State = ExportJob.State


@dataclass(frozen=True)
class Asked:
    job: ExportJob
    created: bool  # False: the same export was already waiting or running, and is reused


def params_key(params: dict, language: str) -> str:
    """The fingerprint two requests for the same file share: the params, and the language it is written in."""
    text = json.dumps([params, language], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def checked_kind(user, kind_name: str, file_format: str) -> registry.ExportKind:
    """The kind asked for: a 404 for one that is not offered (or not in this format), a 403 for a person the
    list's own access check refuses."""
    kind = registry.find(kind_name)
    if kind is None or file_format not in kind.formats:
        raise Http404
    if not kind.may_export(user):
        raise PermissionDenied
    return kind


def export_request(*, user, kind_name: str, file_format: str, query: QueryDict) -> Asked:
    """Create the job (or find the same one still waiting or running) and queue it once this commits.

    Raises Http404, PermissionDenied, or registry.InvalidParams with a message for the person."""
    kind = checked_kind(user, kind_name, file_format)
    params = kind.read_params(query, user)
    return _create_or_reuse(
        user,
        kind,
        file_format,
        params,
        summary=str(kind.describe(params, user)),
        filename=kind.filename(params),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def export_again(*, job: ExportJob) -> Asked:
    """A failed (or expired) job asked for again: a new job with the same kind, format and filters (checked
    as the first was), unless the same one is already waiting or running."""
    kind = checked_kind(job.owner, job.kind, job.file_format)
    return _create_or_reuse(
        job.owner,
        kind,
        job.file_format,
        job.params,
        summary=job.summary,
        filename=job.filename,
        language=job.language or settings.LANGUAGE_CODE,
    )


def _create_or_reuse(
    owner,
    kind: registry.ExportKind,
    file_format: str,
    params: dict,
    *,
    summary: str,
    filename: str,
    language: str,
) -> Asked:
    key = params_key(params, language)
    live = ExportJob.objects.filter(
        owner=owner, kind=kind.name, file_format=file_format, params_key=key, state__in=ExportJob.LIVE_STATES
    )
    with transaction.atomic():
        found = live.first()
        if found is not None:
            return Asked(found, created=False)
        try:
            # A savepoint: two clicks at once both get here, the partial unique constraint lets one through,
            # and the other reuses its job.
            with transaction.atomic():
                job = ExportJob.objects.create(
                    owner=owner,
                    kind=kind.name,
                    file_format=file_format,
                    params=params,
                    params_key=key,
                    title=str(kind.label)[:200],
                    summary=summary[:500],
                    filename=filename[:150],
                    language=language[:10],
                )
        except IntegrityError:
            found = live.first()
            if found is None:
                raise
            return Asked(found, created=False)
        # Queued once the row is committed, so that the worker finds it; if the broker is down the row
        # stands, unsent, and the beat's sweep sends it later.
        transaction.on_commit(partial(tasks.enqueue, job.pk))
    return Asked(job, created=True)

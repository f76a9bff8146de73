"""The Downloads rows of the central permission matrix (tests/test_permissions.py): (page, method, url builder
taking the objects fixture, expected status per persona).

Everyone signed in with a role has a Downloads page and may export what their lists show (a formation list:
not an officer). A job, its progress and its file are the asking person's alone: anyone else with a role,
staff and administrators included, gets 404 (they do not learn it exists). Here staff asked for both jobs.
An account without a role gets 403 on all of them."""

from django.core.files.base import ContentFile
from django.urls import reverse

from kim.downloads import storage
from kim.downloads.models import ExportJob
from tests.expectations import PERSONAS
from tests.permissions_inbox import SIGNED_IN, SIGNED_IN_ACTION

OWNER_ONLY = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "staff": 200, "no_role": 403}
OWNER_ACTION = {**OWNER_ONLY, "staff": 302}
FORMATION_EXPORTERS = {**SIGNED_IN_ACTION, "officer": 403, "other_officer": 403}


def _job(objects: dict, state: str) -> int:
    """Staff's export job in this state (a finished one with its file), made on first use."""
    owner = objects["staff"]
    job, created = ExportJob.objects.get_or_create(
        owner=owner,
        kind="villages",
        file_format="csv",
        params_key=state,
        defaults={"state": state, "title": "Desa", "filename": "desa-2019"},
    )
    if created and state == ExportJob.State.DONE:
        job.file = storage.exports().save(f"{owner.pk}/matrix.csv", ContentFile(b"\xef\xbb\xbfKode\n"))
        job.save(update_fields=["file"])
    return job.pk


DOWNLOAD_PAGES = [
    ("downloads", "get", lambda o: reverse("downloads:list"), SIGNED_IN),
    ("downloads, second page", "get", lambda o: reverse("downloads:list") + "?page=2", SIGNED_IN),
    (
        "export start, villages",
        "post",
        lambda o: reverse("downloads:start", args=["villages", "csv"]) + "?year=2019",
        SIGNED_IN_ACTION,
    ),
    (
        "export start, formations",
        "post",
        lambda o: reverse("downloads:start", args=["formations", "xlsx"]),
        FORMATION_EXPORTERS,
    ),
    ("export job", "get", lambda o: reverse("downloads:job", args=[_job(o, "done")]), OWNER_ONLY),
    ("export job, running", "get", lambda o: reverse("downloads:job", args=[_job(o, "running")]), OWNER_ONLY),
    ("export progress", "get", lambda o: reverse("downloads:status", args=[_job(o, "running")]), OWNER_ONLY),
    ("export file", "get", lambda o: reverse("downloads:file", args=[_job(o, "done")]), OWNER_ONLY),
    (
        "export start again",
        "post",
        lambda o: reverse("downloads:retry", args=[_job(o, "failed")]),
        OWNER_ACTION,
    ),
]

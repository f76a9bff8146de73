"""Exports as background jobs: asked for from a list, reused while the same one is under way, built once by the
worker (here in the test's own process, as kim.downloads.building.run), served only to the person who asked
while the list's access check still lets them in, kept for EXPORT_KEEP_DAYS days, and never lost or left
running when the broker or a worker fails."""

import datetime as dt
import os
import tempfile
import time
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kim.accounts.models import Role
from kim.downloads import building, registry, services, tasks
from kim.downloads.models import ExportJob
from kim.reminders.models import Reminder
from tests.exporting import content, csv_rows, job_id_of, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "reminder_rules")]

State = ExportJob.State


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The jobs handed to the broker (none really is: the test builds them itself)."""
    handed: list[int] = []
    monkeypatch.setattr(tasks.run_export, "apply_async", lambda args, **kwargs: handed.append(args[0]))
    return handed


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_export, "apply_async", refuse)


@pytest.fixture
def villages_in_scope(settings, village, other_village):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    return [village, other_village]


def _kind(name: str, **kwargs) -> registry.ExportKind:
    defaults = {
        "label": "Test rows",
        "may_export": lambda user: user.has_role,
        "read_params": lambda query, user: registry.query_params(query, ["n"]),
        "filename": lambda params: "test",
    }
    return registry.ExportKind(name=name, **{**defaults, **kwargs})


@pytest.fixture
def test_kind():
    """A kind of the test's own: `build` writes its own file."""
    registered: list[str] = []

    def register(name: str = "test", **kwargs) -> registry.ExportKind:
        registered.append(name)
        return registry.register(_kind(name, **kwargs))

    yield register
    for name in registered:
        registry.unregister(name)


def _ask(client, kind="villages", file_format="csv", query=None, django_capture_on_commit_callbacks=None):
    return start(client, kind, file_format, query)


# Asking for an export


def test_a_download_button_saves_the_job_queues_it_after_the_commit_and_opens_its_page(
    client, staff, villages_in_scope, sent, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, "villages", "xlsx", {"year": "2019", "red_zone": "yes", "page": "3"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("downloads:job", args=[job.pk])
    assert (job.owner, job.kind, job.file_format, job.state) == (staff, "villages", "xlsx", State.QUEUED)
    assert job.params == {"red_zone": ["yes"], "year": ["2019"]}  # the list's filters, not its page
    assert job.summary == "Year: 2019; Zona merah: Yes"
    assert (job.title, job.filename, job.language) == ("Villages", "desa-2019", "en")
    assert sent == [job.pk]
    assert job.sent_at is not None and job.rows_total is None


def test_two_clicks_on_the_same_export_with_the_same_filters_reuse_one_job(
    client, staff, villages_in_scope, sent
):
    client.force_login(staff)
    first = job_id_of(start(client, "villages", "csv", {"year": "2019", "district": "33.03.04"}))
    again = start(client, "villages", "csv", {"district": "33.03.04", "year": "2019", "page": "2"})
    assert job_id_of(again) == first
    assert "already being prepared" in client.get(again["Location"]).content.decode()
    # Another format, other filters: other files.
    assert job_id_of(start(client, "villages", "xlsx", {"year": "2019", "district": "33.03.04"})) != first
    assert job_id_of(start(client, "villages", "csv", {"year": "2020", "district": "33.03.04"})) != first
    assert ExportJob.objects.count() == 3


def test_a_job_is_reused_only_while_it_waits_or_runs(client, staff, villages_in_scope, sent):
    client.force_login(staff)
    first = job_id_of(start(client, "villages", "csv"))
    ExportJob.objects.filter(pk=first).update(state=State.RUNNING)
    assert job_id_of(start(client, "villages", "csv")) == first
    assert building.run(first) == "not claimed"  # running already: only its own build may finish it
    ExportJob.objects.filter(pk=first).update(state=State.QUEUED)
    assert building.run(first) == "done"
    assert job_id_of(start(client, "villages", "csv")) != first


def test_two_people_asking_for_the_same_export_get_a_job_each(client, staff, leader, villages_in_scope, sent):
    client.force_login(staff)
    mine = job_id_of(start(client, "villages", "csv"))
    client.force_login(leader)
    assert job_id_of(start(client, "villages", "csv")) != mine


def test_the_database_holds_one_waiting_or_running_job_per_person_export_format_and_filters(staff):
    fields = {"owner": staff, "kind": "villages", "file_format": "csv", "params_key": "k", "title": "Desa"}
    ExportJob.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(**fields, state=State.RUNNING)
    ExportJob.objects.create(**fields, state=State.DONE)  # finished ones are history: any number
    ExportJob.objects.create(**fields, state=State.FAILED)


def test_a_click_that_loses_the_race_to_create_the_job_reuses_the_winners(
    staff, villages_in_scope, sent, monkeypatch
):
    winner = services.export_request(user=staff, kind_name="villages", file_format="csv", query={}).job
    original = ExportJob.objects.filter(pk=winner.pk).__class__.first
    calls = []

    def first_sees_nothing_the_first_time(queryset):
        calls.append(1)
        return None if len(calls) == 1 else original(queryset)

    monkeypatch.setattr(type(ExportJob.objects.all()), "first", first_sees_nothing_the_first_time)
    asked = services.export_request(user=staff, kind_name="villages", file_format="csv", query={})
    assert (asked.job, asked.created) == (winner, False)
    assert ExportJob.objects.count() == 1


def test_filters_the_list_would_refuse_are_refused_with_a_message_and_nothing_is_saved(
    client, staff, villages_in_scope, sent
):
    client.force_login(staff)
    response = start(client, "villages", "csv", {"year": "1800"})
    assert response["Location"] == reverse("villages:list")
    assert "filters before downloading: Year:" in client.get(response["Location"]).content.decode()
    assert not ExportJob.objects.exists()


def test_an_unknown_export_or_format_is_a_404_and_a_get_is_refused(client, staff, sent):
    client.force_login(staff)
    assert start(client, "nothing", "csv").status_code == 404
    assert start(client, "villages", "pdf").status_code == 404
    assert client.get(reverse("downloads:start", args=["villages", "csv"])).status_code == 405


def test_who_may_not_read_a_list_may_not_export_it(client, officer, sent):
    client.force_login(officer)  # officers do not follow formations
    assert start(client, "formations", "csv").status_code == 403
    assert not ExportJob.objects.exists()


def test_a_leader_starts_an_export_of_what_staff_read(client, leader, staff, villages_in_scope, sent):
    client.force_login(leader)
    for kind in ("villages", "kims", "formations", "sessions"):
        job = ExportJob.objects.get(pk=job_id_of(start(client, kind, "xlsx")))
        assert building.run(job.pk) == "done"
        assert client.get(reverse("downloads:file", args=[job.pk])).status_code == 200


# When the broker is down


def test_with_the_broker_down_the_job_is_kept_and_the_page_says_it_will_start_when_the_service_is_back(
    client, staff, villages_in_scope, broker_down, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, "villages", "csv")
    job = ExportJob.objects.get()
    assert (job.state, job.sent_at) == (State.QUEUED, None)
    page = client.get(response["Location"]).content.decode()
    assert "the background service is not running right now" in page
    assert "nothing is lost" in page


def test_the_sweep_sends_what_the_broker_never_took_and_again_what_waited_too_long(staff, settings):
    never = ExportJob.objects.create(owner=staff, kind="villages", file_format="csv", params_key="a")
    recent = ExportJob.objects.create(
        owner=staff, kind="villages", file_format="xlsx", params_key="a", sent_at=timezone.now()
    )
    long_ago = timezone.now() - dt.timedelta(seconds=settings.EXPORT_RESEND_AFTER_SECONDS + 1)
    waited = ExportJob.objects.create(
        owner=staff, kind="kims", file_format="csv", params_key="a", sent_at=long_ago
    )
    handed: list[int] = []
    counts = building.sweep(lambda job_id: handed.append(job_id) or True)
    assert sorted(handed) == sorted([never.pk, waited.pk])
    assert counts["sent"] == 2
    assert recent.pk not in handed


def test_the_sweep_stops_sending_for_this_minute_once_the_broker_refuses(staff):
    for fmt in ("csv", "xlsx"):
        ExportJob.objects.create(owner=staff, kind="villages", file_format=fmt, params_key="a")
    tried: list[int] = []
    assert building.sweep(lambda job_id: tried.append(job_id) and False)["sent"] == 0
    assert len(tried) == 1
    assert ExportJob.objects.filter(state=State.QUEUED, sent_at=None).count() == 2


def test_enqueue_reports_a_broker_that_is_down_and_leaves_the_job_waiting(staff, broker_down):
    job = ExportJob.objects.create(owner=staff, kind="villages", file_format="csv", params_key="a")
    assert tasks.enqueue(job.pk) is False
    job.refresh_from_db()
    assert (job.state, job.sent_at) == (State.QUEUED, None)


# Building


def test_a_build_writes_the_file_outside_the_media_with_its_size_expiry_and_one_inbox_message(
    client, staff, villages_in_scope, sent, settings, export_files, media
):
    settings.EXPORT_KEEP_DAYS = 3
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    assert building.run(job_id) == "done"
    job = ExportJob.objects.get(pk=job_id)
    assert (job.state, job.progress, job.rows_done, job.rows_total) == (State.DONE, 100, 2, 2)
    stored = Path(export_files) / job.file
    assert stored.is_file() and job.size == stored.stat().st_size
    assert not any(Path(media).rglob("*.csv"))
    assert job.expires_at == job.finished_at + dt.timedelta(days=3)

    message = Reminder.objects.get(trigger="export_ready", channel="inbox")
    assert (message.user, message.channel, message.subject) == (staff, "inbox", f"export:{job.pk}")
    # Planned again (a sweep, a second call): still one message.
    from kim.reminders import plan

    plan(job)
    assert Reminder.objects.filter(trigger="export_ready", channel="inbox").count() == 1
    assert building.run(job_id) == "not claimed"


def test_the_file_ready_message_reads_well_and_links_to_the_job(client, staff, villages_in_scope, sent):
    from kim.downloads.reminders import _ready_message

    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv", {"year": "2019"}))
    building.run(job_id)
    job = ExportJob.objects.get(pk=job_id)
    title, body, url = _ready_message(None, job)
    assert title == "File ready: Villages"
    assert "desa-2019.csv" in body and "Filters: Year: 2019" in body and "kept until" in body
    assert url == reverse("downloads:job", args=[job_id])


def test_the_rows_are_those_the_owner_may_see_when_the_file_is_built(client, head, villages_in_scope, sent):
    client.force_login(head)
    rows = csv_rows(_built(client, "villages", "csv"))
    assert [row[1] for row in rows[1:]] == ["Selakambang"]


def _built(client, kind, file_format, query=None):
    job_id = job_id_of(start(client, kind, file_format, query))
    assert building.run(job_id) == "done"
    return client.get(reverse("downloads:file", args=[job_id]))


def test_a_role_lost_before_the_build_fails_the_job_with_the_reason(client, head, villages_in_scope, sent):
    client.force_login(head)
    job_id = job_id_of(start(client, "villages", "csv"))
    head.role = ""
    head.save()
    assert building.run(job_id) == "failed"
    assert ExportJob.objects.get(pk=job_id).error == "Your account may no longer download this list."


def test_a_build_that_breaks_is_failed_with_a_plain_reason_and_can_be_started_again(
    client, staff, test_kind, sent, caplog
):
    def broken(job, output, progress):
        raise ZeroDivisionError

    test_kind("broken", build=broken, formats=("xlsx",))
    client.force_login(staff)
    job_id = job_id_of(start(client, "broken", "xlsx", {"n": "1"}))
    assert building.run(job_id) == "failed"
    job = ExportJob.objects.get(pk=job_id)
    assert job.state == State.FAILED and "Something went wrong" in job.error
    assert not list(Path(job.file or ".").glob("*.part"))
    page = client.get(reverse("downloads:job", args=[job_id])).content.decode()
    assert "Something went wrong" in page and reverse("downloads:retry", args=[job_id]) in page

    again = client.post(reverse("downloads:retry", args=[job_id]))
    new_job = ExportJob.objects.get(pk=job_id_of(again))
    assert new_job.pk != job_id
    assert (new_job.state, new_job.params, new_job.file_format) == (State.QUEUED, {"n": ["1"]}, "xlsx")
    # Pressed twice: the same new job.
    assert job_id_of(client.post(reverse("downloads:retry", args=[job_id]))) == new_job.pk


def test_a_kind_may_fail_with_its_own_reason(client, staff, test_kind, sent):
    def refuses(job, output, progress):
        raise registry.ExportFailed("No data recorded for 1990.")

    test_kind("refuses", build=refuses, formats=("pdf",))
    client.force_login(staff)
    job_id = job_id_of(start(client, "refuses", "pdf"))
    building.run(job_id)
    assert ExportJob.objects.get(pk=job_id).error == "No data recorded for 1990."


def test_a_kind_that_writes_its_own_file_reports_progress_and_its_file_is_served(
    client, staff, test_kind, sent, monkeypatch
):
    monkeypatch.setattr(building, "PROGRESS_EVERY_SECONDS", 0)
    seen: list[int] = []

    def pdf(job, output, progress):
        for done in range(1, 5):
            progress(done, 4)
            seen.append(ExportJob.objects.get(pk=job.pk).progress)
        output.write(b"%PDF-1.7 test")

    test_kind("recap_test", build=pdf, formats=("pdf",))
    client.force_login(staff)
    job_id = job_id_of(start(client, "recap_test", "pdf"))
    assert building.run(job_id) == "done"
    assert seen[-1] == 99 and seen == sorted(seen)  # 100 only once the file is complete
    response = client.get(reverse("downloads:file", args=[job_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="test.pdf"'
    assert content(response) == b"%PDF-1.7 test"


def test_progress_is_written_every_few_hundred_rows_while_the_rows_stream(
    client, staff, test_kind, sent, monkeypatch
):
    percents: list[int] = []

    def rows(user, params):
        def lines():
            for n in range(1, 1201):
                if n % 100 == 0:
                    percents.append(ExportJob.objects.get().progress)
                yield [n, f"row {n}"]

        return registry.Rows(["n", "text"], lines(), total=1200)

    test_kind("many", rows=rows)
    client.force_login(staff)
    job_id = job_id_of(start(client, "many", "csv"))
    assert building.run(job_id) == "done"
    assert percents[:5] == [0, 0, 0, 0, 0] and 41 in percents and 83 in percents
    assert len(csv_rows(client.get(reverse("downloads:file", args=[job_id])))) == 1201


def test_a_build_whose_job_was_taken_back_stops_and_keeps_no_file(
    client, staff, test_kind, sent, export_files
):
    def rows(user, params):
        def lines():
            yield [1]
            # Meanwhile the sweep took the job back (this worker was thought dead) and another build won it.
            ExportJob.objects.update(state=State.QUEUED)
            for n in range(2, 1001):
                yield [n]

        return registry.Rows(["n"], lines(), total=1000)

    test_kind("slow", rows=rows)
    client.force_login(staff)
    job_id = job_id_of(start(client, "slow", "csv"))
    assert building.run(job_id) == "lost"
    assert ExportJob.objects.get(pk=job_id).state == State.QUEUED
    assert not [path for path in Path(export_files).rglob("*") if path.is_file()]


# A worker that died


def test_a_job_left_running_by_a_dead_worker_is_given_back_then_failed_after_the_last_attempt(
    staff, settings
):
    settings.EXPORT_MAX_ATTEMPTS = 2
    old = timezone.now() - dt.timedelta(seconds=settings.EXPORT_STUCK_AFTER_SECONDS + 5)
    job = ExportJob.objects.create(
        owner=staff, kind="villages", file_format="csv", params_key="a", language="en"
    )
    fresh = ExportJob.objects.create(owner=staff, kind="kims", file_format="csv", params_key="a")
    assert building.claim(job.pk) == 1 and building.claim(fresh.pk) == 1
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)

    handed: list[int] = []
    counts = building.sweep(lambda job_id: handed.append(job_id) or True)
    job.refresh_from_db()
    assert (counts["given_back"], job.state, handed) == (1, State.QUEUED, [job.pk])
    assert ExportJob.objects.get(pk=fresh.pk).state == State.RUNNING  # its heartbeat is recent

    assert building.claim(job.pk) == 2
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    counts = building.sweep(lambda job_id: True)
    job.refresh_from_db()
    assert (counts["failed"], job.state) == (1, State.FAILED)
    assert "stopped 2 times" in job.error


# Expiry


def test_expired_files_are_deleted_and_their_jobs_marked_expired(
    client, staff, villages_in_scope, sent, export_files
):
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    building.run(job_id)
    job = ExportJob.objects.get(pk=job_id)
    stored = Path(export_files) / job.file
    assert building.expire(job.expires_at - dt.timedelta(seconds=1)) == 0
    assert building.expire(job.expires_at) == 1
    job.refresh_from_db()
    assert (job.state, job.file, stored.exists()) == (State.EXPIRED, "", False)
    assert client.get(reverse("downloads:file", args=[job_id])).status_code == 404
    assert "has been deleted" in client.get(reverse("downloads:job", args=[job_id])).content.decode()


# Who gets what


def test_the_file_goes_only_to_the_person_who_asked_and_is_kept_in_no_cache(
    client, staff, staff_admin, villages_in_scope, sent
):
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    building.run(job_id)
    response = client.get(reverse("downloads:file", args=[job_id]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.force_login(staff_admin)  # staff too, and an administrator: not theirs, so not there
    for name in ("downloads:job", "downloads:status", "downloads:file"):
        assert client.get(reverse(name, args=[job_id])).status_code == 404
    assert client.post(reverse("downloads:retry", args=[job_id])).status_code == 404


def test_a_file_is_refused_once_its_owner_may_no_longer_read_the_list(
    client, head, agency, villages_in_scope, sent
):
    client.force_login(head)
    job_id = job_id_of(start(client, "formations", "csv"))
    building.run(job_id)
    assert client.get(reverse("downloads:file", args=[job_id])).status_code == 200
    head.role, head.village, head.agency = Role.OPD_OFFICER, None, agency  # moved to an agency
    head.save()
    assert client.get(reverse("downloads:file", args=[job_id])).status_code == 403


def test_the_status_url_answers_the_progress_for_the_page_script(
    client, staff, villages_in_scope, sent, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = job_id_of(start(client, "villages", "csv"))
    status = client.get(reverse("downloads:status", args=[job_id])).json()
    assert status | {"id": 0} == {
        "id": 0,
        "state": "queued",
        "state_label": "waiting",
        "progress": 0,
        "rows_done": 0,
        "rows_total": None,
        "live": True,
        "waits_for_service": False,
        "error": "",
    }
    building.run(job_id)
    status = client.get(reverse("downloads:status", args=[job_id])).json()
    assert (status["state"], status["progress"], status["live"]) == ("done", 100, False)


def test_the_job_page_updates_by_a_script_of_its_own_and_without_it_by_a_link(
    client, staff, villages_in_scope, sent
):
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    page = client.get(reverse("downloads:job", args=[job_id])).content.decode()
    assert 'src="/static/js/export_progress.js"' in page
    assert f'data-status-url="{reverse("downloads:status", args=[job_id])}"' in page
    assert f'href="{reverse("downloads:job", args=[job_id])}">Refresh' in page
    assert "<script>" not in page
    building.run(job_id)
    page = client.get(reverse("downloads:job", args=[job_id])).content.decode()
    assert "export_progress.js" not in page
    assert reverse("downloads:file", args=[job_id]) in page


def test_the_downloads_page_lists_the_persons_own_files_with_size_and_expiry(
    client, staff, leader, villages_in_scope, sent
):
    client.force_login(leader)
    job_id_of(start(client, "villages", "csv"))
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv", {"year": "2019"}))
    building.run(job_id)
    response = client.get(reverse("downloads:list"))
    assert [job.pk for job in response.context["page"]] == [job_id]
    page = response.content.decode()
    assert "Year: 2019" in page and "bytes" in page
    assert reverse("downloads:file", args=[job_id]) in page


@pytest.mark.parametrize("count", [3, 30])
def test_the_downloads_page_runs_the_same_number_of_queries_whatever_the_number_of_files(
    client, staff, count, django_assert_num_queries
):
    ExportJob.objects.bulk_create(
        ExportJob(
            owner=staff, kind="villages", file_format="csv", params_key=str(n), title="Desa", state="done"
        )
        for n in range(count)
    )
    client.force_login(staff)
    # the session's user, the navbar's counts, the count and the page of jobs
    with django_assert_num_queries(4):
        client.get(reverse("downloads:list"), {"page": 1})


# What a build leaves behind when it cannot finish


def test_a_build_that_cannot_record_its_end_keeps_no_file_and_leaves_the_job_to_the_sweep(
    client, staff, villages_in_scope, sent, export_files, monkeypatch
):
    def planning_fails(*objects):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(building, "plan", planning_fails)
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "csv"))
    with pytest.raises(RuntimeError):
        building.run(job_id)
    # Still running: the sweep gives it back once its heartbeat is old, and another build writes a new file.
    assert ExportJob.objects.get(pk=job_id).state == State.RUNNING
    assert not [path for path in Path(export_files).rglob("*") if path.is_file()]


def test_the_sweep_deletes_half_written_files_older_than_any_build_may_last(staff, settings, export_files):
    folder = Path(export_files) / str(staff.pk)
    folder.mkdir()
    longest = settings.EXPORT_TIME_LIMIT_SECONDS + settings.EXPORT_STUCK_AFTER_SECONDS
    old = timezone.now().timestamp() - longest - 60
    left = folder / "a1.xlsx.part"  # its worker was killed mid-build
    building_now = folder / "b2.xlsx.part"  # a build still under way
    kept = folder / "c3.xlsx"  # a finished file, deleted only when its job expires
    for path in (left, building_now, kept):
        path.write_bytes(b"x")
    for path in (left, kept):
        os.utime(path, (old, old))

    counts = building.sweep(lambda job_id: True)

    assert counts["leftovers"] == 1
    assert (left.exists(), building_now.exists(), kept.exists()) == (False, True, True)


def test_an_xlsx_build_leaves_its_file_and_nothing_beside_it(
    client, staff, villages_in_scope, sent, export_files, tmp_path_factory, monkeypatch
):
    temporary = tmp_path_factory.mktemp("temporary")
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    client.force_login(staff)
    job_id = job_id_of(start(client, "villages", "xlsx"))
    assert building.run(job_id) == "done"
    job = ExportJob.objects.get(pk=job_id)
    assert [path.name for path in (Path(export_files) / str(staff.pk)).iterdir()] == [Path(job.file).name]
    assert list(temporary.iterdir()) == []


# A long step


@pytest.mark.django_db(transaction=True)
def test_a_long_step_that_reports_no_progress_keeps_its_heartbeat_so_the_job_is_not_given_back(
    client, staff, test_kind, sent, settings
):
    settings.EXPORT_STUCK_AFTER_SECONDS = 3  # a stamp each second
    seen = {}

    def build(job, output, progress):
        started = ExportJob.objects.get(pk=job.pk).heartbeat_at
        time.sleep(4)  # longer than the stuck delay, without a word of progress
        seen["heartbeat"] = ExportJob.objects.get(pk=job.pk).heartbeat_at - started
        seen["sweep"] = building.sweep(lambda job_id: True)
        output.write(b"done")

    test_kind("long", build=build, formats=("pdf",))
    client.force_login(staff)
    job_id = job_id_of(start(client, "long", "pdf"))
    assert building.run(job_id) == "done"
    assert seen["heartbeat"] >= dt.timedelta(seconds=2)
    assert seen["sweep"]["given_back"] == 0


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_of_a_build_stops_once_it_has_run_past_the_time_limit(staff, settings):
    settings.EXPORT_STUCK_AFTER_SECONDS = 3  # a stamp each second
    job = ExportJob.objects.create(owner=staff, kind="villages", file_format="csv", params_key="a")
    attempt = building.claim(job.pk)
    assert attempt == 1

    def stamped_while(seconds: float) -> bool:
        before = ExportJob.objects.get(pk=job.pk).heartbeat_at
        with building.Pulse(job.pk, attempt):
            time.sleep(seconds)
        return ExportJob.objects.get(pk=job.pk).heartbeat_at != before

    assert stamped_while(1.5)
    # A build hung where no time limit reaches it: past EXPORT_TIME_LIMIT_SECONDS its heartbeat goes stale, so
    # that the sweep gives the job back (or marks it failed) rather than leave it running for ever.
    settings.EXPORT_TIME_LIMIT_SECONDS = 0
    assert not stamped_while(1.5)


def test_a_list_longer_than_an_excel_sheet_fails_with_the_reason_rather_than_lose_rows(
    client, staff, test_kind, sent, export_files, monkeypatch
):
    monkeypatch.setattr(building.writers, "XLSX_MAX_ROWS", 4)  # a header and three rows
    counted = {"short": 3, "long": 4, "miscounted": 1}

    def rows(user, params):
        name = params["n"][0]
        lines = [[n] for n in range(counted[name] if name != "miscounted" else 4)]
        return registry.Rows(["n"], iter(lines), total=counted[name])

    test_kind("numbers", rows=rows, read_params=lambda query, user: registry.query_params(query, ["n"]))
    client.force_login(staff)
    states = {}
    for name in counted:
        job_id = job_id_of(start(client, "numbers", "xlsx", {"n": name}))
        building.run(job_id)
        job = ExportJob.objects.get(pk=job_id)
        states[name] = (job.state, job.error)
    assert states["short"] == (State.DONE, "")
    reason = "The list has more rows than an Excel sheet holds (3). Download it as CSV, or narrow it with its filters."
    assert states["long"] == (State.FAILED, reason)
    assert states["miscounted"] == (State.FAILED, reason)
    assert [path.name for path in Path(export_files).rglob("*") if path.is_file()] == [
        Path(ExportJob.objects.get(state=State.DONE).file).name
    ]

"""The beat's daily clean-up of django-axes' rows: every username typed at the sign-in page, made-up ones too,
leaves a failure-log row that nothing else removes."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from kim.accounts import tasks

pytestmark = pytest.mark.django_db


def _fail_sign_in(client, username: str) -> None:
    client.post(reverse("login"), {"username": username, "password": "salah"}, REMOTE_ADDR="198.51.100.66")


def _rows_of_a_failure(username: str, at: dt.datetime) -> None:
    """What axes leaves after a failed sign-in at `at` (written directly: axes itself removes an expired attempt
    only when the next sign-in fails, so a quiet site keeps the last ones)."""
    fields = {"username": username, "ip_address": "198.51.100.66", "user_agent": "", "http_accept": "*/*"}
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **fields)
    AccessFailureLog.objects.create(**fields)
    for model in (AccessAttempt, AccessFailureLog):
        model.objects.filter(username=username).update(attempt_time=at)


def _usernames(model) -> set[str]:
    return set(model.objects.values_list("username", flat=True))


def test_the_beat_runs_the_clean_up_daily_under_its_pinned_name(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == tasks.prune_sign_in_records.name
    )
    assert entry["task"] == "kim.accounts.tasks.prune_sign_in_records"
    assert entry["schedule"] == 24 * 3600


def test_attempts_and_failures_older_than_the_setting_go_and_newer_ones_stay(settings):
    settings.SIGN_IN_RECORDS_KEPT_DAYS = 30
    _rows_of_a_failure("tebakan-lama", dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC))
    _rows_of_a_failure("tebakan-baru", dt.datetime(2026, 1, 20, 9, tzinfo=dt.UTC))
    assert _usernames(AccessAttempt) == _usernames(AccessFailureLog) == {"tebakan-lama", "tebakan-baru"}

    with time_machine.travel(dt.datetime(2026, 2, 5, 9, tzinfo=dt.UTC), tick=False):
        assert tasks.prune_sign_in_records() == 2
        assert tasks.prune_sign_in_records() == 0  # run twice (a beat restarted): nothing more goes

    assert _usernames(AccessAttempt) == _usernames(AccessFailureLog) == {"tebakan-baru"}


def test_failures_the_per_account_rule_still_counts_are_kept_however_short_the_setting(client, settings):
    settings.SIGN_IN_RECORDS_KEPT_DAYS = 0
    settings.SIGN_IN_ACCOUNT_WINDOW = 24 * 3600
    with time_machine.travel(dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC), tick=False):
        _fail_sign_in(client, "kades")
    with time_machine.travel(dt.datetime(2026, 1, 1, 21, tzinfo=dt.UTC), tick=False):
        assert tasks.prune_sign_in_records() == 0
    assert _usernames(AccessFailureLog) == {"kades"}

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from kim.formation.models import Formation, FormationEvent, Target
from kim.lib.admin import ReadOnlyAdminMixin
from kim.lib.history import HistoryEvent
from kim.mentoring.models import Visit
from kim.reminders.models import Heartbeat, Reminder, ReminderRule
from outreach.reports.models import FollowUp, SessionReport
from outreach.sessions.models import Session
from tests.factories import (
    FormationFactory,
    ReminderFactory,
    ResourcePersonFactory,
    SessionFactory,
    TargetFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["session", "resourceperson", "topic", "followup", "sessionreport", "agency"]
)
def test_django_admin_lists_outreach_records_for_a_superuser(admin_client, model):
    SessionFactory()
    ResourcePersonFactory()
    assert admin_client.get(reverse(f"admin:outreach_{model}_changelist")).status_code == 200


def _formation_event():
    return FormationEvent.objects.create(formation=FormationFactory(), kind="done")


def _session_report():
    return SessionReport.objects.create(session=SessionFactory(state="held"))


def _reminder_rule():
    return ReminderRule.objects.create(
        trigger="session_start", name="H-3", offset_days=-3, audience=["officers"]
    )


def _follow_up():
    return FollowUp.objects.create(
        session=SessionFactory(), action="Pendataan balita", owner="Kader", due_on=dt.date(2019, 3, 14)
    )


# Workflow rows are written by the app's services only (with their history and reminders): Django admin shows
# them and refuses every write, to superusers too. A new workflow model's admin joins this list as
# (model, a function that makes one row of it).
READ_ONLY_ADMINS = [
    (Formation, FormationFactory),
    (FormationEvent, _formation_event),
    (Target, TargetFactory),
    (Visit, VisitFactory),
    (Session, SessionFactory),
    (SessionReport, _session_report),
    (FollowUp, _follow_up),
    (Reminder, ReminderFactory),
    (ReminderRule, _reminder_rule),
]
# Not workflow rows: the beat's and the sweep's liveness marks.
EDITABLE_IN_WORKFLOW_ROOMS = {Heartbeat}
WORKFLOW_ROOMS = ("kim.formation", "kim.mentoring", "kim.reminders", "outreach.sessions", "outreach.reports")


def _admin_url(obj, view: str, *args) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=args)


@pytest.fixture(params=READ_ONLY_ADMINS, ids=[model._meta.model_name for model, _make in READ_ONLY_ADMINS])
def workflow_row(request):
    return request.param[1]()


def test_superuser_views_the_list_and_the_page_of_a_workflow_row(admin_client, workflow_row):
    assert admin_client.get(_admin_url(workflow_row, "changelist")).status_code == 200
    assert admin_client.get(_admin_url(workflow_row, "change", workflow_row.pk)).status_code == 200


def test_superuser_cannot_add_a_workflow_row(admin_client, workflow_row):
    rows = type(workflow_row).objects.count()
    assert admin_client.get(_admin_url(workflow_row, "add")).status_code == 403
    assert admin_client.post(_admin_url(workflow_row, "add"), {}).status_code == 403
    assert type(workflow_row).objects.count() == rows


def test_superuser_cannot_change_a_workflow_row(admin_client, workflow_row):
    response = admin_client.post(_admin_url(workflow_row, "change", workflow_row.pk), {"_save": "Save"})
    assert response.status_code == 403


def test_superuser_cannot_delete_a_workflow_row(admin_client, workflow_row):
    url = _admin_url(workflow_row, "delete", workflow_row.pk)
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    admin_client.post(
        _admin_url(workflow_row, "changelist"),
        {"action": "delete_selected", "_selected_action": [workflow_row.pk], "post": "yes"},
    )
    assert type(workflow_row).objects.filter(pk=workflow_row.pk).exists()


def test_every_history_in_django_admin_is_read_only():
    """A line of history (a formation's, a session's, a village's) is an audit trail: nobody edits it."""
    histories = [
        model_admin for model, model_admin in admin.site._registry.items() if issubclass(model, HistoryEvent)
    ]
    assert {type(model_admin).__name__ for model_admin in histories} >= {
        "FormationEventAdmin",
        "VillageChangeAdmin",
    }
    assert all(isinstance(model_admin, ReadOnlyAdminMixin) for model_admin in histories)


def test_every_workflow_model_in_django_admin_is_read_only():
    workflow_admins = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith(WORKFLOW_ROOMS) and model not in EDITABLE_IN_WORKFLOW_ROOMS
    }
    assert set(workflow_admins) == {model for model, _make in READ_ONLY_ADMINS}
    assert all(isinstance(model_admin, ReadOnlyAdminMixin) for model_admin in workflow_admins.values())

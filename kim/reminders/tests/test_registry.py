"""A feature adds a subject kind by registering it: the engine plans, sweeps and delivers its reminders
without knowing it. The kind here exists only in this module."""

import datetime as dt
from dataclasses import dataclass

import pytest

from kim.reminders import planning, recipients, registry, sending
from kim.reminders.models import Reminder, ReminderRule
from kim.reminders.registry import Moment

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@dataclass
class Parcel:
    """Something to be collected by a person, on a day; done once collected."""

    pk: int
    collector: object
    due: dt.datetime
    collected: bool = False


PARCELS: dict[int, Parcel] = {}


@pytest.fixture
def parcel_kind():
    registry.register_audience("collector", "the collector")
    registry.register_kind(
        registry.SubjectKind(
            name="parcel",
            model=Parcel,
            load=lambda ids: {pk: PARCELS[pk] for pk in ids if pk in PARCELS},
            audiences={
                "collector": lambda parcels: {p.pk: [recipients.account(p.collector)] for p in parcels}
            },
        )
    )
    registry.register_trigger(
        registry.Trigger(
            value="parcel_due",
            label="A parcel waits to be collected",
            kind="parcel",
            audiences=("collector",),
            moment=lambda parcel, now: None if parcel.collected else Moment.of(parcel.due),
            compose=lambda row, parcel: (f"Parcel {parcel.pk} waits", "Collect it today.", "/"),
            open_subject_ids=lambda: [pk for pk, parcel in PARCELS.items() if not parcel.collected],
            repeatable=True,
        )
    )
    yield
    registry.unregister_kind("parcel")
    registry.unregister_audience("collector")
    PARCELS.clear()


@pytest.fixture
def rule(parcel_kind):
    return ReminderRule.objects.create(
        trigger="parcel_due",
        name="On the day",
        offset_days=0,
        repeat_every_days=1,
        audience=["collector"],
        effective_from=NOW - dt.timedelta(days=30),
    )


def sweep_and_send() -> list[str]:
    queued: list[int] = []
    sending.sweep(lambda pk, attempt: queued.append(pk))
    return [sending.send(pk) for pk in queued]


def test_a_kind_registered_by_a_feature_is_planned_swept_and_delivered(rule, head, frozen):
    parcel = PARCELS.setdefault(1, Parcel(1, head, NOW + dt.timedelta(days=2)))

    planning.plan(parcel)

    rows = Reminder.objects.filter(subject="parcel:1")
    assert {(r.trigger, r.recipient, r.channel, r.due_at) for r in rows} == {
        ("parcel_due", f"user:{head.pk}", channel, NOW + dt.timedelta(days=2))
        for channel in ("inbox", "email")
    }
    row = rows.get(channel="inbox")
    assert row.get_trigger_display() == "A parcel waits to be collected"

    frozen.move_to(NOW + dt.timedelta(days=2))
    assert sweep_and_send() == ["sent", "sent"]
    row.refresh_from_db()
    assert (row.state, row.title, row.user) == (Reminder.State.SENT, "Parcel 1 waits", head)
    # Repeating until resolved: the next day's occurrence is planned as this one goes out.
    assert Reminder.objects.filter(subject="parcel:1", state=Reminder.State.PLANNED).count() == 2


def test_a_registered_kind_resolved_before_its_day_is_withdrawn(rule, head, frozen):
    parcel = PARCELS.setdefault(2, Parcel(2, head, NOW + dt.timedelta(days=1)))
    planning.plan(parcel)

    parcel.collected = True
    frozen.move_to(NOW + dt.timedelta(days=1))

    assert sweep_and_send() == []
    assert set(Reminder.objects.filter(subject="parcel:2").values_list("last_error", flat=True)) == {
        "resolved"
    }


def test_a_new_rule_for_a_registered_kind_plans_its_open_subjects(parcel_kind, head, frozen):
    PARCELS[3] = Parcel(3, head, NOW + dt.timedelta(days=3))
    new_rule = ReminderRule(trigger="parcel_due", name="A day ahead", offset_days=-1, audience=["collector"])

    total, first = planning.preview(new_rule)
    new_rule.save()
    planning.plan_rule(new_rule)

    assert (total, {p.recipient.key for p in first}) == (2, {f"user:{head.pk}"})
    assert set(Reminder.objects.filter(rule=new_rule).values_list("due_at", flat=True)) == {
        NOW + dt.timedelta(days=2)
    }


def test_staff_see_the_triggers_in_the_order_the_features_are_listed():
    assert registry.trigger_values() == [
        "session_start",
        "session_changed",
        "report_owed",
        "follow_up_due",
        "confirmation_awaited",
        "formation_stalled",
        "visit_due",
        "term_ending",
        "weekly_digest",
        "export_ready",
    ]


def test_an_unknown_subject_is_refused_by_name():
    with pytest.raises(TypeError, match="No reminders are kept about Parcel"):
        planning.plan(Parcel(4, None, NOW))

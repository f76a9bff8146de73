"""Reminders: what each rule plans (due times in WIB), how changes re-plan, and that a row is sent once.

The sweep and the send task are called in-process here; tests/test_reminders_worker.py runs them through a
real Celery worker on Redis."""

import datetime as dt
import smtplib

import pytest
from django.core import mail

from kim.accounts.models import Role
from kim.formation import services as formation_services
from kim.formation.models import Formation
from kim.mentoring import services as mentoring
from kim.mentoring.models import Visit
from kim.register.models import Kim, Member
from kim.reminders import planning, sending
from kim.reminders.models import Reminder, ReminderRule
from outreach.reports import services as services_reports
from outreach.reports.services import FollowUpRow
from outreach.sessions import services
from tests.factories import (
    FormationFactory,
    KimFactory,
    MemberFactory,
    ResourcePersonFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reminder_rules", "frozen")]

WIB = dt.timezone(dt.timedelta(hours=7))
# Monday 4 March 2019, 10:00 WIB. The session is on Thursday 14 March, 09:00 to 11:00 WIB.
NOW = dt.datetime(2019, 3, 4, 10, 0, tzinfo=WIB)
STARTS = dt.datetime(2019, 3, 14, 9, 0, tzinfo=WIB)
ENDS = dt.datetime(2019, 3, 14, 11, 0, tzinfo=WIB)
State = Reminder.State


@pytest.fixture
def speaker(agency):
    return ResourcePersonFactory(
        agency=agency, name="dr. Ani", email="ani@example.com", phone="+6281111111111"
    )


@pytest.fixture
def session_with_reminders(officer, agency, kim_with_ketua, speaker, head):
    """Proposed through the service, so its reminders are planned: for the officer, `speaker`, the ketua and
    the head."""
    return services.session_propose(
        actor=officer,
        agency=agency,
        kim=kim_with_ketua,
        title="Cegah stunting",
        starts_at=STARTS,
        ends_at=ENDS,
        venue="Balai Desa",
        topic=TopicFactory(),
        resource_persons=[speaker],
    )


def rule(trigger: str, offset: int) -> ReminderRule:
    return ReminderRule.objects.get(trigger=trigger, offset_days=offset)


def planned(**filters) -> set[tuple]:
    rows = Reminder.objects.filter(state=State.PLANNED, **filters)
    return {(row.rule.name, row.recipient_name, row.channel, row.due_at) for row in rows}


def run_due(frozen, moment) -> list[str]:
    """Move the clock, sweep, and send every queued row in-process; return the send outcomes."""
    frozen.move_to(moment)
    queued: list[int] = []
    sending.sweep(lambda pk, attempt: queued.append(pk))
    return [sending.send(pk) for pk in queued]


# Planning


def test_proposing_a_session_plans_h3_and_h1_for_everyone_concerned_at_the_sessions_clock_time(
    session_with_reminders, officer, head
):
    h3 = dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB)
    h1 = dt.datetime(2019, 3, 13, 9, 0, tzinfo=WIB)
    rows = planned(trigger="session_start")
    for due in (h3, h1):
        name = "H-3 sebelum sesi" if due == h3 else "H-1 sebelum sesi"
        assert {
            (name, str(officer), "inbox", due),
            (name, str(officer), "email", due),
            (name, "dr. Ani", "email", due),
            (name, "dr. Ani", "whatsapp", due),
            (name, "Ketua KIM", "whatsapp", due),
            (name, str(head), "inbox", due),
            (name, str(head), "email", due),
        } <= rows
    assert len(rows) == 14
    # Stored in UTC: 09:00 WIB is 02:00 UTC.
    first = Reminder.objects.filter(trigger="session_start").order_by("due_at").first()
    assert first.due_at.astimezone(dt.UTC).hour == 2


def test_no_report_reminder_is_planned_before_the_village_confirms(session_with_reminders, officer):
    assert not Reminder.objects.filter(trigger="report_owed").exists()
    services.session_confirm(session=session_with_reminders, actor=session_with_reminders.proposed_by)
    due = dt.datetime(2019, 3, 15, 11, 0, tzinfo=WIB)
    assert planned(trigger="report_owed") == {
        ("Laporan sesi belum dicatat", str(officer), "inbox", due),
        ("Laporan sesi belum dicatat", str(officer), "email", due),
    }


def test_rescheduling_withdraws_the_old_series_plans_the_new_one_and_a_notice(
    session_with_reminders, officer, head
):
    new_start = STARTS + dt.timedelta(days=7)
    services.session_reschedule(
        session=session_with_reminders,
        actor=officer,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=2),
        venue="Balai Desa",
        reason="Bentrok",
    )
    assert (
        Reminder.objects.filter(trigger="session_start", state=State.WITHDRAWN, last_error="moved").count()
        == 14
    )
    dues = {row.due_at for row in Reminder.objects.filter(trigger="session_start", state=State.PLANNED)}
    assert dues == {new_start - dt.timedelta(days=3), new_start - dt.timedelta(days=1)}
    notices = Reminder.objects.filter(trigger="session_changed", state=State.PLANNED)
    assert {row.due_at for row in notices} == {NOW}
    assert notices.count() == 7


def test_cancelling_withdraws_everything_but_the_notice_which_goes_out_at_once(
    session_with_reminders, officer, frozen
):
    services.session_cancel(session=session_with_reminders, actor=officer, reason="Hujan deras")
    assert not Reminder.objects.filter(trigger="session_start", state=State.PLANNED).exists()
    assert Reminder.objects.filter(trigger="session_changed", state=State.PLANNED).count() == 7
    assert run_due(frozen, NOW + dt.timedelta(minutes=1)).count("sent") == 7
    notice = Reminder.objects.get(trigger="session_changed", user=officer, channel="inbox")
    assert "Hujan deras" in notice.body


def test_a_session_proposed_two_days_ahead_gets_no_h3(officer, agency, kim, speaker, head):
    starts = NOW + dt.timedelta(days=2)
    services.session_propose(
        actor=officer,
        agency=agency,
        kim=kim,
        title="Mendadak",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        venue="Balai",
        topic=TopicFactory(),
    )
    names = {row.rule.name for row in Reminder.objects.filter(trigger="session_start")}
    assert names == {"H-1 sebelum sesi"}


def test_a_new_rule_reaches_only_occurrences_from_now_on(session_with_reminders, frozen):
    frozen.move_to(STARTS - dt.timedelta(days=2))
    h5 = ReminderRule.objects.create(
        trigger="session_start", name="H-5", offset_days=-5, audience=["officers"]
    )
    assert planning.plan_rule(h5) == 0
    h1_hour = ReminderRule.objects.create(
        trigger="session_start", name="H-1 lagi", offset_days=-1, audience=["officers"]
    )
    assert planning.plan_rule(h1_hour) == 2  # the officer's inbox and email


def test_editing_a_rule_moves_its_future_rows(session_with_reminders):
    h3 = rule("session_start", -3)
    h3.offset_days = -4
    h3.effective_from = NOW
    h3.save()
    planning.plan_rule(h3)
    rows = Reminder.objects.filter(rule=h3)
    assert rows.count() == rows.filter(state=State.PLANNED, due_at=STARTS - dt.timedelta(days=4)).count() == 7


def test_turning_a_rule_off_withdraws_its_rows(session_with_reminders):
    h3 = rule("session_start", -3)
    h3.is_active = False
    h3.save()
    assert planning.plan_rule(h3) == 0
    assert not Reminder.objects.filter(rule=h3, state=State.PLANNED).exists()


def test_preview_lists_who_would_receive_a_rule_before_it_is_saved(session_with_reminders, head):
    unsaved = ReminderRule(trigger="session_start", name="H-7", offset_days=-7, audience=["village_head"])
    count, first = planning.preview(unsaved)
    assert count == 2
    assert {(p.recipient.name, p.channel) for p in first} == {(str(head), "inbox"), (str(head), "email")}
    assert not Reminder.objects.filter(due_at=STARTS - dt.timedelta(days=7)).exists()


def test_channels_follow_each_persons_choice(session_with_reminders, head):
    head.notify_by_email = False
    head.notify_by_whatsapp = True
    head.phone = "+6285555555555"
    head.save()
    planning.plan(session_with_reminders)
    channels = {row.channel for row in Reminder.objects.filter(user=head, state=State.PLANNED)}
    assert channels == {"inbox", "whatsapp"}


# Sending


def test_a_due_reminder_is_sent_once_however_often_it_is_queued(session_with_reminders, frozen):
    h3 = dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB)
    outcomes = run_due(frozen, h3)
    assert outcomes.count("sent") == 7
    email_rows = Reminder.objects.filter(trigger="session_start", channel="email", state=State.SENT)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row.address for row in email_rows)
    assert all(sending.send(row.pk) == "not claimed" for row in Reminder.objects.filter(state=State.SENT))
    assert run_due(frozen, h3 + dt.timedelta(minutes=1)) == []
    assert len(mail.outbox) == 3  # the officer, the resource person and the village head


def test_the_message_is_in_indonesian_with_the_wib_time_and_a_link(session_with_reminders, frozen):
    run_due(frozen, dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB))
    row = Reminder.objects.get(
        trigger="session_start", channel="inbox", user=session_with_reminders.proposed_by, state=State.SENT
    )
    assert "Kamis, 14 Maret 2019, 09:00 WIB" in row.body
    assert row.url.endswith(f"/opd/sesi/{session_with_reminders.pk}/")
    assert "H-3" in row.title


def test_a_recipient_removed_since_planning_is_not_sent_to(session_with_reminders, head, frozen):
    head.is_active = False
    head.save()
    run_due(frozen, dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB))
    assert Reminder.objects.filter(user=head, state=State.SENT).count() == 0
    assert (
        Reminder.objects.filter(
            user=head, state=State.WITHDRAWN, last_error="recipient no longer concerned"
        ).count()
        == 2
    )


def test_a_session_cancelled_behind_the_plans_back_is_not_reminded(session_with_reminders, frozen):
    type(session_with_reminders).objects.filter(pk=session_with_reminders.pk).update(state="cancelled")
    assert run_due(frozen, dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB)) == []
    assert (
        Reminder.objects.filter(trigger="session_start", state=State.WITHDRAWN, last_error="resolved").count()
        == 7
    )
    assert mail.outbox == []


def test_a_row_withdrawn_after_it_was_queued_cannot_be_sent(session_with_reminders, officer, frozen):
    frozen.move_to(dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB))
    queued: list[int] = []
    sending.sweep(lambda pk, attempt: queued.append(pk))
    services.session_cancel(session=session_with_reminders, actor=officer, reason="Banjir")
    assert {sending.send(pk) for pk in queued} == {"not claimed"}
    assert not Reminder.objects.filter(trigger="session_start", state=State.SENT).exists()


def test_a_bad_address_fails_that_message_only(session_with_reminders, speaker, frozen):
    speaker.email = "bukan-alamat"
    speaker.save()
    outcomes = run_due(frozen, dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB))
    assert outcomes.count("failed") == 1
    failed = Reminder.objects.get(state=State.FAILED)
    assert failed.recipient_name == "dr. Ani" and "not an email address" in failed.last_error
    assert outcomes.count("sent") == 6


def test_a_transient_failure_is_retried_with_backoff_then_given_up(
    session_with_reminders, frozen, monkeypatch, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 3

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(mail, "send_mail", refuse)
    h3 = dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB)
    assert run_due(frozen, h3).count("retry") == 3  # three email rows
    row = (
        Reminder.objects.filter(channel="email", user=session_with_reminders.proposed_by)
        .order_by("due_at")
        .first()
    )
    assert row.next_attempt_at == h3 + dt.timedelta(minutes=1)
    assert run_due(frozen, h3 + dt.timedelta(seconds=30)).count("retry") == 0
    assert run_due(frozen, h3 + dt.timedelta(minutes=1)).count("retry") == 3
    assert run_due(frozen, h3 + dt.timedelta(minutes=3)).count("failed") == 3
    row.refresh_from_db()
    assert row.state == State.FAILED and row.attempts == 3 and "gave up" in row.last_error
    assert sending.retry(row) and Reminder.objects.get(pk=row.pk).state == State.PLANNED


def test_a_row_left_by_a_dead_worker_is_given_back_and_sent(session_with_reminders, frozen, settings):
    h3 = dt.datetime(2019, 3, 11, 9, 0, tzinfo=WIB)
    frozen.move_to(h3)
    queued: list[int] = []
    sending.sweep(lambda pk, attempt: queued.append(pk))
    row = Reminder.objects.filter(pk__in=queued, channel="email").first()
    assert sending.claim(row.pk)  # a worker claimed it, then died before sending
    assert [sending.send(pk) for pk in queued if pk != row.pk].count("sent") == 6
    assert sending.send(row.pk) == "not claimed"  # the broker delivers its task again: still held
    stuck = h3 + dt.timedelta(seconds=settings.REMINDER_STUCK_AFTER_SECONDS + 60)
    assert run_due(frozen, stuck) == ["sent"]
    row.refresh_from_db()
    assert row.state == State.SENT and row.attempts == 2


def test_the_report_reminder_repeats_every_three_days_until_the_report_is_recorded(
    session_with_reminders, officer, frozen
):
    services.session_confirm(session=session_with_reminders, actor=officer)
    first = dt.datetime(2019, 3, 15, 11, 0, tzinfo=WIB)
    assert run_due(frozen, first).count("sent") == 2  # (the H-3 and H-1 rows, never swept here, are too late)
    assert {row.due_at for row in Reminder.objects.filter(trigger="report_owed", state=State.PLANNED)} == {
        first + dt.timedelta(days=3)
    }
    frozen.move_to(first + dt.timedelta(days=1))
    services_reports.session_mark_held(session=session_with_reminders, actor=officer)
    services_reports.session_record_report(
        session=session_with_reminders, actor=officer, attended_male=1, attended_female=2, minutes="Isi"
    )
    assert not Reminder.objects.filter(trigger="report_owed", state=State.PLANNED).exists()
    assert run_due(frozen, first + dt.timedelta(days=3)) == []


def test_the_weekly_digest_goes_to_staff_on_monday_at_seven(staff, frozen):
    frozen.move_to(dt.datetime(2019, 3, 5, 12, 0, tzinfo=WIB))
    sending.sweep(lambda pk, attempt: None)
    monday = dt.datetime(2019, 3, 11, 7, 0, tzinfo=WIB)
    assert planned(trigger="weekly_digest") == {
        ("Ringkasan mingguan untuk staf", str(staff), "inbox", monday),
        ("Ringkasan mingguan untuk staf", str(staff), "email", monday),
    }
    assert run_due(frozen, monday) == ["sent", "sent"]
    row = Reminder.objects.filter(trigger="weekly_digest", state=State.SENT).first()
    assert row.title.startswith("Ringkasan mingguan")
    sending.sweep(lambda pk, attempt: None)
    frozen.move_to(monday + dt.timedelta(minutes=30))
    sending.sweep(lambda pk, attempt: None)
    assert {r.due_at for r in Reminder.objects.filter(trigger="weekly_digest", state=State.PLANNED)} == {
        monday + dt.timedelta(days=7)
    }


# Formation, mentoring and terms


def test_a_group_waiting_for_the_village_head_reminds_them_after_two_days_then_weekly(
    village, staff, head, frozen
):
    formation = FormationFactory(target__village=village)
    formation_services.formation_record_coordination(
        formation=formation, actor=staff, coordinated_on=NOW.date(), notes=""
    )
    formation_services.formation_choose_path(
        formation=formation, actor=staff, origin=Kim.Origin.NEW, community_group=None, name="KIM Baru"
    )
    officers = [{"name": "Ketua", "position": Member.Position.KETUA, "gender": "L", "phone": ""}]
    formation_services.formation_record_meeting(
        formation=formation, actor=staff, meeting_on=NOW.date(), notes="", officers=officers
    )
    due = NOW + dt.timedelta(days=2)
    assert {
        r.due_at for r in Reminder.objects.filter(trigger="confirmation_awaited", state=State.PLANNED)
    } == {due}
    assert run_due(frozen, due) == ["sent", "sent"]
    assert {
        r.due_at for r in Reminder.objects.filter(trigger="confirmation_awaited", state=State.PLANNED)
    } == {due + dt.timedelta(days=7)}
    formation_services.formation_confirm(formation=Formation.objects.get(pk=formation.pk), head=head)
    assert not Reminder.objects.filter(trigger="confirmation_awaited", state=State.PLANNED).exists()


def test_a_stalled_formation_reminds_whoever_targeted_it_after_thirty_days(village, staff):
    formation_services.target_set(year=2019, villages=[village], actor=staff)
    assert planned(trigger="formation_stalled") == {
        ("Langkah pembentukan KIM tidak bergerak", str(staff), "inbox", NOW + dt.timedelta(days=30)),
        ("Langkah pembentukan KIM tidak bergerak", str(staff), "email", NOW + dt.timedelta(days=30)),
    }


def test_a_visit_moves_the_next_visit_reminder_for_the_mentors(kim, staff, head):
    kim.mentors.add(staff)
    mentoring.visit_record(
        kim=kim,
        actor=staff,
        visited_on=NOW.date(),
        kind=Visit.Kind.PEMBINAAN,
        officers=[staff],
        topic="Pembinaan",
        participants=5,
        notes="",
        photos=[],
    )
    due = dt.datetime(2019, 6, 2, 8, 0, tzinfo=WIB)  # 90 days after 4 March, at 08:00 WIB
    rows = Reminder.objects.filter(trigger="visit_due", channel="inbox", state=State.PLANNED)
    assert {(r.recipient_name, r.due_at) for r in rows} == {(str(staff), due)}


def test_a_kim_with_nothing_to_count_from_is_due_a_visit_from_its_registration(village, staff):
    """Never visited and with no founding date, a KIM is overdue at once (Kim.visit_overdue): its reminders
    count from the day it was registered, and the first one still due repeats a cadence later."""
    kim = KimFactory(village=village, status=Kim.Status.ACTIVE, founded_on=None)
    kim.mentors.add(staff)
    planning.plan(kim)
    due = dt.datetime(2019, 4, 3, 8, 0, tzinfo=WIB)  # registered 4 March: 08:00 WIB that day has passed
    rows = Reminder.objects.filter(trigger="visit_due", channel="inbox", state=State.PLANNED)
    assert {(r.recipient_name, r.due_at) for r in rows} == {(str(staff), due)}


def test_an_officers_term_end_reminds_mentors_and_the_village_head_thirty_days_ahead(kim, staff, head):
    kim.mentors.add(staff)
    member = MemberFactory(kim=kim, name="Sekretaris", position=Member.Position.SEKRETARIS)
    member.term_end = dt.date(2019, 6, 30)
    member.save()
    planning.plan(member)
    due = dt.datetime(2019, 5, 31, 8, 0, tzinfo=WIB)
    assert {
        (r.recipient_name, r.due_at) for r in Reminder.objects.filter(trigger="term_ending", channel="inbox")
    } == {
        (str(staff), due),
        (str(head), due),
    }


def test_a_deleted_subject_withdraws_its_reminders(session_with_reminders):
    pk = session_with_reminders.pk
    session_with_reminders.events.all().delete()
    session_with_reminders.resource_persons.clear()
    type(session_with_reminders).objects.filter(pk=pk).delete()
    planning.plan_subjects("session", [pk])
    assert not Reminder.objects.filter(subject=f"session:{pk}", state=State.PLANNED).exists()


def test_an_officer_of_the_agency_added_later_is_reminded_too(session_with_reminders, agency):
    later = UserFactory(username="petugas2", role=Role.OPD_OFFICER, agency=agency)
    planning.plan(session_with_reminders)
    names = {r.recipient_name for r in Reminder.objects.filter(trigger="session_start", state=State.PLANNED)}
    assert str(later) in names


def test_a_follow_up_reminds_two_days_before_its_due_date_then_while_overdue_until_done(
    session_with_reminders, officer, frozen
):
    services.session_confirm(session=session_with_reminders, actor=officer)
    frozen.move_to(ENDS + dt.timedelta(hours=1))
    services_reports.session_mark_held(session=session_with_reminders, actor=officer)
    services_reports.session_record_report(
        session=session_with_reminders,
        actor=officer,
        attended_male=3,
        attended_female=9,
        minutes="Isi",
        follow_ups=[FollowUpRow("Pendataan balita", "Kader posyandu", dt.date(2019, 3, 25))],
    )
    before = dt.datetime(2019, 3, 23, 8, 0, tzinfo=WIB)
    overdue = dt.datetime(2019, 3, 26, 8, 0, tzinfo=WIB)
    assert {
        (r.rule.name, r.due_at) for r in Reminder.objects.filter(trigger="follow_up_due", channel="inbox")
    } == {
        ("Tindak lanjut mendekati batas waktu", before),
        ("Tindak lanjut terlambat", overdue),
    }
    assert run_due(frozen, before).count("sent") == 2
    assert run_due(frozen, overdue).count("sent") == 2
    follow_up = session_with_reminders.follow_ups.get()
    again = overdue + dt.timedelta(days=3)
    assert {r.due_at for r in Reminder.objects.filter(trigger="follow_up_due", state=State.PLANNED)} == {
        again
    }
    frozen.move_to(overdue + dt.timedelta(days=1))
    services_reports.follow_up_complete(follow_up=follow_up, actor=officer, done_on=overdue.date())
    assert not Reminder.objects.filter(trigger="follow_up_due", state=State.PLANNED).exists()
    assert run_due(frozen, again) == []


def test_a_channel_turned_on_reaches_what_was_already_planned(session_with_reminders, head):
    head.notify_by_whatsapp, head.phone = True, "+6285555555555"
    head.save()
    planning.plan_for_person(head)
    assert {row.channel for row in Reminder.objects.filter(user=head, state=State.PLANNED)} == {
        "inbox",
        "email",
        "whatsapp",
    }


def test_a_follow_up_owner_without_an_account_is_reminded_on_whatsapp(
    session_with_reminders, officer, frozen
):
    services.session_confirm(session=session_with_reminders, actor=officer)
    frozen.move_to(ENDS + dt.timedelta(hours=1))
    services_reports.session_mark_held(session=session_with_reminders, actor=officer)
    row = FollowUpRow("Kelas ibu hamil", "Bidan desa", dt.date(2019, 3, 25), owner_phone="+6281399998888")
    services_reports.session_record_report(
        session=session_with_reminders,
        actor=officer,
        attended_male=1,
        attended_female=1,
        minutes="Isi",
        follow_ups=[row],
    )
    owner_rows = Reminder.objects.filter(trigger="follow_up_due", audience="owner")
    assert {(r.recipient_name, r.channel) for r in owner_rows} == {("Bidan desa", "whatsapp")}
    run_due(frozen, dt.datetime(2019, 3, 23, 8, 0, tzinfo=WIB))
    sent = owner_rows.get(state=State.SENT, rule__offset_days=-2)
    assert sent.address == "+6281399998888"

"""Input that cannot break anything later, through the pages people use: far-off dates, non-ASCII digits and
disguised files are refused with a reason, nothing is saved, and nothing answers 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kim.lib.dates import FIRST_DAY
from kim.register.models import Kim, Member
from kim.reminders import planning
from kim.reminders.models import Reminder
from outreach.reports.models import FollowUp
from outreach.sessions.models import Session
from tests.factories import MemberFactory, SessionFactory, TopicFactory
from tests.samples import PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen", "media", "reminder_rules")]

WIB = dt.timezone(dt.timedelta(hours=7))
NOW = dt.datetime(2026, 3, 7, 14, 0, tzinfo=WIB)
TODAY = NOW.date()
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FAR_FUTURE = dt.date(9999, 12, 31)


def _member(client, kim, **data):
    return client.post(
        reverse("register:member_create", args=[kim.pk]), {"position": "anggota", "name": "Siti", **data}
    )


@EXAMPLES
@example(term_end=FAR_FUTURE)
@example(term_end=dt.date(2036, 3, 7))
@given(term_end=st.dates())
def test_a_term_end_is_saved_within_ten_years_and_refused_beyond_with_nothing_saved(
    client, head, kim, term_end
):
    client.force_login(head)
    Member.objects.filter(kim=kim).delete()
    response = _member(client, kim, term_end=term_end.isoformat())
    fits = FIRST_DAY <= term_end <= dt.date(2036, 3, 7)
    assert response.status_code == (302 if fits else 200)
    assert Member.objects.filter(kim=kim).exists() == fits
    if not fits:
        assert response.context["form"].errors["term_end"]
    # The reminders planned around whatever was saved can be counted from it without overflowing.
    planning.plan(*Member.objects.filter(kim=kim))


def test_a_far_future_term_end_is_explained_with_the_last_day_allowed(client, head, kim):
    client.force_login(head)
    response = _member(client, kim, term_end="9999-12-31")
    assert response.context["form"].errors["term_end"] == [
        "Check the year: enter a date no later than 07-03-2036."
    ]


def test_the_database_refuses_a_far_future_term_end_a_service_might_write(kim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.create(kim=kim, name="Siti", term_end=FAR_FUTURE)


def test_a_model_check_explains_a_date_out_of_range(kim):
    member = Member(kim=kim, name="Siti", term_end=FAR_FUTURE)
    with pytest.raises(ValidationError) as refused:
        member.full_clean()
    assert refused.value.message_dict["term_end"] == ["Enter a date between 01-01-2000 and 31-12-2100."]


def test_a_term_ending_on_the_last_day_of_the_range_plans_its_reminders(kim):
    member = MemberFactory(kim=kim, term_end=dt.date(2100, 12, 31))
    planning.plan(member)
    assert all(row.due_at.year <= 2101 for row in Reminder.objects.all())


@pytest.fixture
def held(agency, kim):
    """A session held this morning, waiting for its report."""
    return SessionFactory(
        agency=agency,
        kim=kim,
        topic=TopicFactory(name="Penanggulangan stunting"),
        title="Cegah stunting",
        starts_at=NOW - dt.timedelta(hours=5),
        ends_at=NOW - dt.timedelta(hours=3),
        venue="Balai Desa",
        state=Session.State.HELD,
    )


def _report(due_on: str) -> dict:
    return {
        "attended_male": "12",
        "attended_female": "20",
        "names": "",
        "minutes": "Pemaparan.",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "30",
        "follow_ups-0-action": "Kelas ibu hamil",
        "follow_ups-0-owner": "Bidan desa",
        "follow_ups-0-owner_phone": "0812 3456 7890",
        "follow_ups-0-due_on": due_on,
    }


@EXAMPLES
@example(due_on=FAR_FUTURE)
@example(due_on=dt.date(2031, 3, 7))
@given(due_on=st.dates())
def test_a_follow_up_is_due_within_five_years_or_refused_and_the_report_is_not_saved(
    client, officer, held, due_on
):
    client.force_login(officer)
    FollowUp.objects.all().delete()
    response = client.post(reverse("outreach:session_report", args=[held.pk]), _report(due_on.isoformat()))
    fits = FIRST_DAY <= due_on <= dt.date(2031, 3, 7)
    assert response.status_code == (302 if fits else 200)
    assert FollowUp.objects.exists() == fits
    if fits:
        planning.plan(FollowUp.objects.get())


def test_the_database_refuses_a_far_future_due_date(held):
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(session=held, action="A", owner="B", due_on=FAR_FUTURE)


NON_ASCII_DIGITS = st.characters(categories=["Nd"]).filter(lambda c: not c.isascii())


@EXAMPLES
@example(digit="\u0661")  # ARABIC-INDIC DIGIT ONE
@given(digit=NON_ASCII_DIGITS)
def test_a_nik_or_phone_with_a_non_ascii_digit_is_refused_and_nothing_saved(client, head, kim, digit):
    client.force_login(head)
    nik = _member(client, kim, nik="330304550990000" + digit)
    phone = _member(client, kim, phone="0812345678" + digit + "0")
    assert nik.context["form"].errors["nik"] and phone.context["form"].errors["phone"]
    assert not Member.objects.filter(kim=kim).exists()


def test_an_agencys_office_landline_is_kept_in_e164(client, staff, agency):
    client.force_login(staff)
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "kind": agency.kind,
        "phone": "(0281) 891012",
        "is_active": "on",
    }
    response = client.post(reverse("outreach:agency_edit", args=[agency.pk]), data)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.phone == "+62281891012"
    assert "(0281) 891012" in client.get(reverse("outreach:agency_list")).content.decode()


def _kim_form(kim: Kim, upload) -> dict:
    return {"name": kim.name, "status": kim.status, "sk_file": upload}


def test_a_pdf_named_html_is_stored_as_pdf_and_served_as_pdf(client, staff, kim):
    client.force_login(staff)
    upload = SimpleUploadedFile("surat.html", PDF, "text/html")
    response = client.post(reverse("register:edit", args=[kim.pk]), _kim_form(kim, upload))
    assert response.status_code == 302
    kim.refresh_from_db()
    assert kim.sk_file.name.startswith("sk/") and kim.sk_file.name.endswith(".pdf")
    served = client.get(reverse("register:decree", args=[kim.pk]))
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].endswith('.pdf"')
    assert b"".join(served.streaming_content) == PDF


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.7\n<html><script>alert(document.cookie)</script></html>\n%%EOF\n",
        PDF[: len(PDF) // 2],
        b"<html><script>alert(1)</script></html>",
    ],
)
def test_a_disguised_or_truncated_decree_is_refused_and_nothing_stored(client, staff, kim, content):
    client.force_login(staff)
    upload = SimpleUploadedFile("sk.pdf", content, "application/pdf")
    response = client.post(reverse("register:edit", args=[kim.pk]), _kim_form(kim, upload))
    assert response.status_code == 200
    assert response.context["form"].errors["sk_file"]
    kim.refresh_from_db()
    assert not kim.sk_file


def test_a_decree_stored_under_a_misleading_name_before_is_still_served_by_its_bytes(client, staff, kim):
    stored = default_storage.save("sk/old.html", ContentFile(PDF))
    Kim.objects.filter(pk=kim.pk).update(sk_file=stored)
    client.force_login(staff)
    served = client.get(reverse("register:decree", args=[kim.pk]))
    assert served["Content-Type"] == "application/pdf"

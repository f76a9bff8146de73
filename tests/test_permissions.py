"""Who may open what: every page against every persona, for their own and for another village.

anonymous → sign-in page; the head of another village gets 404 for the village's pages (they do not learn
what exists), as does an officer of another agency for the agency's sessions; a role without the right gets
403, and so does an account without a role, on every page but the public ones. A leader (Pimpinan) reads
every page staff read and gets 403 on every form page and every write, but for their own account's settings.
"""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.views import LogoutView
from django.core.files.base import ContentFile
from django.urls import resolve, reverse
from django.utils import timezone

from kim.mentoring.models import VisitPhoto
from kim.reminders.models import ReminderRule
from outreach.calendar.services import calendar_feed_get_or_create
from outreach.reports.models import FollowUp, SessionPhoto
from outreach.sessions.models import Session
from tests.expectations import PERSONAS, PROGRAMME_READERS, STAFF_ONLY
from tests.factories import (
    CommunityGroupFactory,
    FormationFactory,
    KimFactory,
    MemberFactory,
    ReminderFactory,
    ResourcePersonFactory,
    SessionFactory,
    TopicFactory,
    VisitFactory,
)
from tests.html_links import page_targets, posts_to_itself
from tests.permissions_documents import DOCUMENT_PAGES
from tests.permissions_downloads import DOWNLOAD_PAGES
from tests.permissions_inbox import INBOX_PAGES
from tests.permissions_reminders import REMINDER_PAGES

# page name → (method, url args builder, expected status per persona)
ALL_READERS = {
    "anonymous": 302,
    "staff": 200,
    "staff_admin": 200,
    "leader": 200,
    "head": 200,
    "stranger": 200,
    "officer": 200,
    "other_officer": 200,
    "no_role": 403,
}
OWN_VILLAGE_READ = {**ALL_READERS, "stranger": 404}
OWN_VILLAGE_EDIT = {**OWN_VILLAGE_READ, "leader": 403, "officer": 403, "other_officer": 403}
ADMIN_ONLY = {**STAFF_ONLY, "staff": 403}
PUBLIC = dict.fromkeys(PERSONAS, 200)
FORMATION_READERS = {**ALL_READERS, "officer": 403, "other_officer": 403}
OWN_FORMATION = {**FORMATION_READERS, "stranger": 404}
HEAD_ANSWERS = {
    "anonymous": 302,
    "staff": 403,
    "staff_admin": 403,
    "leader": 403,
    "head": 200,
    "stranger": 404,
    "officer": 403,
    "other_officer": 403,
    "no_role": 403,
}
PROPOSERS = {**STAFF_ONLY, "officer": 200, "other_officer": 200}
RESOURCE_PERSON_READERS = {**PROPOSERS, "leader": 200}
# The session (and the resource person) belong to the officer's agency, in the head's village.
SESSION_READ = {**OWN_VILLAGE_READ, "other_officer": 404}
SESSION_MANAGE = {**SESSION_READ, "leader": 403, "head": 403}
SESSION_CONFIRM = {**SESSION_READ, "leader": 403, "officer": 403}
OWN_AGENCY_EDIT = {**PROPOSERS, "other_officer": 404}
NO_LETTER = {**OWN_FORMATION, "staff": 404, "staff_admin": 404, "leader": 404, "head": 404}
# Django admin: staff administrators only (the role decides, kim.accounts.admin_site); every other signed-in
# account is refused outright rather than offered Django admin's own sign-in form.
DJANGO_ADMIN = {**ADMIN_ONLY, "staff": 403}


def _redirected(expected: dict) -> dict:
    return {persona: 302 if status == 200 else status for persona, status in expected.items()}


# Staff and leaders (a leader reads what staff read), whichever personas the matrix has.
DASHBOARD_READERS = {**STAFF_ONLY, **({"leader": 200} if "leader" in STAFF_ONLY else {})}

PAGES = [
    # A leader's home is the dashboard: the home page sends them there.
    ("home", "get", lambda o: reverse("home:index"), {**ALL_READERS, "leader": 302}),
    ("village list", "get", lambda o: reverse("villages:list"), ALL_READERS),
    ("map", "get", lambda o: reverse("villages:map"), ALL_READERS),
    ("map data", "get", lambda o: reverse("villages:map_data"), ALL_READERS),
    ("village page", "get", lambda o: reverse("villages:detail", args=[o["village"].pk]), OWN_VILLAGE_READ),
    (
        "contacts form",
        "get",
        lambda o: reverse("villages:contacts_edit", args=[o["village"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    (
        "new group form",
        "get",
        lambda o: reverse("villages:group_create", args=[o["village"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    (
        "group form",
        "get",
        lambda o: reverse("villages:group_edit", args=[o["village"].pk, o["group"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    (
        "group delete",
        "post",
        lambda o: reverse("villages:group_delete", args=[o["village"].pk, o["group"].pk]),
        _redirected(OWN_VILLAGE_EDIT),
    ),
    (
        "year status form",
        "get",
        lambda o: reverse("villages:year_edit", args=[o["village"].pk, 2019]),
        STAFF_ONLY,
    ),
    ("bulk statuses", "get", lambda o: reverse("villages:status_bulk", args=[2019]), STAFF_ONLY),
    ("status upload", "get", lambda o: reverse("villages:status_upload"), STAFF_ONLY),
    (
        "status upload confirm",
        "post",
        lambda o: reverse("villages:status_upload_confirm"),
        _redirected(STAFF_ONLY),
    ),
    ("agency list", "get", lambda o: reverse("outreach:agency_list"), PROGRAMME_READERS),
    ("new agency form", "get", lambda o: reverse("outreach:agency_create"), STAFF_ONLY),
    ("agency form", "get", lambda o: reverse("outreach:agency_edit", args=[o["agency"].pk]), STAFF_ONLY),
    ("account list", "get", lambda o: reverse("accounts:list"), ADMIN_ONLY),
    ("new account form", "get", lambda o: reverse("accounts:create"), ADMIN_ONLY),
    ("account form", "get", lambda o: reverse("accounts:edit", args=[o["staff"].pk]), ADMIN_ONLY),
    (
        "account link",
        "post",
        lambda o: reverse("accounts:send_link", args=[o["staff"].pk]),
        _redirected(ADMIN_ONLY),
    ),
    # The letterhead and signatories: staff administrators; the logo, for documents, every role (none here).
    ("letterhead", "get", lambda o: reverse("office:detail"), ADMIN_ONLY),
    ("letterhead form", "get", lambda o: reverse("office:edit"), ADMIN_ONLY),
    ("letterhead save", "post", lambda o: reverse("office:edit"), ADMIN_ONLY),
    ("signatory form", "get", lambda o: reverse("office:signatory_edit", args=["head"]), ADMIN_ONLY),
    ("signatory save", "post", lambda o: reverse("office:signatory_edit", args=["preparer"]), ADMIN_ONLY),
    (
        "letterhead logo, none kept",
        "get",
        lambda o: reverse("office:logo"),
        {persona: 404 if status == 200 else status for persona, status in ALL_READERS.items()},
    ),
    # The yearly recap: started by those who read the programme (leaders too), refused to everyone else.
    (
        "recap export start",
        "post",
        lambda o: reverse("downloads:start", args=["recap", "pdf"]),
        {**_redirected(STAFF_ONLY), "leader": 302},
    ),
    ("password change", "get", lambda o: reverse("password_change"), ALL_READERS),
    ("Django admin", "get", lambda o: reverse("admin:index"), DJANGO_ADMIN),
    ("Django admin accounts", "get", lambda o: reverse("admin:kim_user_changelist"), DJANGO_ADMIN),
    (
        "Django admin account",
        "get",
        lambda o: reverse("admin:kim_user_change", args=[o["staff"].pk]),
        DJANGO_ADMIN,
    ),
    ("Django admin KIM members", "get", lambda o: reverse("admin:kim_member_changelist"), DJANGO_ADMIN),
    (
        "Django admin KIM member",
        "get",
        lambda o: reverse("admin:kim_member_change", args=[o["member"].pk]),
        DJANGO_ADMIN,
    ),
    ("health", "get", lambda o: reverse("home:health"), PUBLIC),
    ("sign-in", "get", lambda o: reverse("login"), {**dict.fromkeys(PERSONAS, 302), "anonymous": 200}),
    ("password reset", "get", lambda o: reverse("password_reset"), PUBLIC),
    # The KIM register
    ("KIM list", "get", lambda o: reverse("register:list"), ALL_READERS),
    ("KIM page", "get", lambda o: reverse("register:detail", args=[o["kim"].pk]), OWN_VILLAGE_READ),
    ("KIM edit form", "get", lambda o: reverse("register:edit", args=[o["kim"].pk]), STAFF_ONLY),
    ("KIM edit", "post", lambda o: reverse("register:edit", args=[o["kim"].pk]), STAFF_ONLY),
    (
        "new member form",
        "get",
        lambda o: reverse("register:member_create", args=[o["kim"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    (
        "member form",
        "get",
        lambda o: reverse("register:member_edit", args=[o["kim"].pk, o["member"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    (
        "member leave",
        "post",
        lambda o: reverse("register:member_leave", args=[o["kim"].pk, o["member"].pk]),
        OWN_VILLAGE_EDIT,
    ),
    ("KIM visits", "get", lambda o: reverse("mentoring:kim_visits", args=[o["kim"].pk]), OWN_VILLAGE_READ),
    ("new visit form", "get", lambda o: reverse("mentoring:visit_create", args=[o["kim"].pk]), STAFF_ONLY),
    (
        "visit page",
        "get",
        lambda o: reverse("mentoring:visit_detail", args=[o["visit_photo"].visit_id]),
        OWN_VILLAGE_READ,
    ),
    (
        "visit photo",
        "get",
        lambda o: reverse("mentoring:visit_photo", args=[o["visit_photo"].pk]),
        OWN_VILLAGE_READ,
    ),
    (
        "visit photo thumbnail",
        "get",
        lambda o: reverse("mentoring:visit_photo_thumbnail", args=[o["visit_photo"].pk]),
        OWN_VILLAGE_READ,
    ),
    ("existing KIM form", "get", lambda o: reverse("formation:record_existing"), STAFF_ONLY),
    ("levels", "get", lambda o: reverse("register:level_list"), PROGRAMME_READERS),
    ("new level form", "get", lambda o: reverse("register:level_create"), STAFF_ONLY),
    # Targets and formations
    ("targets", "get", lambda o: reverse("formation:target_list", args=[2019]), PROGRAMME_READERS),
    ("targets, set", "post", lambda o: reverse("formation:target_list", args=[2019]), STAFF_ONLY),
    ("formation list", "get", lambda o: reverse("formation:list"), FORMATION_READERS),
    ("formation page", "get", lambda o: reverse("formation:detail", args=[o["formation"].pk]), OWN_FORMATION),
    (
        "formation step form",
        "get",
        lambda o: reverse("formation:step", args=[o["formation"].pk, "coordination"]),
        STAFF_ONLY,
    ),
    (
        "formation answer",
        "post",
        lambda o: reverse("formation:answer", args=[o["formation"].pk]),
        HEAD_ANSWERS,
    ),
    (
        "formation cancel",
        "post",
        lambda o: reverse("formation:cancel", args=[o["formation"].pk]),
        _redirected(STAFF_ONLY),
    ),
    (
        "formation activate",
        "post",
        lambda o: reverse("formation:activate", args=[o["formation"].pk]),
        _redirected(STAFF_ONLY),
    ),
    ("formation letter", "get", lambda o: reverse("formation:letter", args=[o["formation"].pk]), NO_LETTER),
    (
        # Staff are sent back to the formation's page until its village meeting is recorded.
        "formation briefing plan",
        "get",
        lambda o: reverse("formation:plan_briefing", args=[o["formation"].pk]),
        _redirected(STAFF_ONLY),
    ),
    # Agencies' sessions, resource persons and the calendar
    ("calendar", "get", lambda o: reverse("outreach:session_calendar"), ALL_READERS),
    ("calendar subscription", "get", lambda o: reverse("outreach:calendar_subscription"), ALL_READERS),
    ("session list", "get", lambda o: reverse("outreach:session_list"), ALL_READERS),
    ("new session form", "get", lambda o: reverse("outreach:session_create"), PROPOSERS),
    ("session page", "get", lambda o: _session_url("session_detail", o), SESSION_READ),
    ("session edit form", "get", lambda o: _session_url("session_edit", o), SESSION_MANAGE),
    ("session reschedule form", "get", lambda o: _session_url("session_reschedule", o), SESSION_MANAGE),
    ("session cancel", "post", lambda o: _session_url("session_cancel", o), SESSION_MANAGE),
    ("session confirm", "post", lambda o: _session_url("session_confirm", o), _redirected(SESSION_CONFIRM)),
    ("session date request", "post", lambda o: _session_url("session_request_date", o), SESSION_CONFIRM),
    (
        "mark held",
        "post",
        lambda o: _session_url("session_held", o, "confirmed_past"),
        _redirected(SESSION_MANAGE),
    ),
    ("report form", "get", lambda o: _session_url("session_report", o, "held"), SESSION_MANAGE),
    ("report", "post", lambda o: _session_url("session_report", o, "held"), SESSION_MANAGE),
    (
        "follow-up done",
        "post",
        lambda o: reverse("outreach:follow_up_done", args=[o["held"].pk, o["follow_up"].pk]),
        _redirected(SESSION_MANAGE),
    ),
    # The old address of the printed sheet leads to the session's attendance document.
    (
        "attendance sheet",
        "get",
        lambda o: _session_url("session_attendance_sheet", o),
        _redirected(SESSION_READ),
    ),
    (
        "session activity report draft",
        "get",
        lambda o: reverse("documents:draft", args=["session.report", o["held"].pk]),
        SESSION_READ,
    ),
    (
        "session activity report issue",
        "post",
        lambda o: reverse("documents:issue", args=["session.report", o["held"].pk]),
        _redirected(SESSION_MANAGE),
    ),
    (
        "report photo",
        "get",
        lambda o: reverse("outreach:session_photo", args=[o["held"].pk, o["photo"].pk]),
        SESSION_READ,
    ),
    (
        "report photo thumbnail",
        "get",
        lambda o: reverse("outreach:session_photo_thumbnail", args=[o["held"].pk, o["photo"].pk]),
        SESSION_READ,
    ),
    ("resource persons", "get", lambda o: reverse("outreach:resource_person_list"), RESOURCE_PERSON_READERS),
    ("new resource person form", "get", lambda o: reverse("outreach:resource_person_create"), PROPOSERS),
    (
        "resource person form",
        "get",
        lambda o: reverse("outreach:resource_person_edit", args=[o["person"].pk]),
        OWN_AGENCY_EDIT,
    ),
    ("topics", "get", lambda o: reverse("outreach:topic_list"), PROGRAMME_READERS),
    ("new topic form", "get", lambda o: reverse("outreach:topic_create"), STAFF_ONLY),
    ("topic form", "get", lambda o: reverse("outreach:topic_edit", args=[o["topic"].pk]), STAFF_ONLY),
    ("change history", "get", lambda o: reverse("audit:list"), PROGRAMME_READERS),
    ("dashboard", "get", lambda o: reverse("dashboard:index"), DASHBOARD_READERS),
    (
        "dashboard of a kecamatan in 2019",
        "get",
        lambda o: reverse("dashboard:index") + f"?year=2019&kecamatan={o['village'].district_id}",
        DASHBOARD_READERS,
    ),
    ("follow-up actions", "get", lambda o: reverse("outreach:follow_up_list"), ALL_READERS),
    (
        "one object's change history",
        "get",
        lambda o: (
            reverse("audit:list") + f"?subject=kim.kim&object={o['kim'].pk}&kind=~&date_from=2019-01-01"
        ),
        PROGRAMME_READERS,
    ),
    ("calendar link renew", "post", lambda o: reverse("outreach:calendar_renew"), _redirected(ALL_READERS)),
    (
        "calendar feed",
        "get",
        lambda o: reverse("outreach:calendar_feed", args=[o["feed"].token]),
        PUBLIC,
    ),
    (
        "calendar feed, wrong secret",
        "get",
        lambda o: reverse("outreach:calendar_feed", args=[o["feed"].token[:-4] + "xxxx"]),
        dict.fromkeys(PERSONAS, 404),
    ),
]


PAGES += INBOX_PAGES + REMINDER_PAGES + DOWNLOAD_PAGES + DOCUMENT_PAGES


def _session_url(name: str, objects: dict, which: str = "session") -> str:
    return reverse(f"outreach:{name}", args=[objects[which].pk])


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def objects(
    village,
    other_village,
    agency,
    staff,
    staff_admin,
    leader,
    head,
    stranger,
    officer,
    other_officer,
    no_role,
    media,
    reminder_rules,
):
    kim = KimFactory(village=village, name="KIM Selakambang")
    now = timezone.now()
    past = {"kim": kim, "agency": agency, "starts_at": now - dt.timedelta(days=2)}
    held = SessionFactory(**past, state=Session.State.HELD)
    visit = VisitFactory(kim=kim)
    return {
        "village": village,
        "kim": kim,
        "member": MemberFactory(kim=kim),
        "formation": FormationFactory(target__village=village),
        "session": SessionFactory(kim=kim, agency=agency, starts_at=now + dt.timedelta(days=7)),
        "confirmed_past": SessionFactory(**past, state=Session.State.CONFIRMED),
        "held": held,
        "follow_up": FollowUp.objects.create(
            session=held, action="Pendataan balita", owner="Kader", due_on=now.date()
        ),
        "photo": SessionPhoto.objects.create(session=held, image=ContentFile(PNG, name="foto.png")),
        "visit": visit,
        "visit_photo": VisitPhoto.objects.create(visit=visit, image=ContentFile(PNG, name="foto.png")),
        "person": ResourcePersonFactory(agency=agency),
        "topic": TopicFactory(),
        "feed": calendar_feed_get_or_create(user=officer),
        "group": CommunityGroupFactory(village=village),
        "rule": ReminderRule.objects.get(trigger="session_start", offset_days=-3),
        # Reminders already sent: to the officer's inbox, to the WhatsApp queue, and one that failed.
        "inbox_message": ReminderFactory(user=officer, channel="inbox"),
        "whatsapp_message": ReminderFactory(
            channel="whatsapp", recipient="member:1", address="+6281234567890"
        ),
        "failed": ReminderFactory(
            user=officer, channel="email", state="failed", last_error="address refused"
        ),
        "agency": agency,
        "staff": staff,
        "leader": leader,
        "personas": {
            "anonymous": None,
            "staff": staff,
            "staff_admin": staff_admin,
            "leader": leader,
            "head": head,
            "stranger": stranger,
            "officer": officer,
            "other_officer": other_officer,
            "no_role": no_role,
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page", "method", "url", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_permission_matrix(client, objects, persona, page, method, url, expected):
    user = objects["personas"][persona]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url(objects))
    assert response.status_code == expected[persona], f"{persona} on {page}"
    # Whoever asks and whatever the answer, no page is kept in a cache (kim.accounts.middleware).
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    if persona == "anonymous" and expected[persona] == 302 and page != "sign-in":
        assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_an_account_without_a_role_is_expected_to_reach_only_public_pages(objects):
    """Guards the matrix itself: a new page whose expectations let "no_role" in must be a public one."""
    let_in = [page for page, _method, _url, expected in PAGES if expected["no_role"] != 403]
    public = [page for page, _method, url, _expected in PAGES if _is_public(url(objects))]
    assert let_in == public


def _is_public(url: str) -> bool:
    """Open to a visitor who is not signed in: the view is marked `login_not_required`."""
    return not getattr(resolve(urlsplit(url).path).func, "login_required", True)


@pytest.mark.django_db
def test_village_head_sees_only_their_own_village_in_the_list(client, head, village, other_village):
    client.force_login(head)
    response = client.get(reverse("villages:list"))
    assert [row.code for row in response.context["page"]] == [village.code]


@pytest.mark.django_db
def test_village_head_map_data_holds_only_their_village(client, head, village, other_village, settings):
    settings.KIM_REGENCY_CODE = village.district.regency_id
    client.force_login(head)
    data = client.get(reverse("villages:map_data")).json()
    assert list(data["villages"]) == [village.code]


@pytest.mark.django_db
def test_the_leader_column_reads_what_staff_read_and_refuses_only_form_pages_and_writes(client, objects):
    """Guards the matrix itself: a leader's expected status is a staff member's (or a staff administrator's,
    who may not own the object either), but on a form page (refused even to look at) and on a POST (refused
    unless the view is marked `leader_may_post`). A page that staff read and a leader may not must be a form
    page: staff's answer to it holds a form that posts back to it."""
    client.force_login(objects["staff"])
    form_views = set()
    for _page, method, url, expected in PAGES:
        if method == "get" and expected["staff"] == 200 and posts_to_itself(client.get(url(objects))):
            form_views.add(_view(url(objects)))
    for page, method, url, expected in PAGES:
        view = _view(url(objects))
        as_staff = {expected["staff"], expected["staff_admin"]}
        if page in LEADER_LANDS_ELSEWHERE:
            wanted = {302}
        elif method == "post":
            wanted = as_staff if getattr(view, "leader_may_post", False) else {403}
        elif view in form_views or page in FORMS_NOT_YET_OPEN:
            # A page with a form for staff: refused to a leader, or read without its form (then the crawl of
            # tests/test_leader.py checks that the leader's copy offers no form it would be refused).
            wanted = {403, *as_staff}
        else:
            wanted = as_staff
        assert expected["leader"] in wanted, (
            f"the leader on {page}: expected {wanted}, not {expected['leader']}"
        )


LEADER_LANDS_ELSEWHERE = {"home"}
# Form pages that send staff back to the record while it has not reached their step (the matrix's formation
# has no village meeting yet, so planning its briefing redirects): forms all the same.
FORMS_NOT_YET_OPEN = {"formation briefing plan"}


def _view(url: str):
    return resolve(urlsplit(url).path).func


# Where a leader's page may send a POST: signing out, the language switch (a visitor's page too), and the
# views marked `leader_may_post` (the person's own settings, their exports).
def _leader_may_post_to(path: str) -> bool:
    view = resolve(path).func
    view_class = getattr(view, "view_class", None)
    return (
        getattr(view, "leader_may_post", False)
        or not getattr(view, "login_required", True)
        or (view_class is not None and issubclass(view_class, LogoutView))
    )


LEADER_CRAWL_LIMIT = 400


@pytest.mark.django_db
def test_no_page_offers_a_leader_a_link_or_a_form_it_would_be_refused(client, objects):
    """From every page of the matrix a leader reads, following each link: no link leads to a page that
    answers a leader 403, and no form posts anywhere a leader may not post (so no edit, add or delete button
    is ever shown to a leader)."""
    client.force_login(objects["leader"])
    start = [
        url(objects)
        for _page, method, url, expected in PAGES
        if method == "get" and expected["leader"] == 200
    ]
    queue, seen, refused = list(dict.fromkeys(start)), set(start), []
    while queue and len(seen) < LEADER_CRAWL_LIMIT:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code == 403:
            refused.append(url)
            continue
        for target in page_targets(response):
            path = urlsplit(target.url).path
            if path.startswith(("/admin/", "/static/", "/media/")):
                continue
            if target.method == "post":
                if not _leader_may_post_to(path):
                    refused.append(f"a form on {url} posting to {target.url}")
            elif target.url not in seen:
                seen.add(target.url)
                queue.append(target.url)
    assert not refused, refused
    assert len(seen) > 60  # the crawl went past the starting pages

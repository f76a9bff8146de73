"""Every list page as every persona: filtered, on its second page, past its last page, and with whatever query
string hypothesis makes up. Never a server error (the test client raises it); whoever may open the page gets
it, whoever may not is refused the same way whatever the query string says.

A list page is one whose view reads the query string, or that lays out a list (templates/_layouts/
list_page.html, or the pages partial): `test_every_list_page_is_covered` fails for a new one until it is here.
"""

import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from kim.downloads.models import ExportJob
from kim.register.models import Kim
from tests.expectations import PERSONAS, PROGRAMME_READERS, STAFF_ONLY
from tests.factories import (
    DevelopmentLevelFactory,
    FormationFactory,
    KimFactory,
    ReminderFactory,
    ResourcePersonFactory,
    SessionFactory,
    TopicFactory,
    VillageFactory,
    VillageYearFactory,
    VisitFactory,
)
from tests.permissions_inbox import SIGNED_IN
from tests.test_bad_input import EXAMPLES, TEXT
from tests.test_permissions import (
    ADMIN_ONLY,
    ALL_READERS,
    FORMATION_READERS,
    OWN_VILLAGE_READ,
    RESOURCE_PERSON_READERS,
)

Objects = dict
# test_bad_input's bounds, halved: each example here is a request per persona, on each of the pages.
HALF_THE_EXAMPLES = examples(EXAMPLES, max_examples=EXAMPLES.max_examples // 2)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ListPage:
    name: str  # the URL's name
    expected: dict[str, int]  # the status each persona gets, as in the permission matrix
    filters: Callable[[Objects], dict] = lambda o: {}  # plausible filter values, the rows fixture's own
    args: Callable[[Objects], list] = lambda o: []
    fixed: dict = field(default_factory=dict)  # query parameters every request of this entry carries
    paginated: bool = False
    label: str = ""

    @property
    def id(self) -> str:
        return self.label or self.name

    def url(self, objects: Objects) -> str:
        return reverse(self.name, args=self.args(objects))


def _villages(o: Objects) -> dict:
    return {
        "q": "Sela",
        "district": o["village"].district_id,
        "kind": "desa",
        "year": "2019",
        "red_zone": "yes",
        "mentor": o["agency"].pk,
        "has_kim": "yes",
        "active_kim": "no",
    }


def _kims(o: Objects) -> dict:
    return {
        "q": "KIM",
        "kecamatan": o["village"].district_id,
        "status": Kim.Status.ACTIVE,
        "level": o["level"].pk,
        "origin": Kim.Origin.NEW,
        "mentor": o["staff"].pk,
        "last_visit": "overdue",
        "flagged": "yes",
        "founded": "2019",
        "founded_by": "2019",
        "visit_as_of": "2019-12-31",
    }


def _formations(o: Objects) -> dict:
    return {
        "year": "2019",
        "step": "none",
        "kecamatan": o["village"].district_id,
        "awaiting": "no",
        "stuck": "no",
    }


def _sessions(o: Objects) -> dict:
    return {
        "agency": o["agency"].pk,
        "kecamatan": o["village"].district_id,
        "topic": o["topic"].pk,
        "state": "proposed",
        "date_from": "2019-01-01",
        "date_to": "2019-12-31",
        "year": "2019",
        "month": "3",
        "cancelled": "no",
        "report_owed": "no",
    }


def _follow_ups(o: Objects) -> dict:
    return {
        "progress": "open",
        "year": "2019",
        "kecamatan": o["village"].district_id,
        "agency": o["agency"].pk,
    }


def _dashboard(o: Objects) -> dict:
    return {"year": "2019", "kecamatan": o["village"].district_id}


def _calendar(o: Objects) -> dict:
    return {
        "date": "2019-03-07",
        "agency": o["agency"].pk,
        "kecamatan": o["village"].district_id,
        "topic": o["topic"].pk,
        "kim": o["kim"].pk,
    }


def _outbox(o: Objects) -> dict:
    return {
        "rule": o["rule"].pk,
        "state": "sent",
        "trigger": o["rule"].trigger,
        "channel": "inbox",
        "due_from": "2000-01-01",
        "due_to": "2100-12-31",
        "q": "Pener",
    }


def _changes(o: Objects) -> dict:
    return {
        "actor": o["staff"].pk,
        "subject": "kim.kim",
        "object": o["kim"].pk,
        "kind": "+",
        "date_from": "2019-01-01",
        "date_to": "2100-12-31",
    }


def _year(o: Objects) -> list:
    return [2019]


def _kim(o: Objects) -> list:
    return [o["kim"].pk]


# Staff and leaders (a leader reads what staff read), whichever personas the matrix has.
DASHBOARD_READERS = {**STAFF_ONLY, **({"leader": 200} if "leader" in STAFF_ONLY else {})}


LIST_PAGES = [
    ListPage("villages:list", ALL_READERS, _villages, paginated=True),
    ListPage("villages:map", ALL_READERS, _villages),
    ListPage("villages:map_data", ALL_READERS, _villages),
    ListPage("villages:status_bulk", STAFF_ONLY, _villages, args=_year),
    ListPage("register:list", ALL_READERS, _kims, paginated=True),
    ListPage("register:level_list", PROGRAMME_READERS),
    ListPage("mentoring:kim_visits", OWN_VILLAGE_READ, args=_kim),
    ListPage("formation:target_list", PROGRAMME_READERS, args=_year),
    ListPage("formation:list", FORMATION_READERS, _formations, paginated=True),
    ListPage("outreach:session_list", ALL_READERS, _sessions, paginated=True),
    ListPage("outreach:follow_up_list", ALL_READERS, _follow_ups),
    ListPage("dashboard:index", DASHBOARD_READERS, _dashboard),
    *(
        ListPage(
            "outreach:session_calendar",
            ALL_READERS,
            _calendar,
            fixed={"view": view},
            label=f"calendar {view}",
        )
        for view in ("month", "week", "agenda")
    ),
    ListPage(
        "outreach:resource_person_list",
        RESOURCE_PERSON_READERS,
        lambda o: {"q": "Nara", "agency": o["agency"].pk, "topic": o["topic"].pk},
        paginated=True,
    ),
    ListPage("outreach:topic_list", PROGRAMME_READERS),
    ListPage("outreach:agency_list", PROGRAMME_READERS),
    ListPage("accounts:list", ADMIN_ONLY, lambda o: {"q": "a", "role": "none"}, paginated=True),
    ListPage("reminders:rules", PROGRAMME_READERS),
    ListPage("reminders:outbox", PROGRAMME_READERS, _outbox, paginated=True),
    ListPage("reminders:inbox", SIGNED_IN, paginated=True),
    ListPage("downloads:list", SIGNED_IN, paginated=True),
    ListPage("reminders:whatsapp_queue", PROGRAMME_READERS, lambda o: {"status": "sent"}, paginated=True),
    ListPage("audit:list", PROGRAMME_READERS, _changes, paginated=True),
]
COVERED = {page.name for page in LIST_PAGES}

# Pages that read the query string but are forms, not lists: each says what it reads.
NOT_LISTS = {
    "reminders:rule_create": "?trigger= chooses the kind of rule to create",
    "reminders:rule_edit": "the same view as rule_create; an existing rule has its trigger",
    "outreach:session_create": "?kim= fills in the KIM of the new session",
    "downloads:start": "a POST from a list's download button, carrying that list's filters to export",
}

# What a hostile user might send: the broken page numbers first, then whatever hypothesis makes up.
PAGE_CASES = {
    "plain": {},
    "second page": {"page": "2"},
    "past the last page": {"page": "9999"},
    "page zero": {"page": "0"},
    "negative page": {"page": "-1"},
    "page not a number": {"page": "zwei"},
    "page beyond any integer": {"page": "9" * 40},
}


@pytest.fixture
def pages_of_two(monkeypatch):
    """Every list shows two rows a page, so that three rows make a second page."""
    original = Paginator.__init__

    def two_a_page(self, object_list, per_page, *args, **kwargs):
        original(self, object_list, 2, *args, **kwargs)

    monkeypatch.setattr(Paginator, "__init__", two_a_page)


@pytest.fixture
def rows(
    settings,
    pages_of_two,
    reminder_rules,
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
):
    """Three rows or more in every list staff see: a second page everywhere."""
    settings.KIM_REGENCY_CODE = village.district.regency_id
    third_village = VillageFactory(code="33.03.04.2007", district=village.district, name="Selanegara")
    level = DevelopmentLevelFactory()
    kims = [
        KimFactory(
            village=each,
            name=f"KIM {each.name}",
            status=Kim.Status.ACTIVE,
            origin=Kim.Origin.NEW,
            level=level,
        )
        for each in (village, other_village, third_village)
    ]
    kims[0].mentors.add(staff)
    VillageYearFactory(village=village, year=2019, is_red_zone=True, mentor_agency=agency)
    for each in (village, other_village, third_village):
        FormationFactory(target__village=each)
    topic = TopicFactory()
    for day in (5, 6, 7):
        SessionFactory(kim=kims[0], agency=agency, topic=topic, starts_at=_day(day))
    SessionFactory(kim=kims[1], agency=other_officer.agency, topic=topic)
    for _ in range(3):
        ResourcePersonFactory(agency=agency).topics.add(topic)
        VisitFactory(kim=kims[0])
        ReminderFactory(channel="whatsapp", recipient="member:1", address="+6281234567890")
    personas = {
        "staff": staff,
        "staff_admin": staff_admin,
        "leader": leader,
        "head": head,
        "stranger": stranger,
    }
    personas |= {"officer": officer, "other_officer": other_officer, "no_role": no_role}
    for user in personas.values():
        for _ in range(3):
            ReminderFactory(user=user, channel="inbox")
        ExportJob.objects.bulk_create(
            ExportJob(owner=user, kind="villages", file_format="csv", params_key=str(n), title="Desa")
            for n in range(3)
        )
    return {
        "village": village,
        "agency": agency,
        "kim": kims[0],
        "level": level,
        "topic": topic,
        "staff": staff,
        "rule": reminder_rules[0],
        "clients": {"anonymous": Client(), **{name: _signed_in(user) for name, user in personas.items()}},
    }


def _day(day: int) -> dt.datetime:
    return dt.datetime(2019, 3, day, 2, 0, tzinfo=dt.UTC)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, page: ListPage, objects: Objects, params: dict):
    response = client.get(page.url(objects), {**page.fixed, **params})
    if response.streaming:
        response.getvalue()  # a download fails while it is sent, if it fails
    return response


def _may_open(page: ListPage) -> list[str]:
    return [persona for persona in PERSONAS if page.expected[persona] == 200]


@pytest.mark.django_db
@pytest.mark.parametrize("list_page", LIST_PAGES, ids=[page.id for page in LIST_PAGES])
def test_list_page_answers_every_persona_filtered_and_on_any_page(rows, list_page):
    filtered = {name: str(value) for name, value in list_page.filters(rows).items()}
    cases = {**PAGE_CASES, "filtered": filtered, "filtered, second page": {**filtered, "page": "2"}}
    for persona in PERSONAS:
        for case, params in cases.items():
            response = _get(rows["clients"][persona], list_page, rows, params)
            assert response.status_code == list_page.expected[persona], f"{persona}, {case}"
    assert _may_open(list_page), "nobody may open the page: its cases prove nothing"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "list_page", [page for page in LIST_PAGES if page.paginated], ids=lambda page: page.id
)
def test_list_page_shows_staff_its_second_page(rows, list_page):
    persona = "staff_admin"
    response = _get(rows["clients"][persona], list_page, rows, {"page": "2"})
    assert response.context["page"].number == 2
    assert (
        _get(rows["clients"][persona], list_page, rows, {"page": "9999"}).context["page"].has_next() is False
    )


def _hostile_params(page: ListPage):
    """Query strings made of the page's own parameter names (and any other), each given once or repeated."""
    names = st.sampled_from(["page", "view", "date", *page.filters(_Anything())])
    values = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3))
    return st.dictionaries(st.one_of(names, st.text(max_size=10)), values, max_size=5)


def _flat(params: dict) -> str:
    return "".join(
        f"{name}{''.join(value) if isinstance(value, list) else value}" for name, value in params.items()
    )


class _Anything(dict):
    """Stands in for the rows fixture when only the filters' names are wanted: any object, any attribute."""

    def __missing__(self, key):
        return self

    def __getattr__(self, name):
        return self


@pytest.mark.django_db
@pytest.mark.parametrize("list_page", LIST_PAGES, ids=[page.id for page in LIST_PAGES])
def test_list_page_survives_any_query_string(rows, list_page):
    @HALF_THE_EXAMPLES
    @given(params=_hostile_params(list_page))
    def survives(params):
        # A control character in the URL may be refused before any view runs: a 404, never a 500.
        allowed = {200, 404} if _CONTROL.search(_flat(params)) else {200}
        for persona in _may_open(list_page):
            assert _get(rows["clients"][persona], list_page, rows, params).status_code in allowed, persona

    survives()


def _patterns(resolvers, namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and not namespace.startswith("admin:"):
            yield f"{namespace}{entry.name}", inspect.unwrap(entry.callback)


_TEMPLATE = re.compile(r"""["']([\w/]+\.html)["']""")
_LIST_LAYOUT = ("_layouts/list_page.html", "_partials/pagination.html")


def _is_list(view) -> bool:
    """The view reads the query string, or renders a template that lays out a list."""
    if not view.__module__.startswith(("kim.", "villages.", "outreach.")):
        return False  # Django's own: admin, sign-in
    source = inspect.getsource(view)
    templates = Path(django_settings.BASE_DIR) / "templates"
    laid_out = any(
        layout in (templates / name).read_text()
        for name in _TEMPLATE.findall(source)
        if (templates / name).exists()
        for layout in _LIST_LAYOUT
    )
    return "request.GET" in source or laid_out


def test_every_list_page_is_covered():
    lists = {name for name, view in _patterns(get_resolver().url_patterns) if _is_list(view)}
    assert lists - NOT_LISTS.keys() - COVERED == set(), "a list page this module does not request"
    assert {page.name for page in LIST_PAGES if page.paginated} <= lists, "the finder misses paginated lists"
    assert {name for name, _view in _patterns(get_resolver().url_patterns)} >= COVERED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "list_page",
    [page for page in LIST_PAGES if page.expected["leader"] == page.expected["staff"] == 200],
    ids=lambda page: page.id,
)
def test_a_leader_reads_each_list_staff_read_in_as_many_queries(rows, list_page):
    """The lists' fixed query counts (pinned for staff in each room's tests) hold for a leader too: the same
    rows, read the same way."""
    filtered = {name: str(value) for name, value in list_page.filters(rows).items()}
    counts = {}
    for persona in ("staff", "leader"):
        client = rows["clients"][persona]
        _get(client, list_page, rows, filtered)  # the session and the caches, read once
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, list_page, rows, filtered).status_code == 200
        counts[persona] = len(queries)
    assert counts["leader"] == counts["staff"]

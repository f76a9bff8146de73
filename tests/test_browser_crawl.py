"""In Chromium on a 360 px phone, every page each role reaches from its home page by following links, with
the demo data loaded: axe-core finds no serious or critical WCAG 2 A/AA violation, the Nu HTML Checker no
error, no page scrolls sideways, and the console stays clean (no error, no CSP violation).

The two checkers come from the npm registry: `.ci/run` installs them into var/node (pinned there)."""

import dataclasses
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from kim.management.commands.load_demo import DEMO_PASSWORD
from tests.conftest import PHONE, _missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NODE_MODULES = Path(__file__).resolve().parent.parent / "var" / "node" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# (role, demo account); None is a visitor who has not signed in.
ROLES = [
    ("anonymous", None),
    ("staff admin", "admin"),
    ("staff", "staf"),
    ("leader", "pimpinan"),
    ("village head", "kades.selakambang"),
    ("agency officer", "dinkes"),
]
# A few pages per URL pattern, so as to meet objects in different states (a formation at its first step and
# one done), one per pattern and set of query parameter names (a filter, a page), at most so many per role:
# the run stays short.
PAGES_PER_PATTERN = 3
MAX_PAGES_PER_ROLE = 150
NOT_PAGES = (".csv", ".xlsx", ".ics", ".json", ".pdf", ".png", ".jpg", ".jpeg", ".webp")
NOT_OURS = ("/admin/", "/static/", "/media/")
SKIPPED_ROUTES = {"logout"}
# A page's URL pattern and the names of its query parameters.
Route = tuple[str, frozenset[str]]

AXE_RUN = """async () => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]},
    resultTypes: ["violations"],
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}; ` + v.nodes.slice(0, 3).map((n) =>
      `${n.target.join(" ")} ${n.failureSummary.split("\\n").slice(1).join(" ").trim()}`).join(" | "));
}"""


@dataclasses.dataclass
class Visited:
    role: str
    url: str
    route: str
    html: str = ""
    findings: list[str] = dataclasses.field(default_factory=list)


@pytest.fixture
def checkers():
    if not AXE.exists() or not VNU.exists():
        _missing(f"axe-core and vnu-jar from npm in {NODE_MODULES} (.ci/run installs them)")
    if not shutil.which("java"):
        _missing("a Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)")


@pytest.fixture
def demo(db, media, reminder_rules):
    call_command("import_areas", "--regency", "33.03", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def test_every_page_each_role_reaches_passes_axe_and_the_html_checker_and_fits_a_phone(
    page, live_server, checkers, demo, tmp_path
):
    visited = list[Visited]()
    current = list[Visited]()
    page.on("console", lambda m: _console(current, m.type, f"{m.text} ({m.location.get('url')})"))
    page.on("pageerror", lambda e: _console(current, "error", f"uncaught {e}"))
    for role, username in ROLES:
        page.context.clear_cookies()
        if username:
            _sign_in(page, live_server.url, username)
        visited += _crawl(page, live_server.url, role, current)
        current.clear()

    _check_markup(visited, tmp_path)
    failing = [v for v in visited if v.findings]
    assert not failing, _report(visited, failing)


def _sign_in(page: Page, base: str, username: str):
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    # Home, or for a leader the dashboard the home page sends them to.
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/(dasbor/)?$"))


def _console(current: list[Visited], kind: str, text: str):
    if kind == "error" and current:
        label = "CSP violation" if "Content Security Policy" in text else "console error"
        current[-1].findings.append(f"{label}: {text}")


def _crawl(page: Page, base: str, role: str, current: list[Visited]) -> list[Visited]:
    frontier, visited = Frontier(base), list[Visited]()
    frontier.add(f"{base}/")
    while len(visited) < MAX_PAGES_PER_ROLE and (url := frontier.pop()):
        visit = Visited(role, url.removeprefix(base), "")
        current.append(visit)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a download (an attachment) is no page
            if "Download is starting" not in str(error):
                raise
            response = None
        route = frontier.route_of(page.url) if page.url != url else frontier.routes[url]
        html = response is not None and "text/html" in (response.headers.get("content-type") or "")
        if response is None or not html or route is None or not frontier.take(page.url, route):
            current.pop()
            continue
        visit.url, visit.route = page.url.removeprefix(base), route[0]
        if response.status != 200:
            visit.findings.append(f"HTTP {response.status}")
        _check_page(page, visit, response.text())
        visited.append(visit)
        for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href.split('#')[0])"):
            frontier.add(href)
    return visited


class Frontier:
    """The links found and not yet followed; pages of a pattern not yet seen go first."""

    def __init__(self, base: str):
        self.base = base
        self.routes: dict[str, Route] = {}
        self.waiting: list[str] = []
        self.taken: set[str] = set()
        self.seen: Counter[Route] = Counter()
        self.patterns: set[str] = set()

    def add(self, url: str):
        route = self.route_of(url)
        if route is not None and url not in self.routes:
            self.routes[url] = route
            self.waiting.append(url)

    def pop(self) -> str | None:
        self.waiting = [url for url in self.waiting if self._allowed(url, self.routes[url])]
        for first in (lambda r: r[0] not in self.patterns, lambda r: not self.seen[r], bool):
            for index, url in enumerate(self.waiting):
                if first(self.routes[url]):
                    return self.waiting.pop(index)
        return None

    def take(self, url: str, route: Route) -> bool:
        """Counts a page visited (the one a link led to, after any redirect); False when it is one too many."""
        if not self._allowed(url, route):
            return False
        self.taken.add(url)
        self.seen[route] += 1
        self.patterns.add(route[0])
        return True

    def _allowed(self, url: str, route: Route) -> bool:
        return url not in self.taken and self.seen[route] < (1 if route[1] else PAGES_PER_PATTERN)

    def route_of(self, url: str) -> Route | None:
        return _pattern(url, self.base)


def _pattern(url: str, base: str) -> Route | None:
    """The URL pattern and query parameter names of a page to visit; None for what is not a page of ours."""
    parts = urlsplit(url)
    if not url.startswith(f"{base}/") or parts.path.startswith(NOT_OURS) or parts.path.endswith(NOT_PAGES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("(no pattern) " + parts.path, frozenset())
    if match.url_name in SKIPPED_ROUTES:
        return None
    names = frozenset(name for name, _ in parse_qsl(parts.query, keep_blank_values=True))
    return ("/" + (match.route or ""), names)


def _check_page(page: Page, visit: Visited, html: str):
    visit.html = html
    # Against the screen's width, not window.innerWidth: a phone zooms out to show a page that is too wide,
    # and innerWidth then grows with it.
    screen, width = PHONE["width"], page.evaluate("document.documentElement.scrollWidth")
    if width > screen:
        wide = page.evaluate(
            """(screen) => [...document.querySelectorAll("body *")]
                .filter((el) => el.getBoundingClientRect().right > screen + 0.5)
                .slice(-2).map((el) => el.outerHTML.slice(0, 160))""",
            screen,
        )
        visit.findings.append(f"overflow: {width} px wide on a {screen} px screen; past its edge: {wide}")
    # Evaluated rather than added as a <script> tag: the site's CSP refuses inline scripts, rightly.
    if not page.evaluate("!!window.axe"):
        page.evaluate(f"() => {{ {AXE.read_text()}\n }}")
    visit.findings += [f"axe {violation}" for violation in page.evaluate(AXE_RUN)]


def _check_markup(visited: list[Visited], folder: Path):
    """The Nu HTML Checker on the HTML the server sent, every page in one run (the JVM starts slowly)."""
    files = {f"page{number}.html": visit for number, visit in enumerate(visited)}
    for name, visit in files.items():
        (folder / name).write_text(visit.html)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *(str(folder / name) for name in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    for message in json.loads(result.stderr or '{"messages": []}')["messages"]:
        name = Path(urlsplit(message.get("url", "")).path).name
        assert name in files, f"The Nu HTML Checker failed: {message}"
        visit = files[name]
        where = f"line {message.get('lastLine', '?')}: {message.get('extract', '').strip()!r}"
        visit.findings.append(f"Nu HTML Checker {message['type']}: {message['message']} ({where})")


def _report(visited: list[Visited], failing: list[Visited]) -> str:
    count = sum(len(v.findings) for v in failing)
    roles = Counter(visit.role for visit in visited)
    lines = [
        f"{count} findings on {len(failing)} of the {len(visited)} pages crawled "
        f"({', '.join(f'{role}: {n}' for role, n in roles.items())}). To see one, open it at 360 px as that role "
        "(`make run`'s demo accounts); fix it in templates/ or static/css/app.css:"
    ]
    for visit in failing:
        lines.append(f"[{visit.role}] {visit.url}  ({visit.route})")
        lines += [f"    {finding}" for finding in visit.findings]
    return "\n".join(lines)

"""The links and forms a page offers, read from its HTML: for the tests of what a page lets a person do."""

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Target:
    """Where a link or a form leads: the method it uses, and the site path with its query."""

    method: str
    url: str


class _Targets(HTMLParser):
    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.found: list[Target] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self._add("get", attributes["href"])
        elif tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._add(method, attributes.get("action") or self.base)
        elif tag in {"button", "input"} and attributes.get("formaction"):
            self._add((attributes.get("formmethod") or "post").lower(), attributes["formaction"])

    def _add(self, method: str, href: str):
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            return
        url = urlsplit(urljoin(self.base, href))
        if url.scheme in {"", "http"} and url.netloc in {"", "testserver"}:
            self.found.append(Target(method, url.path + (f"?{url.query}" if url.query else "")))


def page_targets(response) -> list[Target]:
    """Every link and form of an HTML response, as site paths (other sites left out)."""
    if not response["Content-Type"].startswith("text/html"):
        return []
    parser = _Targets(response.wsgi_request.get_full_path())
    parser.feed(response.content.decode())
    return parser.found


def posts_to_itself(response) -> bool:
    """A form page: the page holds a form that posts back to its own address."""
    own = urlsplit(response.wsgi_request.get_full_path()).path
    return any(t.method == "post" and urlsplit(t.url).path == own for t in page_targets(response))

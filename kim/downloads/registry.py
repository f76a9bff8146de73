"""What can be exported. The engine names no domain: each feature registers its export kinds from its own
exports.py (listed in EXPORT_FEATURES, kim/apps.py, imported when the app is ready), and the engine asks the
registry.

Registering a kind
------------------
    from kim.downloads import registry

    registry.register(
        registry.ExportKind(
            name="villages",                       # the URL's and the job's name for it; at most 40 characters
            label=gettext_lazy("Villages"),        # what the Downloads page calls it
            may_export=lambda user: user.has_role, # the SAME access check as its list; asked again at build
                                                   # time and at every download (a role may have changed)
            read_params=read_params,               # (query: QueryDict, user) -> dict, JSON-able; or raise
                                                   # registry.InvalidParams("plain Indonesian reason")
            filename=lambda params: f"desa-{params['year'][0]}",  # without suffix
            describe=describe,                     # (params, user) -> str: the filters in words ("" for
                                                   # none), shown on the Downloads page
            formats=("csv", "xlsx"),               # the default
            rows=rows,                             # a list's rows, see below
            list_url="villages:list",              # optional: the list it comes from (a "back" link)
        )
    )

A kind gives exactly one of:

(a) `rows(user, params) -> Rows`: a list's rows. `Rows(header, rows, total, sheet="")`: `header` a list of
    column names, `rows` an iterable (a generator over `queryset.iterator(chunk_size=...)`: never a list, so
    memory stays flat however many rows there are) of value lists, `total` the number of rows it will
    yield (a `count()`, for the percentage). The engine writes them as CSV (UTF-8 with a byte-order mark) or
    as an xlsx sheet (kim.lib.xlsx, straight into the zip: bold header, frozen first row, columns as wide
    as the header and the first 1,000 rows' values): text through kim.lib.exports.spreadsheet_safe and always written as text (never taken
    for a formula, a link or a number), numbers as numbers, dates and datetimes as dates (datetimes in
    WIB).
    `user` is the job's owner: re-apply the filters through the list's own for_user selector, so the file
    holds what the owner may see at build time, never more.

(b) `build(job, output, progress) -> None`: a kind that writes its own file (a multi-sheet workbook, a PDF).
    `job` is the ExportJob (`job.owner`, `job.params`, `job.file_format`), `output` a binary file open for
    writing (write to it or `workbook.save(output)`; do not close it), `progress(done, total)` a callback to
    call as work goes on (the engine throttles what it writes to the database; call it as often as you like).
    Raise registry.ExportFailed("plain Indonesian reason") for a failure the person should read; anything
    else raised is logged and shown as a general failure.

Params: `read_params` receives the request's query string (the list's current filters) and the person; it
keeps only the keys the kind knows, validates them (the list's FilterSet form, say), and returns a JSON-able
dict. Two requests with the same params reuse one job while it is waiting or running, so make it canonical
(`registry.query_params(query, keys)` keeps the known keys as sorted lists of non-empty strings, and
`registry.as_query(params)` turns them back into a QueryDict for the FilterSet at build time). For a list whose
filters are a form (a FilterSet's), kim.downloads.params.from_form(form, query) reads exactly its fields (and
refuses what the form refuses), and describe_form(form) says them in words.

Jobs run on the Celery worker (task "kim.tasks.run_export"), in the site's language (settings.LANGUAGE_CODE);
the person gets a "file ready" message in their inbox (kim.downloads.reminders) and finds the file on the
Downloads page (/unduhan/, URL name "downloads:list"; a job's page "downloads:job", its file "downloads:file").

Starting an export from a page: POST to `reverse("downloads:start", args=[kind_name, file_format])` with the
list's query string appended (`?year=2024&district=3`); the view checks `may_export`, reads the params,
creates or reuses the job and redirects to its page. The template `downloads/_buttons.html` draws the CSV
and Excel buttons: `{% include "downloads/_buttons.html" with kind="villages" query=query %}`.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.http import QueryDict
from django.utils.functional import Promise

FORMATS = ("csv", "xlsx", "pdf")
FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel", "pdf": "PDF"}

Progress = Callable[[int, int | None], None]


class InvalidParams(Exception):
    """The request's parameters cannot be exported; the message (plain Indonesian, through gettext) is shown."""


class ExportFailed(Exception):
    """A build stopped for a reason the person should read (plain Indonesian, through gettext)."""


@dataclass(frozen=True)
class Rows:
    header: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    total: int
    sheet: str | Promise = ""


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str | Promise
    may_export: Callable[[Any], bool]
    read_params: Callable[[QueryDict, Any], dict]
    filename: Callable[[dict], str]
    describe: Callable[[dict, Any], str] = field(default=lambda params, user: "")
    formats: tuple[str, ...] = ("csv", "xlsx")
    rows: Callable[[Any, dict], Rows] | None = None
    build: Callable[[Any, IO[bytes], Progress], None] | None = None
    list_url: str = ""

    def __post_init__(self):
        if (self.rows is None) == (self.build is None):
            raise ValueError(f"Export kind {self.name!r} needs exactly one of rows and build")
        unknown = set(self.formats) - set(FORMATS)
        if unknown:
            raise ValueError(f"Export kind {self.name!r} names unknown formats {sorted(unknown)}")
        if self.rows is not None and "pdf" in self.formats:
            raise ValueError(f"Export kind {self.name!r}: a list's rows are written as CSV or xlsx only")


_kinds: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    _kinds[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Take a kind away again (for tests that register one of their own)."""
    _kinds.pop(name, None)


def kind(name: str) -> ExportKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"No export kind {name!r} is registered") from None


def find(name: str) -> ExportKind | None:
    return _kinds.get(name)


def kinds() -> list[ExportKind]:
    return list(_kinds.values())


def query_params(query: QueryDict | Mapping, keys: Iterable[str]) -> dict[str, list[str]]:
    """The known keys of a query string, each as a sorted list of its non-empty values (the canonical form the
    reuse of jobs compares); keys with no value are left out."""
    params: dict[str, list[str]] = {}
    for key in sorted(set(keys)):
        values = query.getlist(key) if isinstance(query, QueryDict) else _as_list(query.get(key))
        kept = sorted({str(value).strip() for value in values if str(value).strip()})
        if kept:
            params[key] = kept
    return params


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def as_query(params: Mapping[str, Any]) -> QueryDict:
    """Params kept by query_params, as a QueryDict for the list's FilterSet."""
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, [str(value) for value in _as_list(values)])
    return query

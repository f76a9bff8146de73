"""Kemendagri administrative areas: read the four national CSV files, check them, bring the database in line.

The import only creates and updates the columns it owns (code, name, parent and a village's kind): it never
deletes a row and never touches a village head's contacts. Everything is read and checked before the first
write, and the writes share one transaction, so a broken file leaves the database as it was.
"""

import codecs
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from villages.models import District, Province, Regency, Village, VillageKind

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 1000
REGENCY_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}")


class AreaDataError(Exception):
    """The files cannot be imported as they are; the message says which file and, when it can, which line."""


@dataclass(frozen=True, eq=False)
class Level:
    """One tier of the hierarchy, the file that lists it and the model that stores it."""

    noun: Promise
    plural: Promise
    filename: str
    header: tuple[str, ...]
    code_format: re.Pattern[str]
    example: str
    model: type[models.Model]
    parent: "Level | None" = None
    parent_field: str = ""
    has_kind: bool = False

    @property
    def fields(self) -> list[str]:
        """The model fields the import owns, in the order of `values()`."""
        return ["name", *([self.parent_field] if self.parent else []), *(["kind"] if self.has_kind else [])]

    @property
    def attnames(self) -> list[str]:
        return [f"{name}_id" if name == self.parent_field else name for name in self.fields]

    @cached_property
    def name_max_length(self) -> int:
        name_field = self.model._meta.get_field("name")
        assert isinstance(name_field, models.CharField) and name_field.max_length
        return name_field.max_length

    def values(self, row: "AreaRow") -> tuple[str, ...]:
        parent = (row.parent_code,) if self.parent else ()
        kind = (VillageKind.from_code(row.code).value,) if self.has_kind else ()
        return (row.name, *parent, *kind)

    def instance(self, row: "AreaRow") -> models.Model:
        return self.model(code=row.code, **dict(zip(self.attnames, self.values(row), strict=True)))


PROVINCES = Level(
    noun=gettext_lazy("province"),
    plural=gettext_lazy("provinces"),
    filename="indonesia_provinces.csv",
    header=("code", "name"),
    code_format=re.compile(r"[0-9]{2}"),
    example="33",
    model=Province,
)
REGENCIES = Level(
    noun=gettext_lazy("regency"),
    plural=gettext_lazy("regencies"),
    filename="indonesia_regencies.csv",
    header=("code", "province_code", "name"),
    code_format=REGENCY_CODE,
    example="33.03",
    model=Regency,
    parent=PROVINCES,
    parent_field="province",
)
DISTRICTS = Level(
    noun=gettext_lazy("district"),
    plural=gettext_lazy("districts"),
    filename="indonesia_districts.csv",
    header=("code", "regency_code", "name"),
    code_format=re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"),
    example="33.03.04",
    model=District,
    parent=REGENCIES,
    parent_field="regency",
)
VILLAGES = Level(
    noun=gettext_lazy("village"),
    plural=gettext_lazy("villages"),
    filename="indonesia_villages.csv",
    header=("code", "district_code", "name"),
    code_format=re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
    example="33.03.04.2006",
    model=Village,
    parent=DISTRICTS,
    parent_field="district",
    has_kind=True,
)
LEVELS = (PROVINCES, REGENCIES, DISTRICTS, VILLAGES)


@dataclass(frozen=True, slots=True)
class AreaRow:
    code: str
    parent_code: str  # empty for a province
    name: str
    line: int  # where the record starts in its file; the header is line 1


type AreaRows = dict[Level, list[AreaRow]]


@dataclass
class LevelPlan:
    level: Level
    to_create: list[models.Model] = field(default_factory=list)
    to_update: list[models.Model] = field(default_factory=list)
    unchanged: int = 0
    changed_fields: set[str] = field(default_factory=set)

    @property
    def update_fields(self) -> list[str]:
        # Only what changed somewhere: bulk_update's cost grows with every field it sets, row by row.
        return [name for name in self.level.fields if name in self.changed_fields]


@dataclass(frozen=True)
class LevelResult:
    level: Level
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class AreaImportPlan:
    levels: list[LevelPlan]

    @property
    def total(self) -> int:
        return sum(len(plan.to_create) + len(plan.to_update) + plan.unchanged for plan in self.levels)


def area_files_read(*, data_dir: Path) -> AreaRows:
    """Every row of the four files, each checked on its own and against the rest of its file."""
    return {level: _read_level(level, data_dir) for level in LEVELS}


def area_import_plan(*, areas: AreaRows, regency_code: str | None = None) -> AreaImportPlan:
    """What importing `areas`, all of them or one regency's, would change. Reads the database, writes nothing.

    One query per level loads the rows already there; a row's parent may be in the files or among those.
    """
    if regency_code is not None:
        areas = _select_regency(areas, regency_code)
    existing = {level: _existing_values(level, regency_code) for level in LEVELS}
    plans = []
    for level in LEVELS:
        if level.parent is not None:
            _check_parents(level, areas[level], areas[level.parent], existing[level.parent])
        plans.append(_diff(level, areas[level], existing[level]))
    return AreaImportPlan(levels=plans)


@transaction.atomic
def area_import_apply(
    *, plan: AreaImportPlan, on_progress: Callable[[int], object] | None = None
) -> list[LevelResult]:
    """Write the plan in batches, parents first; `on_progress` is told how many rows each step settled."""
    report = on_progress or (lambda count: None)
    results = []
    for level_plan in plan.levels:
        manager = level_plan.level.model._default_manager
        report(level_plan.unchanged)
        for batch in itertools.batched(level_plan.to_create, BATCH_SIZE):
            manager.bulk_create(batch)
            report(len(batch))
        for batch in itertools.batched(level_plan.to_update, BATCH_SIZE):
            manager.bulk_update(batch, fields=level_plan.update_fields)
            report(len(batch))
        results.append(
            LevelResult(
                level=level_plan.level,
                created=len(level_plan.to_create),
                updated=len(level_plan.to_update),
                unchanged=level_plan.unchanged,
            )
        )
    return results


def area_tables_refresh_statistics() -> None:
    """After a large import, let PostgreSQL count the rows again: list pages use its row estimate as the
    total of an unfiltered list (kim.lib.pagination), and its planner needs fresh statistics. Runs outside a
    transaction, as VACUUM must."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for level in LEVELS:
            cursor.execute(f"VACUUM (ANALYZE) {level.model._meta.db_table}")


def _line_error(level: Level, line: int, problem: str) -> AreaDataError:
    return AreaDataError(
        _("%(file)s line %(line)d: %(problem)s") % {"file": level.filename, "line": line, "problem": problem}
    )


def _read_level(level: Level, data_dir: Path) -> list[AreaRow]:
    records = _records(level, data_dir / level.filename)
    header = next(records, None)
    if header is None:
        raise _line_error(level, 1, _("the file is empty; expected the header %s") % ",".join(level.header))
    if tuple(header[1]) != level.header:
        problem = _("expected the header %(expected)s, found %(found)s") % {
            "expected": ",".join(level.header),
            "found": ",".join(header[1]),
        }
        raise _line_error(level, header[0], problem)
    rows: list[AreaRow] = []
    first_lines: dict[str, int] = {}
    for line, values in records:
        row = _parse_row(level, line, values)
        first = first_lines.setdefault(row.code, line)
        if first != line:
            problem = _("%(noun)s %(code)s is already on line %(first)d") % {
                "noun": level.noun,
                "code": row.code,
                "first": first,
            }
            raise _line_error(level, line, problem)
        rows.append(row)
    return rows


def _records(level: Level, path: Path) -> Iterator[tuple[int, list[str]]]:
    """The file's CSV records, each with the line it starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(_read_text(level, path), newline=""), strict=True)
    line = 1
    try:
        for values in reader:
            if values:
                yield line, values
            line = reader.line_num + 1
    except csv.Error as error:
        raise _line_error(level, line, _("not valid CSV (%s)") % error) from None


def _read_text(level: Level, path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AreaDataError(
            _("%(file)s not found in %(dir)s") % {"file": level.filename, "dir": path.parent}
        ) from None
    except OSError as error:
        raise AreaDataError(
            _("%(file)s cannot be read: %(error)s") % {"file": level.filename, "error": error.strerror}
        ) from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problem = _("not valid UTF-8 (byte 0x%02x)") % data[error.start]
        raise _line_error(level, line, problem) from None


def _parse_row(level: Level, line: int, values: list[str]) -> AreaRow:
    if len(values) != len(level.header):
        problem = _("expected %(expected)d columns (%(header)s), found %(found)d") % {
            "expected": len(level.header),
            "header": ",".join(level.header),
            "found": len(values),
        }
        raise _line_error(level, line, problem)
    code, name = values[0], values[-1]
    parent_code = values[1] if level.parent else ""
    _check_code(level, line, code, parent_code)
    if not name.strip():
        raise _line_error(
            level, line, _("%(noun)s %(code)s has no name") % {"noun": level.noun, "code": code}
        )
    max_length = level.name_max_length
    if len(name) > max_length:
        problem = _("the name of %(noun)s %(code)s is longer than %(max)d characters") % {
            "noun": level.noun,
            "code": code,
            "max": max_length,
        }
        raise _line_error(level, line, problem)
    return AreaRow(code=code, parent_code=parent_code, name=name, line=line)


def _check_code(level: Level, line: int, code: str, parent_code: str) -> None:
    if not level.code_format.fullmatch(code):
        problem = _('"%(code)s" is not a %(noun)s code like %(example)s') % {
            "code": code,
            "noun": level.noun,
            "example": level.example,
        }
        raise _line_error(level, line, problem)
    if level.parent is None:
        return
    if not level.parent.code_format.fullmatch(parent_code):
        problem = _('"%(code)s" is not a %(noun)s code like %(example)s') % {
            "code": parent_code,
            "noun": level.parent.noun,
            "example": level.parent.example,
        }
        raise _line_error(level, line, problem)
    if not code.startswith(f"{parent_code}."):
        problem = _("%(noun)s %(code)s does not start with its %(parent_noun)s code %(parent)s") % {
            "noun": level.noun,
            "code": code,
            "parent_noun": level.parent.noun,
            "parent": parent_code,
        }
        raise _line_error(level, line, problem)
    if level.has_kind and code[9] not in "123":
        problem = _(
            "village %(code)s: the last part must start with 1 (kelurahan), 2 (desa) or 3 (desa adat)"
        ) % {"code": code}
        raise _line_error(level, line, problem)


def _in_regency(code: str, regency_code: str) -> bool:
    return code in (regency_code[:2], regency_code) or code.startswith(f"{regency_code}.")


def _select_regency(areas: AreaRows, regency_code: str) -> AreaRows:
    """The regency, its province, its districts and its villages."""
    if not REGENCY_CODE.fullmatch(regency_code):
        raise AreaDataError(_('"%s" is not a regency code like 33.03') % regency_code)
    if not any(row.code == regency_code for row in areas[REGENCIES]):
        raise AreaDataError(
            _("no regency %(code)s in %(file)s") % {"code": regency_code, "file": REGENCIES.filename}
        )
    return {
        level: [row for row in rows if _in_regency(row.code, regency_code)] for level, rows in areas.items()
    }


def _existing_values(level: Level, regency_code: str | None) -> dict[str, tuple[str, ...]]:
    """The owned values of the rows already in the database, by code: all of them, or the regency's."""
    rows = level.model._default_manager.order_by().values_list("code", *level.attnames)
    if regency_code is not None:
        # Codes nest, so the regency's province, itself and everything under it are these.
        rows = rows.filter(
            Q(code__in=[regency_code[:2], regency_code]) | Q(code__startswith=f"{regency_code}.")
        )
    return {code: tuple(values) for code, *values in rows}


def _check_parents(
    level: Level,
    rows: list[AreaRow],
    parent_rows: list[AreaRow],
    existing_parents: dict[str, tuple[str, ...]],
) -> None:
    assert level.parent is not None
    known = {row.code for row in parent_rows} | existing_parents.keys()
    for row in rows:
        if row.parent_code not in known:
            problem = _(
                "%(noun)s %(code)s names %(parent_noun)s %(parent)s, which is neither in %(parent_file)s "
                "nor in the database"
            ) % {
                "noun": level.noun,
                "code": row.code,
                "parent_noun": level.parent.noun,
                "parent": row.parent_code,
                "parent_file": level.parent.filename,
            }
            raise _line_error(level, row.line, problem)


def _diff(level: Level, rows: list[AreaRow], existing: dict[str, tuple[str, ...]]) -> LevelPlan:
    plan = LevelPlan(level=level)
    for row in rows:
        old, new = existing.get(row.code), level.values(row)
        if old is None:
            plan.to_create.append(level.instance(row))
        elif old != new:
            plan.to_update.append(level.instance(row))
            plan.changed_fields.update(
                name for name, a, b in zip(level.fields, old, new, strict=True) if a != b
            )
        else:
            plan.unchanged += 1
    return plan

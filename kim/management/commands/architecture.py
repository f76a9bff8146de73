"""Figures of the code's shape, read from the source as text (nothing is imported or run), so that a layout
can be compared before and after a change: `manage.py architecture [--root OTHER_CHECKOUT]`.

- imports between the three apps in each direction, and between feature rooms against the layers;
- circles among modules (function-level imports included: a circle dodged inside a function is still one);
- the places that decide who may do what, by kind of place;
- templates that compare a raw state string instead of asking the model.
"""

import ast
import re
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

APPS = ("kim", "villages", "outreach")
ROLE_WORDS = re.compile(
    r"\b(is_dinkominfo|is_staff_admin|is_village_head|is_opd_officer|is_leader)\b|\.role\b|\bRole\."
)
DECORATOR = re.compile(r"^\s*@(role_required|staff_required|staff_admin_required|\w+_required)\b")
ACCESS_HELPER = re.compile(
    r"^\s*def (can_\w+|get_\w+_for_user|get_editable_\w+|get_managed_\w+|\w+_for_editing|for_user|editable_by)\("
)
TEMPLATE_ROLE = re.compile(
    r"\{%[^%]*\b(user\.role|is_dinkominfo|is_staff_admin|is_village_head|is_opd_officer|is_leader|reads_programme)\b"
)
TEMPLATE_STATE = re.compile(
    r"\.(state|step|status|confirmation|kind|channel|origin)(\.value)?\s*(==|!=)\s*['\"]|['\"]\w+['\"]\s*(==|!=)\s*\w+\.(state|step|status)"
)


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] not in APPS or "migrations" in parts or "tests" in parts or parts[-1].startswith("test"):
            continue
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> list[str]:
    """The project modules one file imports, one entry per import statement and module (function-level too)."""
    targets = []
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        resolved = set()
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                resolved.add(name)
        # `from a.b import c` names a.b and, if it is a module, a.b.c: keep the most specific.
        targets += [m for m in resolved if not any(o != m and o.startswith(m + ".") for o in resolved)]
    return targets


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layers(root: Path) -> list[list[str]]:
    """The layers contract, top first (empty for a checkout without one)."""
    config = tomllib.loads((root / "pyproject.toml").read_text()).get("tool", {}).get("importlinter", {})
    for contract in config.get("contracts", []):
        if contract.get("type") == "layers":
            return [[room.strip() for room in layer.split("|")] for layer in contract["layers"]]
    return []


def _layer(module: str, layers: list[list[str]]) -> int | None:
    """How high a module's room stands (0 is the top), or None outside the layers."""
    for height, rooms in enumerate(layers):
        if any(module == room or module.startswith(room + ".") for room in rooms):
            return height
    return None


def _is_package_face(name: str, path: Path) -> bool:
    return path.name == "__init__.py"


class Command(BaseCommand):
    help = (
        "Print figures of the code's shape: imports between apps, circles, access decisions, state strings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.BASE_DIR), help="the checkout to read")

    def handle(self, *args, root, **options):
        root_path = Path(root)
        modules = _modules(root_path)
        graph: dict[str, set[str]] = defaultdict(set)
        between: Counter[tuple[str, str]] = Counter()
        for name, path in modules.items():
            for target in _imports(path, modules):
                if target == name or (_is_package_face(target, modules[target]) and name.startswith(target)):
                    continue
                graph[name].add(target)
                source_app, target_app = name.split(".")[0], target.split(".")[0]
                if source_app != target_app:
                    between[(source_app, target_app)] += 1
        self.stdout.write("Imports between apps (import statements, tests and migrations left out):")
        for source in APPS:
            for target in APPS:
                if source != target:
                    self.stdout.write(f"  {source} -> {target}: {between[(source, target)]}")
        layers = _layers(root_path)
        wrong_way = [
            (name, target)
            for name, targets in graph.items()
            for target in targets
            if _layer(name, layers) is not None
            and _layer(target, layers) is not None
            and _layer(target, layers) < _layer(name, layers)  # type: ignore[operator]
        ]
        self.stdout.write(f"Imports against the layers of pyproject.toml: {len(wrong_way)}")
        for name, target in sorted(wrong_way):
            self.stdout.write(f"  {name} -> {target}")
        circles = _circles(graph)
        self.stdout.write(f"Circles among modules: {len(circles)}")
        for circle in circles:
            self.stdout.write("  " + " -> ".join(circle))
        self._access(root_path, modules)

    def _access(self, root: Path, modules: dict[str, Path]) -> None:
        kinds: Counter[str] = Counter()
        for name, path in modules.items():
            is_access_module = name.endswith("access")
            is_model_module = name.endswith("models") or ".models." in name
            for line in path.read_text().splitlines():
                if DECORATOR.match(line):
                    kinds["decorator uses in views"] += 1
                elif ACCESS_HELPER.match(line):
                    kinds["access helpers and scoped querysets"] += 1
                elif ROLE_WORDS.search(line) and not is_access_module and not is_model_module:
                    leaf = name.rpartition(".")[2]
                    place = {"views": "views", "services": "services", "forms": "forms"}.get(
                        leaf, "elsewhere"
                    )
                    kinds[f"role checks in {place}"] += 1
        template_roles = template_states = 0
        role_templates: set[Path] = set()
        for template in (root / "templates").rglob("*.html"):
            for line in template.read_text().splitlines():
                if TEMPLATE_ROLE.search(line):
                    template_roles += 1
                    role_templates.add(template)
                template_states += len(TEMPLATE_STATE.findall(line))
        kinds["role checks in templates"] = template_roles
        self.stdout.write("Places that decide who may do what:")
        for kind, count in sorted(kinds.items()):
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(f"  kinds of place: {sum(1 for count in kinds.values() if count)}")
        self.stdout.write(f"  templates with a role check: {len(role_templates)}")
        self.stdout.write(f"Template comparisons with a raw state string: {template_states}")

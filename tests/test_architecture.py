"""The layout of the project: imports between the top-level packages only go down.

The same rule is enforced by import-linter (`lint-imports`, contracts in
pyproject.toml, run by `make test`); this test reads the code itself with
`ast`, imports inside functions included, so the rule holds even where the
linter would be switched off, and it says which module breaks it.

From the top: creditscore (settings, root URLs, the demo) imports anything;
the user interfaces (dashboard, portal, monitoring, api) import the domain
but never each other; charts (what their Plotly figures share); then scoring,
explanations, clients; audit (which records who did what and from where),
above accounts (users, roles, access rules, the client's address), which it
uses; at the bottom formatting (numbers and dates in the active language) and
ml (plain Python, no Django).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom. Packages of one tuple are siblings that may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("creditscore",),
    ("dashboard", "portal", "monitoring", "api"),
    ("charts",),
    ("scoring",),
    ("explanations",),
    ("clients",),
    ("audit",),
    ("accounts",),
    ("formatting", "ml"),
)
RANK = {package: rank for rank, layer in enumerate(LAYERS) for package in layer}
PACKAGES = frozenset(RANK)


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: Path
    line: int
    target: str  # the imported module, dotted
    names: tuple[str, ...]  # names taken from it (`from target import a, b`)

    @property
    def source_package(self) -> str:
        return self.module.split(".")[0]

    @property
    def target_package(self) -> str:
        return self.target.split(".")[0]

    def __str__(self) -> str:
        taken = f" ({', '.join(self.names)})" if self.names else ""
        return f"{self.path.relative_to(ROOT)}:{self.line} imports {self.target}{taken}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> Iterator[Path]:
    for package in sorted(PACKAGES):
        yield from sorted((ROOT / package).rglob("*.py"))


def imports_of(path: Path) -> Iterator[Import]:
    """Every import statement of the module, at any depth (inside functions too)."""
    module = module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, path, node.lineno, alias.name, ())
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the importing module's package
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield Import(module, path, node.lineno, target, tuple(a.name for a in node.names))


def project_imports() -> list[Import]:
    return [
        found
        for path in project_modules()
        for found in imports_of(path)
        if found.target_package in PACKAGES and found.target_package != found.source_package
    ]


def package_graph(imports: list[Import]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for found in imports:
        graph[found.source_package].add(found.target_package)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path [a, b, ..., a], or None."""
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        cycle = visit(node)
        if cycle:
            return cycle
    return None


@pytest.fixture(scope="module")
def imports() -> list[Import]:
    return project_imports()


def test_every_django_app_and_top_level_package_has_a_place_in_the_layers():
    from django.conf import settings

    ours = {
        name.split(".")[0]
        for name in settings.INSTALLED_APPS
        if (ROOT / name.split(".")[0]).is_dir()
    }
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert ours <= PACKAGES
    assert packages - {"tests", "benchmarks"} <= PACKAGES


def test_no_import_cycle_between_top_level_packages_lazy_imports_included(imports):
    assert find_cycle(package_graph(imports)) is None


def test_every_import_between_packages_goes_down_the_layers(imports):
    upwards = [
        str(found) for found in imports if RANK[found.target_package] < RANK[found.source_package]
    ]
    assert not upwards


def test_sibling_packages_of_a_layer_never_import_each_other(imports):
    across = [
        str(found) for found in imports if RANK[found.target_package] == RANK[found.source_package]
    ]
    assert not across


def test_no_module_imports_a_private_name_of_another_package(imports):
    private = [
        str(found)
        for found in imports
        if any(
            part.startswith("_") and not part.startswith("__") for part in found.target.split(".")
        )
        or any(name.startswith("_") and not name.startswith("__") for name in found.names)
    ]
    assert not private


def test_ml_imports_neither_django_nor_any_app():
    offenders = [
        str(found)
        for path in sorted((ROOT / "ml").rglob("*.py"))
        for found in imports_of(path)
        if found.target_package in PACKAGES - {"ml"}
        or found.target_package in ("django", "rest_framework", "celery")
    ]
    assert not offenders

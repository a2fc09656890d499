"""The type check covers the whole project, and nothing in its configuration turns it off.

mypy runs in `make lint` (so in `make test`) with the settings of pyproject.toml. These
tests keep that configuration honest as the project grows: a new app is checked, an
untyped third-party package is named rather than one of ours hidden, no module is
exempted wholesale.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
MYPY = PYPROJECT["tool"]["mypy"]
OVERRIDES = MYPY.get("overrides", [])
# The project's own top-level packages: the ones import-linter checks the layers of.
OUR_PACKAGES = set(PYPROJECT["tool"]["importlinter"]["root_packages"])


def _modules(override: dict) -> list[str]:
    module = override["module"]
    return [module] if isinstance(module, str) else list(module)


def test_mypy_checks_every_package_of_the_project():
    assert set(MYPY["files"]) == OUR_PACKAGES


def test_mypy_reads_django_and_drf_through_their_plugins_and_checks_untyped_functions():
    assert "mypy_django_plugin.main" in MYPY["plugins"]
    assert "mypy_drf_plugin.main" in MYPY["plugins"]
    assert MYPY["check_untyped_defs"] is True
    assert PYPROJECT["tool"]["django-stubs"]["django_settings_module"]


def test_no_module_has_its_errors_ignored_wholesale():
    assert not MYPY.get("ignore_errors")
    for override in OVERRIDES:
        assert not override.get("ignore_errors"), _modules(override)


def test_only_third_party_packages_are_read_as_untyped():
    untyped = [
        module
        for override in OVERRIDES
        if override.get("ignore_missing_imports")
        for module in _modules(override)
    ]
    assert untyped, "the untyped third-party packages are listed by name"
    for module in untyped:
        top = module.split(".")[0]
        assert top != "*", f"{module}: name the package"
        assert top not in OUR_PACKAGES, f"{module} is ours: type it instead"


def test_make_lint_runs_mypy_after_ruff_and_import_linter():
    makefile = (ROOT / "Makefile").read_text()
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    commands = [line.strip() for line in lint.splitlines()[1:] if line.startswith("\t")]
    assert commands == [
        "$(VENV)/bin/ruff check .",
        "$(VENV)/bin/ruff format --check .",
        "$(VENV)/bin/lint-imports",
        "$(VENV)/bin/mypy",
    ]

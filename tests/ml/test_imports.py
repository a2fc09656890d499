"""ml/ is plain Python with one-way dependencies between its modules."""

from __future__ import annotations

import grimp


def _graph():
    # grimp reads every import statement, the ones inside functions and under
    # TYPE_CHECKING included: a lazy import is still a dependency. Packages
    # outside ml appear as one node each (e.g. "django").
    return grimp.build_graph("ml", include_external_packages=True, cache_dir=None)


def test_no_two_ml_modules_depend_on_each_other_even_through_lazy_imports():
    graph = _graph()
    ml_modules = [name for name in graph.modules if name.split(".")[0] == "ml"]
    cycles = sorted(
        (importer, imported)
        for importer in ml_modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )

    assert cycles == []


def test_ml_imports_nothing_from_django_or_the_django_apps():
    graph = _graph()
    outside = {
        imported.split(".")[0]
        for importer in graph.modules
        if importer.split(".")[0] == "ml"
        for imported in graph.find_modules_directly_imported_by(importer)
    }

    assert {"lightgbm", "pandas"} <= outside  # the graph does see third-party imports
    assert not outside & {"django", "rest_framework", "clients", "scoring", "explanations"}

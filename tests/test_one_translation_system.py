"""One translation system: no code outside `formatting/` branches on the language.

Every sentence a person reads is a gettext message (translated by the
catalogues, checked by tests/dashboard/test_translations.py); numbers are
written by `formatting/` (Babel). A hand-written pair ("en" text, "fr" text)
or a comparison with a language code is a second system that nothing checks
and that a third language could not join: this test finds them in the source.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# formatting/ is the one place allowed to know languages; tests compare codes on purpose;
# ml/ and the benchmarks are plain Python written for developers, in English.
SKIPPED = {"formatting", "tests", "ml", "benchmarks", ".venv", ".demo", "node_modules"}
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES} | {"en", "fr"}
PAIR_FUNCTIONS = {"pick", "_say", "say"}


def _sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED & set(path.relative_to(ROOT).parts) and "migrations" not in path.parts
    ]


def _is_code(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value in LANGUAGE_CODES


def _codes_in(node: ast.AST) -> bool:
    if _is_code(node):
        return True
    return isinstance(node, ast.Tuple | ast.List | ast.Set) and any(map(_is_code, node.elts))


def _offences(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(
            _codes_in(side) for side in (node.left, *node.comparators)
        ):
            found.append((node.lineno, "compares with a language code"))
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            strings = [a for a in node.args if isinstance(a, ast.Constant | ast.JoinedStr)]
            if name in PAIR_FUNCTIONS and len(strings) >= 2:
                found.append((node.lineno, f"{name}() of a pair of texts"))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & LANGUAGE_CODES) >= 2:
                found.append((node.lineno, "a dict of texts per language"))
    return found


def test_no_code_outside_formatting_branches_on_the_language():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _sources()
        for line, what in _offences(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not offences, "\n".join(offences)


def test_the_check_finds_what_it_looks_for():
    source = """
if language == "fr":
    pass
text = say.pick("The loan", "Le crédit")
pairs = {"en": "Yes", "fr": "Oui"}
french = lang in ("fr", "fr-ca")
"""
    assert [line for line, _what in _offences(ast.parse(source))] == [2, 4, 5, 6]

"""The French and English catalogues are complete and their compiled .mo files are up to date.

CI has no gettext, so the .mo files are committed. A fresh clone gives both
files the same checkout time, so "the .mo is older than the .po" is checked
on content: every entry of each .po must come out of its .mo unchanged.
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
_FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?) (".*")$')


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the catalogues makemessages writes."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int | None] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            entry, target = None, None
            continue
        if line.startswith("#~"):
            if entry is None:
                entry = Entry(line=number)
                entries.append(entry)
            entry.obsolete = True
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = _FIELD.match(line)
        if match:
            keyword, index, literal = match.groups()
            value = ast.literal_eval(literal)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
                entry.msgstr[target[1]] = value
            else:
                target = (keyword, None)
                setattr(entry, keyword, value)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += value
            else:
                setattr(entry, target[0], getattr(entry, target[0]) + value)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return [e for e in entries if not e.obsolete and (e.msgid or e.msgstr)]


def messages(path: Path) -> list[Entry]:
    return [entry for entry in parse_po(path) if entry.msgid]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_exists_for_each_language(lang):
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").is_file()
    assert (LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo").is_file()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    problems = []
    for entry in messages(po):
        if "fuzzy" in entry.flags:
            problems.append(f"{po}:{entry.line}: fuzzy: {entry.msgid!r}")
        expected_forms = 2 if entry.msgid_plural is not None else 1
        if len(entry.msgstr) != expected_forms or not all(entry.msgstr.values()):
            problems.append(f"{po}:{entry.line}: untranslated: {entry.msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(lang):
    """Fails when someone edited the .po and forgot `manage.py compilemessages`."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in messages(folder / "django.po"):
        if entry.msgctxt is not None:
            singular = compiled.pgettext(entry.msgctxt, entry.msgid)
        elif entry.msgid_plural is not None:
            singular = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            plural = compiled.ngettext(entry.msgid, entry.msgid_plural, 2)
            if plural != entry.msgstr.get(1):
                stale.append(entry.msgid_plural)
        else:
            singular = compiled.gettext(entry.msgid)
        if singular != entry.msgstr.get(0):
            stale.append(entry.msgid)
    assert not stale, f"{folder}/django.mo is out of date for: {stale}"


def test_french_placeholders_match_the_english_ones():
    """A translation that loses or invents a %(name)s breaks the page at render time."""
    placeholder = re.compile(r"%\((\w+)\)s")
    po = LOCALE_DIR / "fr" / "LC_MESSAGES" / "django.po"
    problems = []
    for entry in messages(po):
        source = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        for form, text in entry.msgstr.items():
            used = set(placeholder.findall(text))
            # French uses the singular for 0 and 1: it may leave the count out.
            if not used <= source or (form > 0 and used != source):
                problems.append(f"{po}:{entry.line}: {entry.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)

"""Which files of a folder are Kaggle Home Credit files, and in which order they load."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from pathlib import Path

from ml import schema

from .errors import HomeCreditImportError

# Spreadsheets save tab-separated text as .txt or .tsv; any of them may be gzipped.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class SourceFile:
    path: Path
    table: schema.Table
    stem: str  # the Kaggle file name without extension, e.g. "POS_CASH_balance"

    @property
    def name(self) -> str:
        return self.path.name


def _kaggle_stems() -> dict[str, tuple[str, schema.Table]]:
    """Lower-case stem -> (Kaggle stem, table): "pos_cash_balance" -> ("POS_CASH_balance", …)."""
    stems = {}
    for table in schema.TABLES:
        for file_name in table.file_names:
            stem = file_name.removesuffix(".csv")
            stems[stem.lower()] = (stem, table)
    return stems


_STEMS = _kaggle_stems()


def kaggle_stem(file_name: str) -> tuple[str, schema.Table] | None:
    """(Kaggle stem, table) of a file name, whatever its case; None if not a Kaggle file.

    Exports and partners rename files freely in case (pos_cash_balance.csv,
    APPLICATION_TEST.CSV): only the name matters, not how it is written.
    """
    lower = file_name.lower().removesuffix(".gz")
    for suffix in TEXT_SUFFIXES:
        if lower.endswith(suffix):
            return _STEMS.get(lower.removesuffix(suffix))
    return None


def find_source_files(data_dir: Path) -> tuple[list[SourceFile], list[str]]:
    """The Kaggle files of `data_dir` in load order (parents first), and the names of the others."""
    if not data_dir.is_dir():
        raise HomeCreditImportError("no such folder", file_name=str(data_dir))
    found: dict[str, SourceFile] = {}
    ignored: list[str] = []
    for path in sorted(data_dir.iterdir()):
        match = kaggle_stem(path.name) if path.is_file() else None
        if match is None:
            ignored.append(path.name)
            continue
        stem, table = match
        if stem in found:
            raise HomeCreditImportError(
                f"the folder holds both {found[stem].name} and {path.name}, two copies of "
                f"{stem}: keep one",
                file_name=str(data_dir),
            )
        found[stem] = SourceFile(path=path, table=table, stem=stem)
    if not found:
        expected = ", ".join(name for table in schema.TABLES for name in table.file_names)
        raise HomeCreditImportError(
            f"none of the Home Credit files is there (expected any of {expected}, "
            "in any case, each possibly gzipped as .csv.gz; .tsv and .txt are read too)",
            file_name=str(data_dir),
        )
    sources = [
        found[name.removesuffix(".csv")]
        for table in schema.TABLES
        for name in table.file_names
        if name.removesuffix(".csv") in found
    ]
    return sources, ignored


def open_binary(path: Path) -> io.BufferedIOBase:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")

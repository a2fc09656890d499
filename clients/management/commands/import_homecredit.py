"""`python manage.py import_homecredit DIR [options]`: load Kaggle Home Credit files."""

from __future__ import annotations

import argparse
import codecs
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.importer import DEFAULT_NA_VALUES, HomeCreditImportError, import_homecredit_dir

_DELIMITERS = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "tab": "\t",
    "\\t": "\t",
    "\t": "\t",
    "|": "|",
    "pipe": "|",
}


def _delimiter(value: str) -> str:
    try:
        return _DELIMITERS[value.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a delimiter the importer reads: give ',', ';', 'tab' or '|'"
        ) from None


def _encoding(value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(
            f"unknown encoding {value!r} (e.g. utf-8, cp1252, latin-1, utf-16)"
        ) from None


def _na_values(value: str) -> tuple[str, ...]:
    return tuple(token.strip() for token in value.split(",") if token.strip())


class Command(BaseCommand):
    help = (
        "Import the Kaggle Home Credit CSV files (.csv, .tsv or .txt, possibly gzipped, names "
        "in any case) found in DIR, parents first, in one transaction: a bad file stops the run "
        "and keeps nothing. Rows already in the database are skipped, so running twice adds "
        "nothing. Each file's delimiter, decimal mark, encoding and missing-value tokens are "
        "detected from its first lines and printed; the options below override them."
    )
    # The system checks import every URL module, hence the whole ML stack (about 1 s
    # here): an import needs none of it, and starts loading that much sooner.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_dir", type=Path, metavar="DIR")
        parser.add_argument(
            "--skip-orphans",
            action="store_true",
            help="Leave out history rows whose client (or bureau credit) is not in the "
            "database instead of refusing the import.",
        )
        parser.add_argument(
            "--ignore-unknown-columns",
            action="store_true",
            help="Import the known columns of a file that has columns the Kaggle table "
            "does not have, and leave those out (they are listed), instead of refusing it.",
        )
        parser.add_argument(
            "--delimiter",
            type=_delimiter,
            help="The field delimiter of every file: ',', ';', 'tab' or '|' (default: detected).",
        )
        parser.add_argument(
            "--decimal",
            choices=[".", ","],
            help="The decimal mark of numbers (default: detected; ',' needs another "
            "delimiter than the comma).",
        )
        parser.add_argument(
            "--encoding",
            type=_encoding,
            help="The text encoding of every file, e.g. utf-8, cp1252 (Excel on Windows), "
            "latin-1, utf-16 (default: detected).",
        )
        parser.add_argument(
            "--na-values",
            type=_na_values,
            metavar="TOKENS",
            help="Comma-separated tokens read as a missing value besides the empty field "
            f"(default: {','.join(DEFAULT_NA_VALUES)}); '' for the empty field only.",
        )

    def handle(
        self,
        *args,
        data_dir: Path,
        skip_orphans: bool,
        ignore_unknown_columns: bool,
        delimiter: str | None,
        decimal: str | None,
        encoding: str | None,
        na_values: tuple[str, ...] | None,
        **options,
    ) -> None:
        if decimal == "," and delimiter == ",":
            raise CommandError("--decimal , needs another --delimiter than the comma.")
        try:
            report = import_homecredit_dir(
                data_dir=data_dir,
                skip_orphans=skip_orphans,
                ignore_unknown_columns=ignore_unknown_columns,
                delimiter=delimiter,
                decimal=decimal,
                encoding=encoding,
                na_values=na_values,
                progress=self.stdout.write,
            )
        except HomeCreditImportError as error:
            raise CommandError(f"{error}\nNothing was imported.") from error

        self.stdout.write("")
        self.stdout.write(
            f"{'file':<32} {'read':>10} {'inserted':>10} {'present':>10} {'left out':>10}"
        )
        for file in report.files:
            self.stdout.write(
                f"{file.file_name:<32} {file.rows_read:>10,} {file.inserted:>10,} "
                f"{file.already_present:>10,} {file.orphans_skipped:>10,}"
            )
        for file in report.files:
            if file.left_out_columns:
                self.stdout.write(
                    f"{file.file_name}: columns left out: {', '.join(file.left_out_columns)}"
                )
        if report.inserted == 0:
            message = f"Nothing new: none of the {report.rows_read:,} rows read was imported"
            if report.orphans_skipped:
                message += f" ({report.orphans_skipped:,} left out as orphans)"
            message += "."
            if report.rows_read and report.orphans_skipped == report.rows_read:
                message += " Import the application files of these clients first."
            self.stdout.write(self.style.WARNING(message))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.inserted:,} new rows from {len(report.files)} files "
                f"in {report.seconds:.1f} s."
            )
        )

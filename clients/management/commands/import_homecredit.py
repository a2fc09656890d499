"""`python manage.py import_homecredit DIR [--skip-orphans]`: load Kaggle Home Credit files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clients.importer import HomeCreditImportError, import_homecredit_dir


class Command(BaseCommand):
    help = (
        "Import the Kaggle Home Credit CSV files (.csv or .csv.gz) found in DIR, parents "
        "first, in one transaction: a bad file stops the run and keeps nothing. Rows already "
        "in the database are skipped, so running twice adds nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("data_dir", type=Path, metavar="DIR")
        parser.add_argument(
            "--skip-orphans",
            action="store_true",
            help="Leave out history rows whose client (or bureau credit) is not in the "
            "database instead of refusing the import.",
        )

    def handle(self, *args, data_dir: Path, skip_orphans: bool, **options) -> None:
        try:
            report = import_homecredit_dir(
                data_dir=data_dir, skip_orphans=skip_orphans, progress=self.stdout.write
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

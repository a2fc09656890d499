"""`python manage.py generate_homecredit --clients N --out DIR --seed S`: synthetic Kaggle files."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ml.synthetic import generate_to_dir


class Command(BaseCommand):
    help = (
        "Write synthetic Home Credit CSV files (application_train.csv, bureau.csv, ...) in "
        "the Kaggle names, columns and formatting to DIR. Same seed, same bytes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--clients", type=int, required=True, help="clients in application_train.csv"
        )
        parser.add_argument("--out", type=Path, required=True, help="directory to write to")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--test-clients", type=int, default=0, help="clients in application_test.csv"
        )
        parser.add_argument("--gzip", action="store_true", help="write .csv.gz files")

    def handle(
        self, *args, clients: int, out: Path, seed: int, test_clients: int, gzip: bool, **options
    ) -> None:
        if clients < 1 or test_clients < 0:
            raise CommandError("--clients must be >= 1 and --test-clients >= 0")
        paths = generate_to_dir(
            n_clients=clients,
            out_dir=out,
            seed=seed,
            test_clients=test_clients,
            gzip=gzip,
            progress=self.stdout.write,
        )
        for path in paths:
            self.stdout.write(f"wrote {path}")
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} files written to {out}"))

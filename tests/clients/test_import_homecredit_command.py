"""`manage.py import_homecredit DIR [--skip-orphans]`: a thin shell over the importer service."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from clients.models import Application, Bureau
from ml import schema

from .homecredit_files import application_row, database_fingerprint, write_csv, write_seven_files

pytestmark = pytest.mark.django_db


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("import_homecredit", *args, stdout=out)
    return out.getvalue()


def test_the_command_imports_a_folder_and_prints_one_line_per_file(tmp_path):
    folder = write_seven_files(tmp_path / "homecredit")

    output = run_command(str(folder))

    assert Application.objects.count() == 3
    assert "bureau.csv: 2 rows read in" in output
    assert "application_test.csv.gz" in output
    assert "Imported 13 new rows from 8 files" in output


def test_running_the_command_twice_says_there_was_nothing_new(tmp_path):
    folder = write_seven_files(tmp_path / "homecredit")
    run_command(str(folder))

    output = run_command(str(folder))

    assert "Nothing new: none of the 13 rows read was imported." in output


def test_the_command_refuses_orphans_unless_told_to_skip_them(tmp_path):
    write_csv(tmp_path / "application_train.csv", schema.APPLICATION, [application_row(1)])
    write_csv(
        tmp_path / "bureau.csv",
        schema.BUREAU,
        [{"SK_ID_CURR": 1, "SK_ID_BUREAU": 10}, {"SK_ID_CURR": 2, "SK_ID_BUREAU": 20}],
    )

    with pytest.raises(CommandError, match=r"bureau.csv: 1 row refers to a client .*line 3"):
        run_command(str(tmp_path))
    assert Application.objects.count() == 0

    output = run_command(str(tmp_path), "--skip-orphans")
    assert list(Bureau.objects.values_list("sk_id_bureau", flat=True)) == [10]
    assert "1 left out (no parent row)" in output


def test_a_folder_of_orphans_only_is_reported_as_such(tmp_path):
    write_csv(tmp_path / "bureau.csv", schema.BUREAU, [{"SK_ID_CURR": 2, "SK_ID_BUREAU": 20}])

    output = run_command(str(tmp_path), "--skip-orphans")

    assert (
        "Nothing new: none of the 1 rows read was imported (1 left out as orphans). "
        "Import the application files of these clients first." in output
    )


def test_a_bad_file_raises_a_command_error_naming_file_line_and_column(tmp_path):
    folder = write_seven_files(tmp_path / "homecredit")
    write_csv(folder / "bureau_balance.csv", schema.BUREAU_BALANCE, [{"SK_ID_BUREAU": "x"}])
    before = database_fingerprint()

    with pytest.raises(CommandError) as failure:
        run_command(str(folder))

    assert str(failure.value) == (
        'bureau_balance.csv, line 2, column SK_ID_BUREAU: "x" is not an integer\n'
        "Nothing was imported."
    )
    assert database_fingerprint() == before


def test_manage_py_exits_non_zero_with_the_error_on_stderr(tmp_path):
    folder = write_seven_files(tmp_path / "homecredit")
    write_csv(folder / "bureau.csv", schema.BUREAU, [], columns=["SK_ID_CURR"])
    database = connection.settings_dict
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditscore.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@"
            f"{database['HOST']}:{database['PORT']}/{database['NAME']}"
        ),
    }

    finished = subprocess.run(
        [sys.executable, "manage.py", "import_homecredit", str(folder)],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert finished.returncode == 1
    assert (
        "CommandError: bureau.csv, line 1: missing key column SK_ID_BUREAU: it identifies each "
        "row (or its parent) and cannot be left out\nNothing was imported." in finished.stderr
    )


def test_the_reading_options_reach_the_importer(tmp_path):
    path = write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(1)])
    path.write_text(
        path.read_text().replace(",", "\t").replace("\t\t", "\t-\t").replace("\t\t", "\t-\t")
    )

    output = run_command(str(tmp_path), "--delimiter", "tab", "--na-values=-,NA")

    assert (
        "application_test.csv: delimiter tab, decimal '.', encoding utf-8, missing values: '', -"
        in output
    )
    assert Application.objects.get().ext_source_1 is None


def test_unknown_columns_are_listed_when_left_out(tmp_path):
    write_csv(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1)],
        columns=[*schema.APPLICATION.column_names, "DEFAULTED"],
    )

    with pytest.raises(CommandError, match="--ignore-unknown-columns"):
        run_command(str(tmp_path))
    output = run_command(str(tmp_path), "--ignore-unknown-columns")

    assert "application_test.csv: columns left out: DEFAULTED" in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--decimal", ",", "--delimiter", ","], "--decimal , needs another --delimiter"),
        (["--encoding", "klingon"], "unknown encoding 'klingon'"),
        (["--delimiter", "#"], "is not a delimiter the importer reads"),
    ],
)
def test_reading_options_that_cannot_work_are_refused(tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        run_command(str(tmp_path), *arguments)

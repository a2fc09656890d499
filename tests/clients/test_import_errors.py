"""The Home Credit importer on bad files: a clear error, and the database left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from clients.importer import HomeCreditImportError, import_homecredit_dir
from ml import schema
from tests.factories import ApplicationFactory

from .homecredit_files import application_row, database_fingerprint, write_csv, write_seven_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Seven good files, and a client already in the database before the run."""
    ApplicationFactory(sk_id_curr=99, amt_credit=1000.0)
    return write_seven_files(tmp_path / "homecredit")


def import_fails(folder: Path, **options) -> HomeCreditImportError:
    """Run an import that must fail, and check it kept nothing at all."""
    before = database_fingerprint()
    with pytest.raises(HomeCreditImportError) as failure:
        import_homecredit_dir(data_dir=folder, **options)
    assert database_fingerprint() == before
    return failure.value


def replace_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text().splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n")


def test_a_missing_column_is_named(folder):
    write_csv(
        folder / "bureau.csv",
        schema.BUREAU,
        [{"SK_ID_CURR": 100001, "SK_ID_BUREAU": 1}],
        columns=[c for c in schema.BUREAU.column_names if c not in ("AMT_ANNUITY", "CREDIT_TYPE")],
    )

    error = import_fails(folder)

    assert str(error) == (
        "bureau.csv, line 1: missing columns CREDIT_TYPE, AMT_ANNUITY: every column of the "
        "Kaggle bureau table must be in line 1 (its values may be empty)"
    )


def test_an_unknown_column_is_named(folder):
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [],
        columns=[*schema.BUREAU_BALANCE.column_names, "COMMENT"],
    )

    error = import_fails(folder)

    assert str(error) == (
        "bureau_balance.csv, line 1: unknown column COMMENT (not in the Kaggle bureau_balance "
        "table): remove it from the file, or pass --ignore-unknown-columns to import the known "
        "columns and leave it out"
    )


def test_a_repeated_column_is_named(folder):
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [],
        columns=[*schema.BUREAU_BALANCE.column_names, "STATUS"],
    )

    error = import_fails(folder)

    assert str(error) == "bureau_balance.csv, line 1: repeated column STATUS"


def test_target_may_be_absent_but_no_other_application_column(folder):
    write_csv(
        folder / "application_test.csv.gz",
        schema.APPLICATION,
        [application_row(7)],
        columns=[c for c in schema.APPLICATION.column_names if c not in ("TARGET", "FLAG_MOBIL")],
    )

    error = import_fails(folder)

    assert str(error) == (
        "application_test.csv.gz, line 1: missing column FLAG_MOBIL: every column of the "
        "Kaggle application table must be in line 1 (its values may be empty)"
    )


def test_a_bad_number_is_named_with_its_line_and_column(folder):
    replace_line(
        folder / "bureau.csv",
        3,
        "100003,5000002,Active,currency 1,-208,0,1075.0,,,0,abc,171342.0,,0.0,Credit card,-20,",
    )

    error = import_fails(folder)

    assert str(error) == 'bureau.csv, line 3, column AMT_CREDIT_SUM: "abc" is not a number'
    assert (error.file_name, error.line, error.column) == ("bureau.csv", 3, "AMT_CREDIT_SUM")


@pytest.mark.parametrize("value", ["1.5", "1.0", "two"])
def test_an_integer_column_refuses_anything_but_a_whole_number(folder, value):
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [{"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": value, "STATUS": "C"}],
    )

    error = import_fails(folder)

    assert str(error) == (
        f'bureau_balance.csv, line 2, column MONTHS_BALANCE: "{value}" is not an integer'
    )


def test_a_number_too_large_is_refused(folder):
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [{"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": 10**20}],
    )

    error = import_fails(folder)

    assert str(error) == (
        f'bureau_balance.csv, line 2, column MONTHS_BALANCE: "{10**20}" is too large'
    )


@pytest.mark.parametrize("value", ["inf", "-Infinity"])
def test_infinities_are_refused(folder, value):
    """(NaN is one of the missing-value tokens: see test_import_dialects.)"""
    write_csv(
        folder / "installments_payments.csv",
        schema.INSTALLMENTS_PAYMENTS,
        [
            {"SK_ID_CURR": 100001, "AMT_PAYMENT": 1.0},
            {"SK_ID_CURR": 100001, "AMT_PAYMENT": value},
        ],
    )

    error = import_fails(folder)

    assert str(error).startswith("installments_payments.csv, line 3, column AMT_PAYMENT: ")
    assert "is not a usable number" in str(error)


def test_an_empty_key_is_refused(folder):
    write_csv(
        folder / "previous_application.csv",
        schema.PREVIOUS_APPLICATION,
        [{"SK_ID_PREV": 1, "SK_ID_CURR": 100001}, {"SK_ID_PREV": None, "SK_ID_CURR": 100001}],
    )

    error = import_fails(folder)

    assert str(error) == (
        "previous_application.csv, line 3, column SK_ID_PREV: "
        "empty, but this column identifies the row and must hold a value"
    )


def test_a_line_with_an_extra_field_is_refused(folder):
    path = folder / "bureau_balance.csv"
    replace_line(path, 3, "5000001,-1,0,surprise")

    error = import_fails(folder)

    assert str(error) == "bureau_balance.csv, line 3: more fields than the 3 columns of the header"


def test_a_line_with_a_missing_field_is_refused(folder):
    replace_line(folder / "bureau_balance.csv", 2, "5000001,0")

    error = import_fails(folder)

    assert str(error) == (
        "bureau_balance.csv, line 2: fewer fields than the 3 columns of the header "
        "(nothing for STATUS)"
    )


def test_an_empty_line_inside_a_file_is_refused(folder):
    replace_line(folder / "bureau_balance.csv", 3, "")

    error = import_fails(folder)

    assert str(error) == "bureau_balance.csv, line 3: empty line"


def test_an_unterminated_quote_is_refused_at_the_line_that_opens_it(folder):
    replace_line(folder / "bureau_balance.csv", 2, '5000001,0,"C')

    error = import_fails(folder)

    assert str(error) == "bureau_balance.csv, line 2: a quoted field is never closed"


def test_text_that_is_not_utf8_beside_utf8_text_is_refused(folder):
    path = folder / "credit_card_balance.csv"
    write_csv(
        path,
        schema.CREDIT_CARD_BALANCE,
        [
            {"SK_ID_CURR": 100002, "NAME_CONTRACT_STATUS": "Activé"},
            {"SK_ID_CURR": 100002, "NAME_CONTRACT_STATUS": "Signed"},
        ],
    )
    path.write_bytes(path.read_bytes().replace(b"Signed", b"Sign\xe9"))

    error = import_fails(folder)

    assert str(error).startswith("credit_card_balance.csv, line 3: not valid UTF-8 text")
    assert "--encoding" in str(error)


def test_an_empty_file_is_refused(folder):
    (folder / "POS_CASH_balance.csv").write_bytes(b"")

    error = import_fails(folder)

    assert str(error) == "POS_CASH_balance.csv: the file is empty (no header line)"


def test_a_truncated_gzip_file_is_refused(folder):
    path = folder / "application_test.csv.gz"
    path.write_bytes(path.read_bytes()[:-12])

    error = import_fails(folder)

    assert str(error).startswith("application_test.csv.gz: cannot be read:")


def test_a_file_both_plain_and_gzipped_is_refused(folder):
    (folder / "application_train.csv.gz").write_bytes(b"")

    error = import_fails(folder)

    assert "holds both application_train.csv and application_train.csv.gz" in str(error)


def test_rows_of_unknown_clients_are_refused_by_default_with_their_count_and_first_line(folder):
    write_csv(
        folder / "bureau.csv",
        schema.BUREAU,
        [
            {"SK_ID_CURR": 100001, "SK_ID_BUREAU": 5000001},
            {"SK_ID_CURR": 215354, "SK_ID_BUREAU": 1},
            {"SK_ID_CURR": 99, "SK_ID_BUREAU": 5000002},  # a client of the database: fine
            {"SK_ID_CURR": 215355, "SK_ID_BUREAU": 2},
        ],
    )

    error = import_fails(folder)

    assert str(error) == (
        "bureau.csv: 2 rows refer to clients that are not in the database "
        "(first: line 3, SK_ID_CURR=215354). "
        "Import their clients first, or pass --skip-orphans to leave them out."
    )


def test_balances_of_unknown_bureau_credits_are_refused_by_default(folder):
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [{"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": 0}, {"SK_ID_BUREAU": 6, "MONTHS_BALANCE": 0}],
    )

    error = import_fails(folder)

    assert str(error) == (
        "bureau_balance.csv: 1 row refers to a bureau credit that is not in the database "
        "(first: line 3, SK_ID_BUREAU=6). "
        "Import their bureau credits first, or pass --skip-orphans to leave them out."
    )


def test_a_bad_last_file_rolls_back_every_file_imported_before_it_in_the_run(folder):
    """Seven files load, the eighth fails: none of the eight keeps a row."""
    replace_line(folder / "credit_card_balance.csv", 2, "1,100002,-6,x")

    error = import_fails(folder)

    assert error.file_name == "credit_card_balance.csv"
    assert database_fingerprint()["application"][0] == 1  # only the client from before

"""Files as other programs write them: each imports the same rows as the plain Kaggle file."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from django.db import transaction

from clients.importer import HomeCreditImportError, dialect, import_homecredit_dir
from clients.models import Application, Bureau, InstallmentsPayment
from ml import schema
from tests.factories import ApplicationFactory

from .homecredit_files import application_row, kaggle_fingerprint, write_csv, write_text

pytestmark = pytest.mark.django_db

APPLICATIONS = [
    application_row(
        100001,
        TARGET=1,
        EXT_SOURCE_2=0.262949,
        CNT_FAM_MEMBERS=1.0,
        AMT_ANNUITY=24700.5,
        NAME_TYPE_SUITE="Spouse, partner",
        ORGANIZATION_TYPE="Prêt à dépenser",
        OCCUPATION_TYPE='Chargé "clientèle"',
    ),
    application_row(100002, TARGET=0, OWN_CAR_AGE=12.0, AMT_ANNUITY=None, DAYS_EMPLOYED=-1200),
    application_row(100003, TARGET=0, CODE_GENDER="M", EXT_SOURCE_1=0.5, AMT_CREDIT=1293502.5),
]
BUREAU = [
    {
        "SK_ID_CURR": 100001,
        "SK_ID_BUREAU": 5000001,
        "CREDIT_ACTIVE": "Closed",
        "DAYS_CREDIT": -497,
        "AMT_CREDIT_SUM": 91323.0,
        "AMT_CREDIT_SUM_DEBT": 0.0,
        "CREDIT_TYPE": "Consumer credit",
    },
    {
        "SK_ID_CURR": 100003,
        "SK_ID_BUREAU": 5000002,
        "CREDIT_ACTIVE": "Active",
        "DAYS_CREDIT": -208,
        "AMT_CREDIT_SUM": 225000.0,
        "DAYS_CREDIT_ENDDATE": -20.5,
        "CREDIT_TYPE": "Credit card",
    },
]
PAYMENTS = [
    {
        "SK_ID_PREV": 2000001,
        "SK_ID_CURR": 100001,
        "NUM_INSTALMENT_VERSION": 1.0,
        "NUM_INSTALMENT_NUMBER": 6,
        "AMT_INSTALMENT": 6948.36,
        "AMT_PAYMENT": 6948.36,
    },
    {"SK_ID_PREV": 2000001, "SK_ID_CURR": 100001, "NUM_INSTALMENT_NUMBER": 7, "AMT_PAYMENT": 0.5},
]


def write_set(folder: Path, names: tuple[str, str, str] | None = None, **how) -> Path:
    """The three files, written the way `how` says (`write_text`'s options)."""
    folder.mkdir()
    application, bureau, payments = names or (
        "application_train.csv",
        "bureau.csv",
        "installments_payments.csv",
    )
    write_text(folder / application, schema.APPLICATION, APPLICATIONS, **how)
    write_text(folder / bureau, schema.BUREAU, BUREAU, **how)
    write_text(folder / payments, schema.INSTALLMENTS_PAYMENTS, PAYMENTS, **how)
    return folder


class _RolledBack(Exception):
    pass


def imported(folder: Path, **options) -> dict:
    """The client tables after importing `folder` (rolled back afterwards)."""
    try:
        with transaction.atomic():
            import_homecredit_dir(data_dir=folder, **options)
            raise _RolledBack(kaggle_fingerprint())
    except _RolledBack as done:
        return done.args[0]


@pytest.fixture
def plain(tmp_path) -> dict:
    """The rows as the plain Kaggle files give them."""
    folder = write_set(tmp_path / "plain")
    fingerprint = imported(folder)
    assert fingerprint["application"][0] == 3
    assert fingerprint["installments_payments"][0] == 2
    return fingerprint


DIALECTS = {
    "tab-separated": {"delimiter": "\t"},
    "French spreadsheet: semicolons, decimal commas, a UTF-8 byte-order mark, CR LF": {
        "delimiter": ";",
        "decimal": ",",
        "bom": b"\xef\xbb\xbf",
        "line_end": "\r\n",
    },
    "Excel on Windows: cp1252, semicolons, decimal commas": {
        "delimiter": ";",
        "decimal": ",",
        "encoding": "cp1252",
        "line_end": "\r\n",
    },
    "R write.csv: quoted text, NA, row names": {
        "quote_text": True,
        "missing": "NA",
        "row_numbers_from": 1,
    },
    "pandas to_csv with its index": {"row_numbers_from": 0},
    "pandas with na_rep='NaN'": {"missing": "NaN"},
    "missing values written in several ways": {"missing": ["", "NA", "null", "None", "nan"]},
    "Excel 'Unicode text': UTF-16 with a byte-order mark, tabs": {
        "delimiter": "\t",
        "encoding": "utf-16-le",
        "bom": b"\xff\xfe",
        "line_end": "\r\n",
    },
    "pipe-separated": {"delimiter": "|"},
    "every line ending with a delimiter": {"delimiter": ";", "trailing_delimiter": True},
}


@pytest.mark.parametrize("how", DIALECTS.values(), ids=DIALECTS.keys())
def test_a_file_written_by_another_program_imports_the_same_rows_as_the_kaggle_file(
    tmp_path, plain, how
):
    folder = write_set(tmp_path / "other", **how)

    assert imported(folder) == plain


def test_file_names_are_matched_whatever_their_case(tmp_path, plain):
    folder = write_set(
        tmp_path / "cases",
        names=("APPLICATION_TRAIN.CSV", "Bureau.csv.GZ", "Installments_Payments.csv"),
    )

    assert imported(folder) == plain


def test_pos_cash_balance_in_lower_case_is_the_pos_cash_balance_table(tmp_path):
    write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(1)])
    write_csv(
        tmp_path / "pos_cash_balance.csv",
        schema.POS_CASH_BALANCE,
        [{"SK_ID_PREV": 3, "SK_ID_CURR": 1, "MONTHS_BALANCE": -2}],
    )

    report = import_homecredit_dir(data_dir=tmp_path)

    assert [(f.file_name, f.table, f.inserted) for f in report.files] == [
        ("application_test.csv", "application", 1),
        ("pos_cash_balance.csv", "POS_CASH_balance", 1),
    ]


def test_what_was_detected_is_said_before_each_file_loads(tmp_path):
    folder = write_set(
        tmp_path / "fr",
        delimiter=";",
        decimal=",",
        bom=b"\xef\xbb\xbf",
        missing="NA",
        row_numbers_from=0,
    )
    notes: list[str] = []

    report = import_homecredit_dir(data_dir=folder, progress=notes.append)

    assert notes[0] == (
        "application_train.csv: delimiter ';', decimal ',', encoding utf-8 (BOM), "
        "missing values: '', NA; pandas index column left out"
    )
    assert report.files[0].notes == ("pandas index column left out",)
    assert notes[-1].startswith("installments_payments.csv: 2 rows read in")
    assert notes[-1].endswith("; pandas index column left out")


def test_a_windows_export_is_read_as_cp1252_and_says_so(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1, ORGANIZATION_TYPE="Prêt à dépenser")],
        encoding="cp1252",
    )
    notes: list[str] = []

    import_homecredit_dir(data_dir=tmp_path, progress=notes.append)

    assert "encoding cp1252 (not UTF-8, line 2; --encoding to change)" in notes[0]
    assert Application.objects.get().organization_type == "Prêt à dépenser"


def test_the_encoding_option_overrides_the_guess(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1, ORGANIZATION_TYPE="Œuvre")],
        encoding="iso8859-15",
    )

    import_homecredit_dir(data_dir=tmp_path, encoding="iso8859-15")

    assert Application.objects.get().organization_type == "Œuvre"


def test_the_delimiter_and_decimal_options_override_the_guess(tmp_path, plain):
    folder = write_set(tmp_path / "fr", delimiter=";", decimal=",")

    assert imported(folder, delimiter=";", decimal=",") == plain
    with pytest.raises(HomeCreditImportError, match="no column name of line 1 is a column"):
        import_homecredit_dir(data_dir=folder, delimiter="\t")


def test_not_a_number_is_a_missing_value_unless_the_tokens_say_otherwise(tmp_path):
    write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(1)])
    write_csv(
        tmp_path / "installments_payments.csv",
        schema.INSTALLMENTS_PAYMENTS,
        [{"SK_ID_CURR": 1, "AMT_PAYMENT": "NaN"}, {"SK_ID_CURR": 1, "AMT_PAYMENT": 2.0}],
    )

    with pytest.raises(HomeCreditImportError) as refused:
        imported(tmp_path, na_values=["NA"])
    assert str(refused.value).startswith("installments_payments.csv, line 2, column AMT_PAYMENT:")
    import_homecredit_dir(data_dir=tmp_path)

    assert sorted(InstallmentsPayment.objects.values_list("amt_payment", flat=True), key=str) == [
        2.0,
        None,
    ]


def test_nan_written_as_missing_value_gives_the_same_digest_as_an_empty_field(tmp_path):
    """A re-import of the same rows written by another program adds nothing."""
    write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(1)])
    path = write_csv(
        tmp_path / "installments_payments.csv",
        schema.INSTALLMENTS_PAYMENTS,
        [{"SK_ID_CURR": 1, "AMT_PAYMENT": None, "AMT_INSTALMENT": 3.5}],
    )
    import_homecredit_dir(data_dir=tmp_path)
    path.write_text(path.read_text().replace(",,", ",NaN,"))

    again = import_homecredit_dir(data_dir=tmp_path)

    assert again.inserted == 0


# --- What the first lines did not show -------------------------------------------------------


@pytest.fixture
def small_sample(monkeypatch):
    """Detection sees line 1 and a few lines after it only (files of bureau credits)."""
    monkeypatch.setattr(dialect, "SAMPLE_BYTES", 700)
    ApplicationFactory(sk_id_curr=100001)


def many_bureau_rows(count: int, **last: object) -> list[dict[str, object]]:
    rows = [
        {"SK_ID_CURR": 100001, "SK_ID_BUREAU": 7000000 + n, "AMT_CREDIT_SUM": 1000.5 + n}
        for n in range(count)
    ]
    rows[-1].update(last)
    return rows


def test_a_missing_value_token_first_met_far_down_the_file_is_read_again(tmp_path, small_sample):
    plain, other = tmp_path / "plain", tmp_path / "other"
    plain.mkdir()
    other.mkdir()
    write_text(plain / "bureau.csv", schema.BUREAU, many_bureau_rows(40))
    write_text(other / "bureau.csv", schema.BUREAU, many_bureau_rows(40, DAYS_CREDIT="NA"))
    notes: list[str] = []

    assert imported(other, progress=notes.append) == imported(plain)
    assert "bureau.csv: missing values are also written 'NA' further down; reading it again" in (
        notes
    )


def test_a_decimal_comma_first_met_far_down_the_file_is_read_again(tmp_path, small_sample):
    rows = many_bureau_rows(40, AMT_CREDIT_SUM="1,25")
    write_text(tmp_path / "bureau.csv", schema.BUREAU, rows, delimiter=";")
    notes: list[str] = []

    import_homecredit_dir(data_dir=tmp_path, progress=notes.append)

    assert (
        "bureau.csv: numbers are written with a decimal comma further down; reading it again"
        in notes
    )
    assert Bureau.objects.get(sk_id_bureau=7000039).amt_credit_sum == 1.25
    assert Bureau.objects.get(sk_id_bureau=7000000).amt_credit_sum == 1000.5


def test_a_row_index_that_stops_counting_is_refused_at_its_line(tmp_path, small_sample):
    path = write_text(
        tmp_path / "bureau.csv", schema.BUREAU, many_bureau_rows(40), row_numbers_from=0
    )
    lines = path.read_text().splitlines()
    lines[35] = "99" + lines[35][lines[35].index(",") :]
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value) == (
        "bureau.csv, line 36, column (unnamed column 1): the first column has no name and is "
        'not a row number (34 expected, "99" found): name it, remove it, or pass '
        "--ignore-unknown-columns to leave it out"
    )
    report = import_homecredit_dir(data_dir=tmp_path, ignore_unknown_columns=True)
    assert report.files[0].inserted == 40


def test_a_windows_byte_after_plain_first_lines_is_refused_naming_the_encoding_option(
    tmp_path, small_sample
):
    rows = many_bureau_rows(40, CREDIT_TYPE="Crédit")
    write_text(tmp_path / "bureau.csv", schema.BUREAU, rows, encoding="cp1252")

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value).startswith("bureau.csv, line 41: not valid UTF-8 text")
    assert "pass --encoding cp1252" in str(refused.value)
    report = import_homecredit_dir(data_dir=tmp_path, encoding="cp1252")
    assert report.files[0].inserted == 40
    assert Bureau.objects.get(sk_id_bureau=7000039).credit_type == "Crédit"


# --- Unknown and missing columns -------------------------------------------------------------


def test_unknown_columns_are_refused_all_named_then_imported_with_the_option(tmp_path, plain):
    folder = tmp_path / "extra"
    folder.mkdir()
    columns = [*schema.APPLICATION.column_names, "DEFAULTED", "COMMENT"]
    rows = [{**row, "DEFAULTED": 1, "COMMENT": "vu"} for row in APPLICATIONS]
    write_text(folder / "application_train.csv", schema.APPLICATION, rows, columns=columns)
    write_text(folder / "bureau.csv", schema.BUREAU, BUREAU)
    write_text(folder / "installments_payments.csv", schema.INSTALLMENTS_PAYMENTS, PAYMENTS)

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=folder)
    assert str(refused.value) == (
        "application_train.csv, line 1: 2 unknown columns DEFAULTED, COMMENT (not in the Kaggle "
        "application table): remove them from the file, or pass --ignore-unknown-columns to "
        "import the known columns and leave them out"
    )

    assert imported(folder, ignore_unknown_columns=True) == plain
    report = import_homecredit_dir(data_dir=folder, ignore_unknown_columns=True)
    assert report.files[0].left_out_columns == ("DEFAULTED", "COMMENT")
    assert report.files[0].notes == ("columns DEFAULTED, COMMENT left out",)


def test_an_unnamed_first_column_that_is_not_a_row_number_is_an_unknown_column(tmp_path):
    path = write_text(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(5)])
    lines = path.read_text().splitlines()
    path.write_text(f",{lines[0]}\nabc,{lines[1]}\n")

    with pytest.raises(HomeCreditImportError, match=r"unknown column \(unnamed column 1\)"):
        import_homecredit_dir(data_dir=tmp_path)
    import_homecredit_dir(data_dir=tmp_path, ignore_unknown_columns=True)
    assert Application.objects.get().sk_id_curr == 5


def test_a_last_column_without_a_name_must_be_empty(tmp_path):
    path = write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(5), application_row(6)],
        trailing_delimiter=True,
    )
    path.write_text(path.read_text().replace(",\n", ",oops\n").replace(",oops\n", ",\n", 2))
    notes: list[str] = []

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)
    import_homecredit_dir(data_dir=tmp_path, ignore_unknown_columns=True, progress=notes.append)

    assert str(refused.value) == (
        "application_test.csv, line 3, column (unnamed column 123): the last column has no name "
        'but holds "oops": name it, remove it, or pass --ignore-unknown-columns to leave it out'
    )
    assert notes[0].endswith("; empty last column left out (lines end with a delimiter)")
    assert Application.objects.count() == 2


def test_a_number_with_a_thousands_separator_is_refused_saying_why(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(5, AMT_CREDIT="406\u00a0597,5")],
        delimiter=";",
        decimal=",",
    )

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value) == (
        'application_test.csv, line 2, column AMT_CREDIT: "406\u00a0597,5" is not a number '
        "(spaces within numbers, such as thousands separators, cannot be read)"
    )


def test_column_names_are_matched_whatever_their_case(tmp_path):
    path = write_csv(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(5)])
    header, row = path.read_text().split("\n", 1)
    path.write_text(header.lower() + "\n" + row)

    import_homecredit_dir(data_dir=tmp_path)

    assert Application.objects.get().amt_credit == 406597.5


def test_a_missing_key_column_is_named(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(5)],
        columns=[c for c in schema.APPLICATION.column_names if c not in ("SK_ID_CURR", "TARGET")],
    )

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value) == (
        "application_test.csv, line 1: missing key column SK_ID_CURR: it identifies each row "
        "(or its parent) and cannot be left out"
    )


# --- Errors in files read the slower way -------------------------------------------------------


def test_a_bad_number_in_a_decimal_comma_file_is_named_as_written(tmp_path):
    write_text(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(100001)])
    rows = many_bureau_rows(3)
    rows[1]["AMT_CREDIT_SUM"] = "12,5 €"
    write_text(tmp_path / "bureau.csv", schema.BUREAU, rows, delimiter=";", decimal=",")

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert (
        str(refused.value) == 'bureau.csv, line 3, column AMT_CREDIT_SUM: "12,5 €" is not a number'
    )


def test_an_empty_key_in_a_file_with_several_tokens_is_named(tmp_path):
    write_text(tmp_path / "application_test.csv", schema.APPLICATION, [application_row(100001)])
    rows = many_bureau_rows(3)
    rows[2]["SK_ID_BUREAU"] = None
    write_text(tmp_path / "bureau.csv", schema.BUREAU, rows, missing=["NA", ""])

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value) == (
        "bureau.csv, line 4, column SK_ID_BUREAU: "
        "empty, but this column identifies the row and must hold a value"
    )


def test_lines_are_counted_right_after_a_quoted_field_spanning_lines(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [
            application_row(1, ORGANIZATION_TYPE="Prêt à dépenser\nsiège, Paris"),
            application_row(2),
            application_row(3, AMT_CREDIT="lots"),
        ],
    )

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value) == (
        'application_test.csv, line 5, column AMT_CREDIT: "lots" is not a number'
    )


def test_a_quoted_field_spanning_lines_is_kept_whole(tmp_path):
    write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1, ORGANIZATION_TYPE="Prêt à dépenser\r\nsiège, Paris")],
        delimiter=";",
    )

    import_homecredit_dir(data_dir=tmp_path)

    assert Application.objects.get().organization_type == "Prêt à dépenser\r\nsiège, Paris"


def test_an_old_mac_file_ending_lines_with_cr_is_read(tmp_path):
    write_text(
        tmp_path / "application_test.csv", schema.APPLICATION, [application_row(1)], line_end="\r"
    )

    import_homecredit_dir(data_dir=tmp_path)

    assert Application.objects.get().sk_id_curr == 1


def test_mixed_line_ends_are_refused_with_what_to_do(tmp_path):
    path = write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1), application_row(2), application_row(3)],
        line_end="\r\n",
    )
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join(lines[:3]) + b"\n" + b"\r\n".join(lines[3:]))

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert "line end differs" in str(refused.value)
    assert "save the file again with one kind of line end" in str(refused.value)


def test_damaged_utf8_is_refused_naming_the_encoding_option(tmp_path):
    path = write_text(
        tmp_path / "application_test.csv",
        schema.APPLICATION,
        [application_row(1, ORGANIZATION_TYPE="Prêt"), application_row(2, ORGANIZATION_TYPE="x")],
    )
    path.write_bytes(path.read_bytes().replace(b",x,", b",\xe9,"))

    with pytest.raises(HomeCreditImportError) as refused:
        import_homecredit_dir(data_dir=tmp_path)

    assert str(refused.value).startswith("application_test.csv, line 3: not valid UTF-8 text")
    assert "--encoding cp1252" in str(refused.value)


def test_a_gzipped_tab_separated_file_is_read(tmp_path):
    data = write_text(
        tmp_path / "application_test.tsv", schema.APPLICATION, [application_row(7)], delimiter="\t"
    ).read_bytes()
    (tmp_path / "application_test.tsv").unlink()
    (tmp_path / "application_test.tsv.gz").write_bytes(gzip.compress(data))

    report = import_homecredit_dir(data_dir=tmp_path)

    assert report.files[0].file_name == "application_test.tsv.gz"
    assert Application.objects.get().sk_id_curr == 7


def test_single_quotes_around_names_and_texts_are_read_as_quotes(tmp_path, plain):
    folder = tmp_path / "single"
    folder.mkdir()
    for name, table, rows in (
        ("application_train.csv", schema.APPLICATION, APPLICATIONS),
        ("bureau.csv", schema.BUREAU, BUREAU),
        ("installments_payments.csv", schema.INSTALLMENTS_PAYMENTS, PAYMENTS),
    ):
        text = write_text(folder / name, table, rows, quote_text=True).read_text()
        # Double quotes become single quotes, and the doubled ones inside a text too.
        text = text.replace("'", "''").replace('""', "\x00").replace('"', "'")
        (folder / name).write_text(text.replace("\x00", '"'))

    assert imported(folder) == plain

"""Helpers of the importer tests: tiny hand-made Kaggle files and database snapshots."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import psycopg
from django.db import connection

from clients.models import MODEL_FOR_TABLE
from ml import schema


def write_csv(
    path: Path,
    table: schema.Table,
    rows: list[dict[str, object]],
    *,
    columns: list[str] | None = None,
) -> Path:
    """Write `rows` (Kaggle column -> value; absent = empty) as a Kaggle file, gzipped for .gz."""
    header = columns if columns is not None else table.column_names
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(name) is None else row[name] for name in header])
    data = buffer.getvalue().encode()
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def write_text(
    path: Path,
    table: schema.Table,
    rows: list[dict[str, object]],
    *,
    columns: list[str] | None = None,
    delimiter: str = ",",
    decimal: str = ".",
    missing: str | list[str] = "",
    quote_text: bool = False,
    row_numbers_from: int | None = None,
    encoding: str = "utf-8",
    bom: bytes = b"",
    line_end: str = "\n",
    trailing_delimiter: bool = False,
) -> Path:
    """Write `rows` the way other programs do (`write_csv` writes Kaggle's way).

    `missing`: the token of a missing value, or a list of tokens used in turn;
    `quote_text`: every text and column name in quotes, tokens left bare (R);
    `row_numbers_from`: a first column without a name counting the rows from 0
    (pandas' index) or 1 (R's row names); `decimal`: the decimal mark of the
    float columns; `bom`: bytes written first; `trailing_delimiter`: every line
    ends with a delimiter (some exports); gzipped for a .gz name.
    """
    header = columns if columns is not None else table.column_names
    tokens = [missing] if isinstance(missing, str) else missing
    kinds = {c.name: c.kind for c in table.columns}
    used = 0

    def field(value: object, kind: str | None) -> str:
        nonlocal used
        if value is None:
            used += 1
            return tokens[(used - 1) % len(tokens)]
        if kind == schema.FLOAT:
            text = str(value)
            return text.replace(".", decimal) if isinstance(value, float) else text
        text = str(value)
        if (quote_text and isinstance(value, str)) or any(
            char in text for char in (delimiter, '"', "\n", "\r")
        ):
            return '"' + text.replace('"', '""') + '"'
        return text

    def name(text: str) -> str:
        return f'"{text}"' if quote_text else text

    lines = []
    names = [name(column) for column in header]
    if row_numbers_from is not None:
        names.insert(0, name(""))
    lines.append(delimiter.join(names))
    for number, row in enumerate(rows, start=row_numbers_from or 0):
        fields = [field(row.get(column), kinds.get(column)) for column in header]
        if row_numbers_from is not None:
            fields.insert(0, name(str(number)))
        lines.append(delimiter.join(fields))
    if trailing_delimiter:
        lines = [line + delimiter for line in lines]
    data = bom + (line_end.join(lines) + line_end).encode(encoding)
    path.write_bytes(gzip.compress(data) if path.name.lower().endswith(".gz") else data)
    return path


def application_row(sk_id_curr: int, **values: object) -> dict[str, object]:
    return {
        "SK_ID_CURR": sk_id_curr,
        "NAME_CONTRACT_TYPE": "Cash loans",
        "CODE_GENDER": "F",
        "AMT_INCOME_TOTAL": 202500.0,
        "AMT_CREDIT": 406597.5,
        "DAYS_BIRTH": -9461,
        "DAYS_EMPLOYED": -637,
        **values,
    }


def write_seven_files(folder: Path) -> Path:
    """A complete little set: three clients, their bureau credits and history."""
    folder.mkdir(exist_ok=True)
    write_csv(
        folder / "application_train.csv",
        schema.APPLICATION,
        [
            application_row(100001, TARGET=1, EXT_SOURCE_2=0.262949, CNT_FAM_MEMBERS="1.0"),
            application_row(100002, TARGET=0, DAYS_EMPLOYED=schema.DAYS_EMPLOYED_SENTINEL),
        ],
    )
    write_csv(
        folder / "application_test.csv.gz",
        schema.APPLICATION,
        [application_row(100003, CODE_GENDER="M")],
        columns=[c for c in schema.APPLICATION.column_names if c != "TARGET"],
    )
    write_csv(
        folder / "bureau.csv",
        schema.BUREAU,
        [
            {
                "SK_ID_CURR": 100001,
                "SK_ID_BUREAU": 5000001,
                "CREDIT_ACTIVE": "Closed",
                "DAYS_CREDIT": -497,
                "AMT_CREDIT_SUM": "91323.0",
                "CREDIT_TYPE": "Consumer credit",
            },
            {
                "SK_ID_CURR": 100003,
                "SK_ID_BUREAU": 5000002,
                "CREDIT_ACTIVE": "Active",
                "DAYS_CREDIT": -208,
                "AMT_CREDIT_SUM": "225000.0",
                "CREDIT_TYPE": "Credit card",
            },
        ],
    )
    write_csv(
        folder / "bureau_balance.csv",
        schema.BUREAU_BALANCE,
        [
            {"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": 0, "STATUS": "C"},
            {"SK_ID_BUREAU": 5000001, "MONTHS_BALANCE": -1, "STATUS": "0"},
            {"SK_ID_BUREAU": 5000002, "MONTHS_BALANCE": 0, "STATUS": "X"},
        ],
    )
    write_csv(
        folder / "previous_application.csv",
        schema.PREVIOUS_APPLICATION,
        [
            {
                "SK_ID_PREV": 2000001,
                "SK_ID_CURR": 100001,
                "NAME_CONTRACT_TYPE": "Consumer loans",
                "AMT_ANNUITY": 1730.43,
                "HOUR_APPR_PROCESS_START": 15,
            }
        ],
    )
    write_csv(
        folder / "POS_CASH_balance.csv",
        schema.POS_CASH_BALANCE,
        [
            {
                "SK_ID_PREV": 2000001,
                "SK_ID_CURR": 100001,
                "MONTHS_BALANCE": -31,
                "CNT_INSTALMENT": "48.0",
                "NAME_CONTRACT_STATUS": "Active",
                "SK_DPD": 0,
            },
            {
                "SK_ID_PREV": 2000001,
                "SK_ID_CURR": 100001,
                "MONTHS_BALANCE": -30,
                "CNT_INSTALMENT": "48.0",
                "NAME_CONTRACT_STATUS": "Active",
                "SK_DPD": 0,
            },
        ],
    )
    write_csv(
        folder / "installments_payments.csv",
        schema.INSTALLMENTS_PAYMENTS,
        [
            {
                "SK_ID_PREV": 2000001,
                "SK_ID_CURR": 100001,
                "NUM_INSTALMENT_VERSION": "1.0",
                "NUM_INSTALMENT_NUMBER": 6,
                "AMT_INSTALMENT": 6948.36,
                "AMT_PAYMENT": 6948.36,
            }
        ],
    )
    write_csv(
        folder / "credit_card_balance.csv",
        schema.CREDIT_CARD_BALANCE,
        [
            {
                "SK_ID_PREV": 2562384,
                "SK_ID_CURR": 100002,
                "MONTHS_BALANCE": -6,
                "AMT_BALANCE": 56.97,
                "AMT_CREDIT_LIMIT_ACTUAL": 135000,
                "NAME_CONTRACT_STATUS": "Active",
            }
        ],
    )
    return folder


def database_fingerprint() -> dict[str, tuple[int, str | None]]:
    """Row count and an md5 of every row of each client table: equal means unchanged."""
    fingerprint = {}
    with connection.cursor() as cursor:
        for table_name, model in MODEL_FOR_TABLE.items():
            db_table = model._meta.db_table
            cursor.execute(
                f"SELECT count(*), md5(string_agg(t::text, ',' ORDER BY t::text)) FROM {db_table} t"
            )
            fingerprint[table_name] = cursor.fetchone()
    return fingerprint


def kaggle_fingerprint() -> dict[str, tuple[int, str | None]]:
    """Row count and an md5 of the Kaggle values of each client table.

    Unlike `database_fingerprint`, blind to surrogate ids, which a sequence hands
    out anew after a rollback: equal when two imports stored the same rows.
    """
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in schema.TABLES:
            columns = [c.field_name for c in table.columns]
            values = f"ROW({', '.join(columns)})::text"
            cursor.execute(
                f"SELECT count(*), md5(string_agg({values}, ',' ORDER BY {values})) "
                f"FROM {MODEL_FOR_TABLE[table.name]._meta.db_table}"
            )
            fingerprint[table.name] = cursor.fetchone()
    return fingerprint


def other_session(*, autocommit: bool = False) -> psycopg.Connection:
    """A second connection to the test database: another person's session, to hold a lock."""
    database = connection.settings_dict
    return psycopg.connect(
        host=database["HOST"],
        port=database["PORT"],
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=database["NAME"],
        autocommit=autocommit,
    )

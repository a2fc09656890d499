"""Client records as the `ml` package's tables (one DataFrame per Kaggle table).

Scoring, training and the what-if all read the database through here, so the
model sees exactly what it would see reading the Kaggle CSVs: the same column
names and dtypes (`ml.dataset.coerce_table`), NULL as NaN.

Rows travel as CSV through `COPY ... TO STDOUT`: several times faster than
fetching tuples, and it is the format `ml.dataset` already reads.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Sequence

import pandas as pd
from django.db import connection

from ml import schema
from ml.dataset import coerce_table


def _select_sql(table: schema.Table, where: str) -> str:
    columns = ", ".join(f"t.{column.field_name}" for column in table.columns)
    return f"SELECT {columns} FROM {_db_table(table)} t {where}"


def _db_table(table: schema.Table) -> str:
    from clients.models import MODEL_FOR_TABLE

    return MODEL_FOR_TABLE[table.name]._meta.db_table


def _where_for(table: schema.Table, sk_ids: Sequence[int] | None) -> str:
    if sk_ids is None:
        return ""
    # COPY takes no bound parameters through Django's cursor: the ids are
    # written into the statement, safely, since int() accepts only integers.
    ids = "'{" + ",".join(str(int(sk_id)) for sk_id in sk_ids) + "}'::bigint[]"
    if table is schema.BUREAU_BALANCE:
        # bureau_balance knows only its bureau credit: reach the client through it.
        return f"JOIN bureau b ON b.sk_id_bureau = t.sk_id_bureau WHERE b.sk_id_curr = ANY({ids})"
    return f"WHERE t.sk_id_curr = ANY({ids})"


def _read_table(table: schema.Table, sk_ids: Sequence[int] | None) -> pd.DataFrame:
    where = _where_for(table, sk_ids)
    sql = f"COPY ({_select_sql(table, where)}) TO STDOUT WITH (FORMAT csv, HEADER true)"
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.copy(sql) as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    dtypes = {c.field_name: (str if c.kind == schema.STR else "float64") for c in table.columns}
    frame = pd.read_csv(buffer, dtype=dtypes, keep_default_na=False, na_values=[""])
    return coerce_table(table, frame)


def tables_for_applications(sk_ids: Sequence[int] | None = None) -> dict[str, pd.DataFrame]:
    """Every Kaggle table restricted to the applications `sk_ids` (None: all of them).

    The application rows come in the order of `sk_ids` when given.
    """
    tables = {table.name: _read_table(table, sk_ids) for table in schema.TABLES}
    if sk_ids is not None:
        applications = tables[schema.APPLICATION.name].set_index("SK_ID_CURR", drop=False)
        ordered = [sk_id for sk_id in sk_ids if sk_id in applications.index]
        tables[schema.APPLICATION.name] = applications.loc[ordered].reset_index(drop=True)
    return tables


def application_digest(sk_id_curr: int) -> str:
    """A digest of everything the model reads about one application.

    The application's own values plus the size and latest key of each history
    table: a re-import or an edit changes it, a re-assignment of advisor does
    not. Scoring the same digest with the same model returns the stored score.
    """
    digests = application_digests([sk_id_curr])
    if sk_id_curr not in digests:
        raise LookupError(f"no application {sk_id_curr}")
    return digests[sk_id_curr]


def application_digests(sk_ids: Sequence[int]) -> dict[int, str]:
    """`application_digest` of many applications in one query (unknown ids are left out)."""
    columns = ", ".join(column.field_name for column in schema.APPLICATION.columns)
    history = " , ".join(
        f"(SELECT count(*) FROM {_db_table(t)} h WHERE h.sk_id_curr = r.sk_id_curr)"
        for t in schema.TABLES
        if t.parent == ("SK_ID_CURR", "application")
    )
    sql = (
        f"SELECT r.sk_id_curr, row_to_json(r)::text, {history}, "
        "(SELECT count(*) FROM bureau_balance bb JOIN bureau b USING (sk_id_bureau) "
        " WHERE b.sk_id_curr = r.sk_id_curr) "
        f"FROM (SELECT {columns} FROM application WHERE sk_id_curr = ANY(%(ids)s)) r"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": [int(sk_id) for sk_id in sk_ids]})
        rows = cursor.fetchall()
    # The digest hashes the row without its leading id, as it always has: stored
    # scores keep matching the data they were computed on.
    return {
        row[0]: hashlib.sha256(json.dumps(list(row[1:]), default=str).encode()).hexdigest()
        for row in rows
    }

"""ml.dataset: reading Kaggle CSV folders and coercing database frames into one shape."""

from __future__ import annotations

import functools
import gzip
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml import schema
from ml.dataset import (
    DatasetError,
    coerce_table,
    column_dtypes,
    data_hash,
    dataset_files,
    load_tables,
    read_table,
)

SAMPLE = "lia-git__credit_predict"


@pytest.fixture
def sample_dir(homecredit_samples) -> Path:
    return homecredit_samples / SAMPLE


@functools.cache
def loaded(folder: Path) -> dict[str, pd.DataFrame]:
    """load_tables once per folder for the whole module (tests only read the frames)."""
    return load_tables(folder)


def database_style(frame: pd.DataFrame) -> pd.DataFrame:
    """What a database read gives: lower-case names, Python objects, None for NULL."""
    objects = frame.astype(object)
    objects = objects.where(frame.notna(), None)
    return objects.rename(columns=str.lower)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def small_bureau_csv(tmp_path: Path, *, line_2: str | None = None) -> Path:
    header = ",".join(schema.BUREAU.column_names)
    row = "1,10,Active,currency 1,-100,0,,,,0,1000.0,,,0.0,Consumer credit,-5,"
    return write_csv(
        tmp_path / "bureau.csv", f"{header}\n{line_2 or row}\n{row.replace('10', '11', 1)}\n"
    )


def test_the_real_sample_folder_loads_every_table_with_the_schema_dtypes(sample_dir):
    tables = load_tables(sample_dir)
    assert set(tables) == {table.name for table in schema.TABLES}
    for table in schema.TABLES:
        frame = tables[table.name]
        assert list(frame.columns) == table.column_names, table.name
        assert len(frame) == 199
        expected = column_dtypes(table)
        for name in frame.columns:
            assert str(frame[name].dtype) == expected[name], (table.name, name)


def test_missing_values_stay_nan_and_are_never_filled(sample_dir):
    tables = loaded(sample_dir)
    raw = pd.read_csv(sample_dir / "previous_application.csv")
    previous = tables["previous_application"]
    for name in ("AMT_ANNUITY", "AMT_DOWN_PAYMENT", "RATE_INTEREST_PRIMARY", "NAME_TYPE_SUITE"):
        assert previous[name].isna().sum() == raw[name].isna().sum() > 0, name
    application = tables["application"]
    assert application["EXT_SOURCE_1"].isna().sum() == (
        pd.read_csv(sample_dir / "application_train.csv")["EXT_SOURCE_1"].isna().sum()
    )


def test_text_is_object_in_applications_and_category_in_history_tables(sample_dir):
    tables = loaded(sample_dir)
    assert tables["application"]["CODE_GENDER"].dtype == object
    assert isinstance(tables["bureau_balance"]["STATUS"].dtype, pd.CategoricalDtype)
    assert set(tables["bureau_balance"]["STATUS"].dropna().unique()) <= set("012345CX")


@pytest.mark.parametrize("table", schema.TABLES, ids=lambda table: table.name)
def test_a_database_style_frame_coerces_to_the_same_frame_as_the_csv(sample_dir, table):
    from_csv = loaded(sample_dir)[table.name]
    raw = pd.read_csv(sample_dir / table.file_names[0])
    from_database = coerce_table(table, database_style(raw))
    pd.testing.assert_frame_equal(from_database, from_csv)


def test_coercing_twice_changes_nothing(sample_dir):
    bureau = loaded(sample_dir)["bureau"]
    pd.testing.assert_frame_equal(coerce_table(schema.BUREAU, bureau), bureau)


def test_coercion_leaves_the_input_frame_untouched():
    raw = pd.DataFrame({c.field_name: [None] for c in schema.BUREAU.columns})
    raw["sk_id_curr"], raw["sk_id_bureau"], raw["days_credit"] = 1, 2, "-5"
    before = raw.copy()
    coerced = coerce_table(schema.BUREAU, raw)
    pd.testing.assert_frame_equal(raw, before)
    assert coerced.loc[0, "DAYS_CREDIT"] == -5.0
    assert np.isnan(coerced.loc[0, "AMT_ANNUITY"])
    assert coerced["SK_ID_CURR"].dtype == np.int64


def test_database_foreign_key_names_and_extra_columns_are_understood():
    raw = pd.DataFrame({c.field_name: [None] for c in schema.BUREAU.columns})
    raw = raw.drop(columns=["sk_id_curr"]).assign(application_id=7, sk_id_bureau=3, id=99)
    coerced = coerce_table(schema.BUREAU, raw)
    assert coerced.loc[0, "SK_ID_CURR"] == 7
    assert list(coerced.columns) == schema.BUREAU.column_names


def test_a_missing_column_is_named():
    raw = pd.DataFrame({c.name: [1] for c in schema.BUREAU.columns}).drop(columns=["AMT_ANNUITY"])
    with pytest.raises(DatasetError, match=r"bureau: missing column\(s\) \['AMT_ANNUITY'\]"):
        coerce_table(schema.BUREAU, raw)


def test_a_missing_key_is_refused_with_its_row():
    raw = pd.DataFrame({c.name: [1, 2] for c in schema.BUREAU.columns})
    raw["SK_ID_CURR"] = [1, None]
    with pytest.raises(DatasetError, match="column SK_ID_CURR, row 1: the identifier is missing"):
        coerce_table(schema.BUREAU, raw)


def test_a_bad_number_in_a_file_is_reported_with_file_line_and_column(tmp_path):
    bad_line = "1,10,Active,currency 1,yesterday,0,,,,0,1000.0,,,0.0,Consumer credit,-5,"
    path = small_bureau_csv(tmp_path, line_2=bad_line)
    with pytest.raises(DatasetError) as error:
        read_table(schema.BUREAU, path)
    message = str(error.value)
    assert str(path) in message
    assert "line 2" in message
    assert "column DAYS_CREDIT" in message
    assert "'yesterday' is not a number" in message


def test_a_file_missing_a_column_is_reported(tmp_path):
    path = write_csv(tmp_path / "bureau.csv", "SK_ID_CURR,SK_ID_BUREAU\n1,2\n")
    with pytest.raises(DatasetError, match="bureau.csv: missing column"):
        read_table(schema.BUREAU, path)


def test_a_gzipped_file_reads_the_same_as_the_plain_one(tmp_path):
    plain = small_bureau_csv(tmp_path)
    zipped = tmp_path / "zipped" / "bureau.csv.gz"
    zipped.parent.mkdir()
    with plain.open("rb") as source, gzip.open(zipped, "wb") as target:
        shutil.copyfileobj(source, target)
    pd.testing.assert_frame_equal(
        read_table(schema.BUREAU, zipped), read_table(schema.BUREAU, plain)
    )


def test_history_tables_are_optional_and_the_test_file_can_be_chosen(sample_dir, tmp_path):
    shutil.copy(sample_dir / "application_test.csv", tmp_path / "application_test.csv")
    tables = load_tables(tmp_path, files=("application_test.csv",))
    assert list(tables) == ["application"]
    assert "TARGET" not in tables["application"].columns
    with pytest.raises(FileNotFoundError, match="application_train.csv"):
        load_tables(tmp_path)


def test_two_application_files_are_stacked(sample_dir):
    tables = load_tables(
        sample_dir, files=("application_train.csv", "application_test.csv"), history=False
    )
    application = tables["application"]
    assert len(application) == 398
    assert application["TARGET"].isna().sum() == 199
    assert list(application.columns) == schema.APPLICATION.column_names


def test_the_real_application_sample_loads_as_float64_with_the_sentinel_intact(homecredit_samples):
    tables = load_tables(homecredit_samples / "gitadum__credit_risk_rating", history=False)
    application = tables["application"]
    assert application.shape == (30_752, 122)
    assert (application["DAYS_EMPLOYED"] == schema.DAYS_EMPLOYED_SENTINEL).mean() > 0.1
    assert application["TARGET"].dtype == np.float64


def test_data_hash_depends_on_every_byte_and_on_nothing_else(tmp_path):
    first = small_bureau_csv(tmp_path)
    application = write_csv(tmp_path / "application_train.csv", "SK_ID_CURR\n1\n")
    folder_hash = data_hash(tmp_path)
    assert folder_hash == data_hash([application, first])
    assert folder_hash == data_hash([first, application])  # order does not matter
    assert len(folder_hash) == 64
    first.write_text(first.read_text().replace("1000.0", "1000.5", 1))
    assert data_hash(tmp_path) != folder_hash


def test_dataset_files_lists_what_load_tables_reads(sample_dir):
    files = dataset_files(sample_dir)
    assert [path.name for path in files["application"]] == ["application_train.csv"]
    assert files["bureau_balance"] == [sample_dir / "bureau_balance.csv"]
    assert set(files) == {table.name for table in schema.TABLES}

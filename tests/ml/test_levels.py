"""ml.levels: the levels of every text column, checked against the real data and the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ml import schema
from ml.artifact import ENCODER_FILE
from ml.encoding import CategoryEncoder
from ml.levels import LEVELS, levels

STATS = Path(schema.__file__).parent / "data" / "homecredit_stats.json"


def _text_columns(table: schema.Table) -> list[str]:
    return [column.name for column in table.columns if column.kind == schema.STR]


def test_every_text_column_of_the_schema_has_its_levels_and_nothing_else_does():
    for table in schema.TABLES:
        assert sorted(LEVELS[table.name]) == sorted(_text_columns(table)), table.name
    assert set(LEVELS) == {table.name for table in schema.TABLES}


def test_levels_are_listed_once_and_are_never_empty_text():
    for table, columns in LEVELS.items():
        for column, values in columns.items():
            assert len(set(values)) == len(values), f"{table}.{column} repeats a level"
            assert all(value.strip() == value and value for value in values), column


def test_every_level_of_the_real_samples_is_listed(homecredit_samples):
    for table in schema.TABLES:
        columns = _text_columns(table)
        if not columns:
            continue
        files = sorted(homecredit_samples.glob(f"*/{table.name}.csv*"))
        if table is schema.APPLICATION:
            files = sorted(homecredit_samples.glob("*/application_*.csv*"))
        assert files, f"no sample of {table.name}"
        for path in files:
            frame = pd.read_csv(path, usecols=columns, dtype=str)
            for column in columns:
                seen = set(frame[column].dropna())
                unknown = seen - set(levels(table.name, column))
                assert not unknown, f"{path.name}: {column} holds unlisted levels {unknown}"


def test_every_level_the_synthetic_generator_draws_is_listed():
    stats = json.loads(STATS.read_text())
    checked = 0
    for table in schema.TABLES:
        for column, facts in stats.get(table.name, {}).get("columns", {}).items():
            if "levels" in facts:
                assert set(facts["levels"]) <= set(levels(table.name, column)), column
                checked += 1
    assert checked >= 16


def test_a_trained_model_knows_no_level_outside_the_lists(trained_artifact):
    encoder = CategoryEncoder.from_json((Path(trained_artifact) / ENCODER_FILE).read_text())
    assert encoder.categories, "the model has categorical features"
    for column, known in encoder.categories.items():
        assert set(known) <= set(levels("application", column)), column


def test_a_column_name_shared_by_two_tables_keeps_the_levels_of_each():
    # Consumer loans exist among previous applications, never as a new application.
    assert "Consumer loans" not in levels("application", "NAME_CONTRACT_TYPE")
    assert "Consumer loans" in levels("previous_application", "NAME_CONTRACT_TYPE")

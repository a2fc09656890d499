"""ml.synthetic: Kaggle-shaped files, realistic marginals and counts, a default signal."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from sklearn.metrics import roc_auc_score

from ml import schema
from ml.dataset import load_tables
from ml.synthetic import generate, generate_to_dir, write_csvs
from ml.synthetic.__main__ import main as cli_main
from ml.synthetic.application import generate_applications
from ml.synthetic.marginals import Law, load_stats

CLIENTS = 4_000
TEST_CLIENTS = 400
KAGGLE_FILES = {
    "application": "application_train.csv",
    "application_test": "application_test.csv",
    "bureau": "bureau.csv",
    "bureau_balance": "bureau_balance.csv",
    "previous_application": "previous_application.csv",
    "POS_CASH_balance": "POS_CASH_balance.csv",
    "installments_payments": "installments_payments.csv",
    "credit_card_balance": "credit_card_balance.csv",
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate(CLIENTS, seed=7, test_clients=TEST_CLIENTS)


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory, tables) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    write_csvs(tables, out)
    return out


def header(path: Path) -> list[str]:
    with path.open(newline="") as f:
        return next(csv.reader(f))


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


# -- files ------------------------------------------------------------------------------
def test_the_seven_kaggle_files_are_written_with_the_schema_headers(csv_dir):
    assert {p.name for p in csv_dir.iterdir()} == set(KAGGLE_FILES.values())
    for name, file_name in KAGGLE_FILES.items():
        table = (
            schema.APPLICATION if name.startswith("application") else schema.TABLES_BY_NAME[name]
        )
        expected = [
            c for c in table.column_names if not (name == "application_test" and c == "TARGET")
        ]
        assert header(csv_dir / file_name) == expected, file_name


def test_headers_are_those_of_the_real_kaggle_files(csv_dir, homecredit_samples):
    real = homecredit_samples / "lia-git__credit_predict"
    for file_name in KAGGLE_FILES.values():
        assert header(csv_dir / file_name) == header(real / file_name), file_name


def test_cells_are_formatted_like_kaggle(csv_dir):
    lines = (csv_dir / "POS_CASH_balance.csv").read_text().splitlines()
    first = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert first["CNT_INSTALMENT"].endswith(".0")  # float column, integral value: "48.0"
    assert "." not in first["MONTHS_BALANCE"]  # int column
    application = (csv_dir / "application_train.csv").read_text()
    assert ",," in application  # missing values are empty cells
    assert '"' not in application.replace('"Stone, brick"', "").replace('"Spouse, partner"', "")


def test_csv_files_parse_back_with_integer_columns_as_integers(csv_dir):
    for name, file_name in KAGGLE_FILES.items():
        table = (
            schema.APPLICATION if name.startswith("application") else schema.TABLES_BY_NAME[name]
        )
        frame = pd.read_csv(csv_dir / file_name)
        for column in frame.columns:
            kind = table.column(column).kind
            if kind == schema.INT:
                assert frame[column].dtype == np.int64, f"{file_name}:{column}"
            elif kind == schema.FLOAT:
                assert frame[column].dtype == np.float64, f"{file_name}:{column}"


def test_the_project_dataset_loader_reads_the_generated_folder(csv_dir, tables):
    loaded = load_tables(csv_dir)
    assert set(loaded) == set(schema.TABLES_BY_NAME)
    for name, frame in loaded.items():
        assert len(frame) == len(tables[name]), name
    assert loaded["application"]["TARGET"].sum() == tables["application"]["TARGET"].sum()


def test_written_files_read_back_equal_to_the_tables(csv_dir, tables):
    for name in ("application", "bureau", "installments_payments"):
        read = pd.read_csv(csv_dir / KAGGLE_FILES[name])
        pd.testing.assert_frame_equal(read, tables[name], check_dtype=False)


def test_same_seed_gives_identical_bytes_and_another_seed_different_ones(tmp_path):
    generate_to_dir(n_clients=300, out_dir=tmp_path / "a", seed=11)
    generate_to_dir(n_clients=300, out_dir=tmp_path / "b", seed=11)
    generate_to_dir(n_clients=300, out_dir=tmp_path / "c", seed=12)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    different = digest(tmp_path / "c")
    assert all(different[name] != sha for name, sha in digest(tmp_path / "a").items())


def test_streamed_files_equal_the_in_memory_tables_written(tmp_path):
    generate_to_dir(n_clients=300, out_dir=tmp_path / "streamed", seed=5, test_clients=30)
    write_csvs(generate(300, seed=5, test_clients=30), tmp_path / "memory")
    assert digest(tmp_path / "streamed") == digest(tmp_path / "memory")


def test_gzip_output_is_deterministic_and_holds_the_same_csv(tmp_path):
    generate_to_dir(n_clients=100, out_dir=tmp_path / "plain", seed=3)
    generate_to_dir(n_clients=100, out_dir=tmp_path / "gz1", seed=3, gzip=True)
    generate_to_dir(n_clients=100, out_dir=tmp_path / "gz2", seed=3, gzip=True)
    assert digest(tmp_path / "gz1") == digest(tmp_path / "gz2")
    plain = pd.read_csv(tmp_path / "plain" / "bureau.csv")
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "gz1" / "bureau.csv.gz"), plain)


def test_command_line_and_management_command_write_the_files(tmp_path, capsys):
    assert cli_main(["--clients", "50", "--out", str(tmp_path / "cli"), "--seed", "2"]) == 0
    call_command(
        "generate_homecredit", "--clients", "50", "--out", str(tmp_path / "manage"), "--seed", "2"
    )
    assert digest(tmp_path / "cli") == digest(tmp_path / "manage")
    assert "application_train.csv" in capsys.readouterr().out


# -- application realism -------------------------------------------------------------------
def test_default_rate_is_near_eight_percent():
    columns, _, _ = generate_applications(np.random.default_rng(0), 30_000)
    assert 0.065 <= columns["TARGET"].mean() <= 0.095


def test_days_employed_sentinel_marks_pensioners_at_a_realistic_rate(tables):
    app = tables["application"]
    sentinel = app["DAYS_EMPLOYED"] == schema.DAYS_EMPLOYED_SENTINEL
    assert 0.13 <= sentinel.mean() <= 0.23
    assert set(app.loc[sentinel, "NAME_INCOME_TYPE"]) <= {"Pensioner", "Unemployed"}
    assert (app.loc[sentinel, "ORGANIZATION_TYPE"] == "XNA").all()
    assert app.loc[sentinel, "OCCUPATION_TYPE"].isna().all()
    assert (app.loc[~sentinel, "NAME_INCOME_TYPE"] != "Pensioner").all()
    assert (app.loc[~sentinel, "DAYS_EMPLOYED"] > app.loc[~sentinel, "DAYS_BIRTH"]).all()


def test_days_columns_are_negative(tables):
    app = tables["application"]
    assert (app["DAYS_BIRTH"] < 0).all()
    assert (
        app.loc[app["DAYS_EMPLOYED"] != schema.DAYS_EMPLOYED_SENTINEL, "DAYS_EMPLOYED"] <= 0
    ).all()
    assert (app["DAYS_REGISTRATION"] <= 0).all() and (app["DAYS_ID_PUBLISH"] <= 0).all()
    assert (tables["bureau"]["DAYS_CREDIT"] <= 0).all()
    assert (tables["bureau_balance"]["MONTHS_BALANCE"] <= 0).all()
    assert (tables["previous_application"]["DAYS_DECISION"] < 0).all()
    assert (tables["installments_payments"]["DAYS_INSTALMENT"] < 0).all()
    for name in ("POS_CASH_balance", "credit_card_balance"):
        assert (tables[name]["MONTHS_BALANCE"] < 0).all()


def test_application_rows_are_internally_consistent(tables):
    app = tables["application"]
    age = -app["DAYS_BIRTH"] / 365.25
    assert age.between(20, 70).all()
    assert (app["CNT_FAM_MEMBERS"] >= app["CNT_CHILDREN"] + 1).all()
    assert (app["OWN_CAR_AGE"].isna() == (app["FLAG_OWN_CAR"] == "N")).all()
    cash = app[app["NAME_CONTRACT_TYPE"] == "Cash loans"]
    assert (cash["AMT_GOODS_PRICE"] <= cash["AMT_CREDIT"]).all()
    term = app["AMT_CREDIT"] / app["AMT_ANNUITY"]
    assert term.dropna().between(5.9, 60.1).all()


def test_missing_values_follow_the_real_patterns(tables):
    app = tables["application"]
    columns = load_stats()["application"]["columns"]
    for name in (
        "EXT_SOURCE_1",
        "EXT_SOURCE_3",
        "APARTMENTS_AVG",
        "AMT_REQ_CREDIT_BUREAU_YEAR",
    ):
        assert app[name].isna().mean() == pytest.approx(columns[name]["missing"], abs=0.04), name
    # Pensioners have no occupation: 31% missing in all, 16% among the employed.
    assert app["OCCUPATION_TYPE"].isna().mean() == pytest.approx(0.31, abs=0.04)
    for base in ("APARTMENTS", "FLOORSMAX", "COMMONAREA"):
        missing = app[f"{base}_AVG"].isna()
        assert (app[f"{base}_MODE"].isna() == missing).all() and (
            app[f"{base}_MEDI"].isna() == missing
        ).all()
    assert (app["APARTMENTS_AVG"].notna() & app["EMERGENCYSTATE_MODE"].isna()).mean() < 0.05


def test_marginals_are_close_to_the_real_statistics(tables):
    app = tables["application"]
    law = {
        name: Law(spec)
        for name, spec in load_stats()["application"]["columns"].items()
        if "kind" in spec
    }
    for name in ("AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_GOODS_PRICE", "DAYS_BIRTH", "EXT_SOURCE_2"):
        real_median = float(law[name].from_uniform(np.array([0.5]))[0])
        assert app[name].median() == pytest.approx(real_median, rel=0.15), name
    gender = app["CODE_GENDER"].value_counts(normalize=True)
    assert gender["F"] == pytest.approx(law["CODE_GENDER"].probability_of("F"), abs=0.04)
    assert app["NAME_CONTRACT_TYPE"].isin(["Cash loans", "Revolving loans"]).all()


# -- history -------------------------------------------------------------------------------
def test_ids_are_unique_and_in_kaggle_like_ranges(tables):
    app = pd.concat([tables["application"], tables["application_test"]])
    assert app["SK_ID_CURR"].is_unique and app["SK_ID_CURR"].min() == 100_002
    assert (
        tables["bureau"]["SK_ID_BUREAU"].is_unique
        and tables["bureau"]["SK_ID_BUREAU"].min() >= 5_000_000
    )
    previous = tables["previous_application"]["SK_ID_PREV"]
    assert previous.is_unique and previous.min() >= 1_000_000


def test_history_rows_point_to_existing_parents(tables):
    clients = set(tables["application"]["SK_ID_CURR"]) | set(
        tables["application_test"]["SK_ID_CURR"]
    )
    for name in (
        "bureau",
        "previous_application",
        "POS_CASH_balance",
        "installments_payments",
        "credit_card_balance",
    ):
        assert set(tables[name]["SK_ID_CURR"]) <= clients, name
    assert set(tables["bureau_balance"]["SK_ID_BUREAU"]) <= set(tables["bureau"]["SK_ID_BUREAU"])
    previous = tables["previous_application"].set_index("SK_ID_PREV")["SK_ID_CURR"]
    for name in ("POS_CASH_balance", "installments_payments", "credit_card_balance"):
        monthly = tables[name]
        assert monthly["SK_ID_PREV"].isin(previous.index).all(), name
        assert (
            previous.loc[monthly["SK_ID_PREV"]].to_numpy() == monthly["SK_ID_CURR"].to_numpy()
        ).all(), name
    assert not tables["bureau_balance"].duplicated(["SK_ID_BUREAU", "MONTHS_BALANCE"]).any()


def test_history_counts_per_client_match_the_full_kaggle_data(tables):
    clients = CLIENTS + TEST_CLIENTS
    # Full Kaggle data: 356,255 clients (train + test) own these rows.
    kaggle_rows = {
        "bureau": 1_716_428,
        "bureau_balance": 27_299_925,
        "previous_application": 1_670_214,
        "POS_CASH_balance": 10_001_358,
        "installments_payments": 13_605_401,
        "credit_card_balance": 3_840_312,
    }
    for name, rows in kaggle_rows.items():
        assert len(tables[name]) / clients == pytest.approx(rows / 356_255, rel=0.25), name
    assert tables["bureau"]["SK_ID_CURR"].nunique() / clients == pytest.approx(0.86, abs=0.04)
    assert tables["previous_application"]["SK_ID_CURR"].nunique() / clients == pytest.approx(
        0.95, abs=0.03
    )


def test_bureau_credits_are_consistent(tables):
    bureau = tables["bureau"]
    ends = bureau.dropna(subset=["DAYS_CREDIT_ENDDATE"])
    assert (ends["DAYS_CREDIT_ENDDATE"] >= ends["DAYS_CREDIT"]).all()
    closed = bureau[bureau["CREDIT_ACTIVE"] == "Closed"]
    assert closed["DAYS_ENDDATE_FACT"].notna().all()
    assert (closed["DAYS_ENDDATE_FACT"] >= closed["DAYS_CREDIT"]).all()
    assert bureau.loc[bureau["CREDIT_ACTIVE"] == "Active", "DAYS_ENDDATE_FACT"].isna().all()


def test_payments_happen_around_the_due_day(tables):
    instalments = tables["installments_payments"].dropna()
    delay = instalments["DAYS_ENTRY_PAYMENT"] - instalments["DAYS_INSTALMENT"]
    assert delay.median() == pytest.approx(-6, abs=5)
    assert 0.04 <= (delay > 0).mean() <= 0.15


# -- signal --------------------------------------------------------------------------------
def test_ext_source_2_carries_a_realistic_signal(tables):
    app = tables["application"].dropna(subset=["EXT_SOURCE_2"])
    auc = roc_auc_score(app["TARGET"], -app["EXT_SOURCE_2"])
    assert 0.58 <= auc <= 0.72


def test_late_instalments_and_refusals_carry_signal_of_their_own(tables):
    app = tables["application"].set_index("SK_ID_CURR")
    instalments = tables["installments_payments"]
    late = (
        (instalments["DAYS_ENTRY_PAYMENT"] > instalments["DAYS_INSTALMENT"])
        .groupby(instalments["SK_ID_CURR"])
        .mean()
    )
    joined = app.join(late.rename("late_share"), how="inner")
    assert roc_auc_score(joined["TARGET"], joined["late_share"]) > 0.55
    previous = tables["previous_application"]
    refused = (previous["NAME_CONTRACT_STATUS"] == "Refused").groupby(previous["SK_ID_CURR"]).mean()
    joined = app.join(refused.rename("refused_share"), how="inner")
    assert roc_auc_score(joined["TARGET"], joined["refused_share"]) > 0.53

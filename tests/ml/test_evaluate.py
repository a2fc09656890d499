import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ml.__main__ import main
from ml.evaluate import EvaluationError, evaluate, evaluate_predictions, format_report
from ml.predict import ScoringModel, load_model
from ml.synthetic import write_csvs
from tests.ml.trained import saved_artifact, tables_copy

REPO = Path(__file__).resolve().parents[2]
REQUIRED_KEYS = {"auc", "cost_per_client", "threshold", "rows", "confusion", "brier"}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> ScoringModel:
    return load_model(saved_artifact(tmp_path_factory.mktemp("model") / "artifact"))


def test_evaluation_reports_auc_cost_and_confusion_at_the_stored_threshold(model):
    report = evaluate(model, tables_copy(clients=600, seed=11))

    assert REQUIRED_KEYS <= set(report)
    assert report["rows"] == 600
    assert report["threshold"] == model.threshold
    assert 0.5 < report["auc"] <= 1.0
    assert sum(report["confusion"].values()) == 600
    assert report["cost_per_client"] <= report["cost_refuse_nobody_per_client"] + 0.5
    assert "cost per client at 0.5" in format_report(report)


def test_the_cost_figures_follow_the_weights_by_hand():
    y = np.array([1, 0, 0, 1])
    probability = np.array([0.8, 0.3, 0.05, 0.05])

    report = evaluate_predictions(y, probability, threshold=0.1, cost_fn=10, cost_fp=1)

    # refused: 0.8 (TP), 0.3 (FP); granted: 0.05 (TN), 0.05 (FN).
    assert report["confusion"] == {"tn": 1, "fp": 1, "fn": 1, "tp": 1}
    assert report["cost_per_client"] == pytest.approx(11 / 4)
    assert report["cost_at_05_per_client"] == pytest.approx(10 / 4)
    assert report["cost_refuse_nobody_per_client"] == pytest.approx(20 / 4)


def test_data_without_target_cannot_be_evaluated(model):
    tables = tables_copy(clients=600, seed=11)
    tables["application"] = tables["application"].drop(columns=["TARGET"])

    with pytest.raises(EvaluationError, match="TARGET"):
        evaluate(model, tables)


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_the_cli_trains_and_evaluates_end_to_end(tmp_path):
    data, holdout = tmp_path / "data", tmp_path / "holdout"
    write_csvs(tables_copy(clients=600, seed=11), data)  # all seven Kaggle files
    holdout.mkdir()
    # Evaluation data may hold the application file alone.
    (holdout / "application_train.csv").write_bytes((data / "application_train.csv").read_bytes())
    artifact = tmp_path / "artifact"

    trained = _run(
        "-m", "ml", "train", "--data", str(data), "--out", str(artifact),
        "--folds", "2", "--seed", "0", "--cost-fn", "5", "--cost-fp", "1",
        "--exclude", "CODE_GENDER",
    )  # fmt: skip

    assert trained.returncode == 0, trained.stderr
    assert "fold 1/2: AUC" in trained.stdout and "best iteration" in trained.stdout
    metadata = json.loads((artifact / "metadata.json").read_text())
    assert metadata["cost_weights"] == {"cost_fn": 5.0, "cost_fp": 1.0}
    assert [row["attribute"] for row in metadata["excluded_attributes"]] == ["CODE_GENDER"]
    features = {feature["name"] for feature in metadata["features"]}
    assert "CODE_GENDER" not in features and "NAME_FAMILY_STATUS" in features

    report_path = tmp_path / "report.json"
    evaluated = _run(
        "-m", "ml", "evaluate", "--model", str(artifact), "--data", str(holdout),
        "--json", str(report_path),
    )  # fmt: skip

    assert evaluated.returncode == 0, evaluated.stderr
    assert "cost per client at threshold" in evaluated.stdout
    report = json.loads(report_path.read_text())
    assert REQUIRED_KEYS <= set(report)
    assert report["rows"] == 600
    assert report["threshold"] == metadata["threshold"]


def test_the_cli_names_a_missing_artifact(tmp_path, capsys):
    (tmp_path / "application_train.csv").write_text("SK_ID_CURR,TARGET\n1,0\n")

    code = main(["evaluate", "--model", str(tmp_path / "none"), "--data", str(tmp_path)])

    assert code == 2
    assert "no model artifact at" in capsys.readouterr().err


def test_the_cli_refuses_to_exclude_a_column_that_does_not_exist(tmp_path, capsys):
    code = main(["train", "--data", str(tmp_path), "--out", str(tmp_path / "out"),
                 "--exclude", "CODE_GENDER", "SEX"])  # fmt: skip

    assert code == 2
    assert "not application columns, cannot be excluded: ['SEX']" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

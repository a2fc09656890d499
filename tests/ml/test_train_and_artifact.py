import importlib.metadata
import json
import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.artifact import (
    ARTIFACT_FILES,
    MANIFEST_FILE,
    METADATA_FILE,
    ArtifactCompatibilityWarning,
    ArtifactError,
    _combined_hash,
    artifact_hash,
    save_artifact,
    sha256_bytes,
)
from ml.predict import load_model
from ml.train import TrainingError, train_on_features
from tests.ml.trained import saved_artifact, tables_copy, trained_result


@pytest.fixture(scope="module")
def artifact(tmp_path_factory) -> Path:
    return saved_artifact(tmp_path_factory.mktemp("model") / "artifact")


@pytest.fixture
def artifact_copy(artifact, tmp_path) -> Path:
    return Path(shutil.copytree(artifact, tmp_path / "copy"))


def _rewrite_metadata(directory: Path, change) -> None:
    """Edit metadata.json and re-sign the manifest, as a legitimate writer would."""
    metadata = json.loads((directory / METADATA_FILE).read_text())
    change(metadata)
    (directory / METADATA_FILE).write_text(json.dumps(metadata))
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    manifest["files"][METADATA_FILE] = sha256_bytes((directory / METADATA_FILE).read_bytes())
    manifest["artifact_hash"] = _combined_hash(manifest["files"])
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest))


def test_training_records_the_metrics_the_card_and_the_dashboard_need():
    metadata = trained_result().metadata
    metrics = metadata["metrics"]

    assert len(metrics["fold_aucs"]) == 3
    assert 0.6 < metrics["oof_auc"] <= 1.0
    assert 0.0 < metadata["threshold"] < 0.5
    assert metadata["cost_weights"] == {"cost_fn": 10.0, "cost_fp": 1.0}
    cost = metrics["cost"]
    assert cost["cost"] <= cost["cost_at_05"] and cost["cost"] <= cost["cost_refuse_nobody"]
    assert metrics["brier_after"] <= metrics["brier_before"] + 1e-3
    assert len(metrics["reliability_before"]) == len(metrics["reliability_after"]) == 10
    assert set(metrics["confusion"]) == {"tn", "fp", "fn", "tp"}
    assert metadata["data"]["rows"]["application"] == 1500
    assert len(metadata["data"]["hash"]) == 64
    assert set(metadata["libraries"]) >= {
        "python",
        "lightgbm",
        "numpy",
        "pandas",
        "sklearn",
        "shap",
    }
    assert metadata["git_commit"]


def test_importance_statistics_and_fairness_cover_the_features():
    result = trained_result()
    metadata = result.metadata
    names = [f["name"] for f in metadata["features"]]

    assert list(metadata["global_importance"]) != names  # sorted by importance, not order
    assert set(metadata["global_importance"]) == set(names)
    assert set(metadata["reference_statistics"]) == set(names)
    contract = metadata["reference_statistics"]["NAME_CONTRACT_TYPE"]
    assert contract["kind"] == "categorical" and sum(contract["frequencies"].values()) == 1.0
    assert metadata["reference_statistics"]["AMT_CREDIT"]["quantiles"]["0.5"] > 0
    assert [g["group"] for g in metadata["fairness"]["age_band"]][:1] == ["<30"]
    assert {"rows", "default_rate", "refusal_rate", "auc", "fn_rate", "fp_rate"} <= set(
        metadata["fairness"]["CODE_GENDER"][0]
    )
    assert "TARGET" not in names


def test_the_reference_sample_keeps_the_default_rate():
    result = trained_result()
    sample = result.reference_sample

    assert len(sample) == 1500  # fewer rows than the sample size: all of them
    assert {"TARGET", "OOF_PROBABILITY"} <= set(sample.columns)
    assert sample["TARGET"].mean() == pytest.approx(result.target.mean())


def test_the_artifact_holds_every_file_of_the_layout(artifact):
    names = {path.name for path in artifact.iterdir()}

    assert names == set(ARTIFACT_FILES) | {MANIFEST_FILE}
    manifest = json.loads((artifact / MANIFEST_FILE).read_text())
    assert set(manifest["files"]) == set(ARTIFACT_FILES)
    assert artifact_hash(artifact) == manifest["artifact_hash"]
    card = (artifact / "model_card.md").read_text()
    assert "refuse nobody" in card and "By CODE_GENDER" in card and "By age_band" in card


def test_the_artifact_round_trips_to_identical_predictions(artifact):
    result = trained_result()
    model = load_model(artifact)
    features = model.features(tables_copy())

    prediction = model.predict(features)

    expected_raw = result.booster.predict(result.encoder.transform(features), raw_score=True)
    np.testing.assert_array_equal(prediction.raw_score, expected_raw)
    np.testing.assert_array_equal(
        prediction.probability, result.calibrator.transform_log_odds(expected_raw)
    )
    assert model.threshold == result.threshold.threshold
    assert model.version == artifact_hash(artifact)[:12]


@pytest.mark.parametrize("name", ["model.txt", "metadata.json", "calibrator.json"])
def test_a_tampered_file_is_refused_by_name(artifact_copy, name):
    path = artifact_copy / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit of one byte
    path.write_bytes(bytes(data))

    with pytest.raises(ArtifactError, match=f"{name} has been modified"):
        load_model(artifact_copy)


def test_a_missing_artifact_is_a_clear_error(tmp_path):
    with pytest.raises(ArtifactError, match="no model artifact at"):
        load_model(tmp_path / "nowhere")
    with pytest.raises(ArtifactError, match="no model artifact at"):
        load_model(tmp_path)  # a directory without manifest


def test_a_missing_file_is_named(artifact_copy):
    (artifact_copy / "encoder.json").unlink()

    with pytest.raises(ArtifactError, match="encoder.json is missing"):
        load_model(artifact_copy)


def test_another_major_lightgbm_version_is_refused(artifact_copy):
    _rewrite_metadata(artifact_copy, lambda m: m["libraries"].update(lightgbm="3.3.5"))

    with pytest.raises(ArtifactError, match="LightGBM 3.3.5.*major versions differ"):
        load_model(artifact_copy)


def test_another_minor_lightgbm_version_only_warns(artifact_copy):
    major = importlib.metadata.version("lightgbm").split(".")[0]
    _rewrite_metadata(artifact_copy, lambda m: m["libraries"].update(lightgbm=f"{major}.0.0"))

    with pytest.warns(ArtifactCompatibilityWarning, match=f"LightGBM {major}.0.0"):
        model = load_model(artifact_copy)
    assert model.threshold > 0


def test_saving_replaces_an_old_artifact_but_never_a_foreign_directory(artifact, tmp_path):
    foreign = tmp_path / "documents"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("precious")

    with pytest.raises(ArtifactError, match="not a model artifact"):
        save_artifact(trained_result(), foreign)
    assert (foreign / "thesis.tex").read_text() == "precious"

    target = Path(shutil.copytree(artifact, tmp_path / "model"))
    save_artifact(trained_result(), target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_model(target).threshold == trained_result().threshold.threshold
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def _planted(seed: int = 7, n: int = 3000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    score = rng.uniform(size=n)
    features = pd.DataFrame(
        {
            "SIGNAL": np.where(rng.random(n) < 0.1, np.nan, score),
            "NOISE": rng.normal(size=n),
            "LEVEL": rng.choice(["a", "b", "c"], size=n),
        },
        index=pd.Index(np.arange(n) + 100_000, name="SK_ID_CURR"),
    )
    y = (rng.random(n) < 1 / (1 + np.exp(5 - 6 * score))).astype(int)  # true-score AUC 0.85
    return features, y


def _train_planted():
    features, y = _planted()
    return train_on_features(
        features, y, folds=3, seed=0, params={"learning_rate": 0.1}, progress=lambda m: None
    )


def test_training_on_constructed_features_learns_the_planted_signal():
    result = _train_planted()

    assert result.metadata["metrics"]["oof_auc"] > 0.75
    assert next(iter(result.metadata["global_importance"])) == "SIGNAL"
    assert result.metadata["categorical_features"] == ["LEVEL"]


def test_the_same_data_and_seed_give_the_same_model():
    first, second = _train_planted(), _train_planted()

    assert first.booster.model_to_string() == second.booster.model_to_string()
    assert first.threshold == second.threshold


def test_training_without_target_or_with_one_class_is_refused():
    features = pd.DataFrame({"X": np.arange(20.0)})

    with pytest.raises(TrainingError, match="single class"):
        train_on_features(features, np.zeros(20), folds=2)
    with pytest.raises(TrainingError, match="missing on 1 row"):
        train_on_features(features, np.r_[np.zeros(19), np.nan], folds=2)

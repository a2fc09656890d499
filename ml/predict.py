"""The prediction API the Django side calls.

    model = load_model(artifact_dir)         # verified; scoring.registry keeps one per version
    features = model.features(tables)        # tables: dict of Kaggle frames
    prediction = model.predict(features)     # .probability, .decision, .raw_score
    explanation = model.explain(features)    # .contributions (log-odds), .base_value

Hot path: the feature frame is encoded once into a float64 matrix (fixed code
tables, NaN kept) and that matrix is what LightGBM sees; a DataFrame with
categorical columns would be converted by LightGBM on every call (68x slower,
see shared/NOTES.md).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ml.artifact import read_artifact
from ml.calibration import Calibrator
from ml.encoding import CategoryEncoder

if TYPE_CHECKING:  # imported by ml.artifact when a model is read, not with this module
    import lightgbm as lgb

GRANTED = "granted"
REFUSED = "refused"


@dataclass(frozen=True)
class Prediction:
    probability: np.ndarray  # calibrated probability of default
    decision: np.ndarray  # "granted" / "refused" (refused when probability >= threshold)
    raw_score: np.ndarray  # the booster's log-odds, before calibration
    index: pd.Index  # SK_ID_CURR of each row

    def as_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "probability": self.probability,
                "decision": self.decision,
                "raw_score": self.raw_score,
            },
            index=self.index,
        )


@dataclass(frozen=True)
class Explanation:
    contributions: pd.DataFrame  # rows = applications, one column per feature (log-odds)
    base_value: float  # expected raw score; contributions.sum(axis=1) + base_value == raw_score
    raw_score: np.ndarray
    feature_values: pd.DataFrame  # the features explained, for display next to the effect


class ScoringModel:
    """A verified, loaded model artifact."""

    def __init__(
        self,
        *,
        booster: lgb.Booster,
        encoder: CategoryEncoder,
        calibrator: Calibrator,
        metadata: dict[str, Any],
        artifact_dir: Path,
        artifact_hash: str,
        reference_sample_bytes: bytes,
    ) -> None:
        self.booster = booster
        self.encoder = encoder
        self.calibrator = calibrator
        self.metadata = metadata
        self.artifact_dir = artifact_dir
        self.artifact_hash = artifact_hash
        self.version: str = artifact_hash[:12]
        self.threshold: float = float(metadata["threshold"])
        self.cost_weights: dict[str, float] = dict(metadata.get("cost_weights", {}))
        self.feature_names: list[str] = list(encoder.feature_names)
        self._reference_sample_bytes = reference_sample_bytes
        self._reference_sample: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return f"<ScoringModel {self.version} at {self.artifact_dir}>"

    # -- features --------------------------------------------------------------------------

    def features(self, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
        """Engineered features of the applications in `tables`, in the saved column order.

        A feature the builder does not produce for these tables (e.g. a
        history table that is absent) is NaN, exactly like a client without
        that history in training.
        """
        from ml.features import build_features

        frame = build_features(tables)
        return frame.reindex(columns=self.feature_names)

    def encode(self, features: pd.DataFrame) -> np.ndarray:
        return self.encoder.transform(features)

    # -- predictions -----------------------------------------------------------------------

    def predict(self, features: pd.DataFrame) -> Prediction:
        raw = self.raw_score(self.encode(features))
        probability = self.calibrator.transform_log_odds(raw)
        decision = np.where(probability >= self.threshold, REFUSED, GRANTED)
        return Prediction(
            probability=probability, decision=decision, raw_score=raw, index=features.index
        )

    def raw_score(self, matrix: np.ndarray) -> np.ndarray:
        return np.asarray(self.booster.predict(matrix, raw_score=True), dtype=np.float64)

    def explain(self, features: pd.DataFrame) -> Explanation:
        """Exact TreeSHAP contributions per feature in log-odds (LightGBM pred_contrib)."""
        matrix = self.encode(features)
        contrib = np.asarray(self.booster.predict(matrix, pred_contrib=True), dtype=np.float64)
        contributions = pd.DataFrame(
            contrib[:, :-1], index=features.index, columns=self.feature_names
        )
        return Explanation(
            contributions=contributions,
            base_value=float(contrib[0, -1]) if len(contrib) else self.expected_raw_score(),
            raw_score=contrib.sum(axis=1),
            feature_values=features.reindex(columns=self.feature_names),
        )

    def expected_raw_score(self) -> float:
        """The base value of the explanations (same for every row)."""
        empty = np.full((1, len(self.feature_names)), np.nan)
        return float(np.asarray(self.booster.predict(empty, pred_contrib=True))[0, -1])

    def probability_from_raw(self, raw_score: np.ndarray) -> np.ndarray:
        return self.calibrator.transform_log_odds(raw_score)

    # -- reference data --------------------------------------------------------------------

    def global_importance(self) -> pd.Series:
        importance = pd.Series(self.metadata.get("global_importance", {}), dtype=np.float64)
        importance.name = "mean_abs_shap"
        return importance.sort_values(ascending=False)

    def reference_sample(self) -> pd.DataFrame:
        """Training rows: features, TARGET, OOF_PROBABILITY and the excluded attributes.

        The excluded attributes (e.g. CODE_GENDER) are columns of the sample, not
        features of the model: fairness monitoring groups by them. A copy, safe to modify.
        """
        if self._reference_sample is None:
            # The bytes verified against the manifest at load, not the file again.
            frame = pd.read_parquet(io.BytesIO(self._reference_sample_bytes), engine="pyarrow")
            for name in frame.columns:
                if isinstance(frame[name].dtype, pd.StringDtype):
                    frame[name] = frame[name].astype(object).where(frame[name].notna(), np.nan)
            self._reference_sample = frame
        return self._reference_sample.copy()


def load_model(artifact_dir: Path | str) -> ScoringModel:
    """The model of the artifact at `artifact_dir`, verified (`ml.artifact.read_artifact`)."""
    contents = read_artifact(artifact_dir)
    return ScoringModel(
        booster=contents.booster,
        encoder=contents.encoder,
        calibrator=contents.calibrator,
        metadata=contents.metadata,
        artifact_dir=contents.directory,
        artifact_hash=contents.artifact_hash,
        reference_sample_bytes=contents.reference_sample_bytes,
    )

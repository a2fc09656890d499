"""One small model trained once per test session, shared by the ml test files.

Trained on synthetic clients from `ml.synthetic` (full Kaggle schema, history
tables included) with a faster learning rate than production, so the whole
ml test set stays well under a minute.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from ml.train import TrainingResult, train_model

CLIENTS = 1500
# Production parameters, only faster to converge and allowed smaller leaves
# and level groups on 1,000 training rows per fold.
FAST_PARAMS = {"learning_rate": 0.1, "min_child_samples": 20, "min_data_per_group": 30}


@functools.cache
def synthetic_tables(clients: int = CLIENTS, seed: int = 0) -> dict[str, pd.DataFrame]:
    from ml.synthetic import generate

    return generate(clients, seed=seed)


def tables_copy(clients: int = CLIENTS, seed: int = 0) -> dict[str, pd.DataFrame]:
    return {name: frame.copy() for name, frame in synthetic_tables(clients, seed).items()}


@functools.cache
def trained_result() -> TrainingResult:
    return train_model(
        synthetic_tables(), folds=3, seed=0, params=FAST_PARAMS, progress=lambda message: None
    )


@functools.cache
def saved_artifact(directory: Path) -> Path:
    from ml.artifact import save_artifact

    return save_artifact(trained_result(), directory)

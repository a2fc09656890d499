"""Column helpers shared by the monitoring modules: categories, decisions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# The model's decision words (ml.predict.GRANTED / REFUSED, which imports LightGBM).
GRANTED = "granted"
REFUSED = "refused"


def granted_mask(values: pd.Series, error: type[ValueError]) -> np.ndarray:
    """True where the decision is "granted"; `error` names anything but granted/refused."""
    decisions = values.astype(str)
    unknown = sorted(set(decisions.unique()) - {GRANTED, REFUSED})
    if unknown:
        raise error(f"decision must be 'granted' or 'refused', found {unknown}")
    return (decisions == GRANTED).to_numpy()


def categorical_columns(reference: pd.DataFrame, categorical: Sequence[str] | None) -> set[str]:
    """The declared categorical columns, or the model's text features and the reference's.

    The reference (the training sample) decides a column's kind: a numeric
    training column that arrives as text is an error, not a new category.
    """
    if categorical is not None:
        return set(categorical)
    from ml.features import CATEGORICAL_FEATURES

    names = set(CATEGORICAL_FEATURES)
    for name in reference.columns:
        dtype = reference[name].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)):
            names.add(name)
    return names

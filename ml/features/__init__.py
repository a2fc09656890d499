"""Feature engineering over the seven Home Credit tables.

`build_features(tables)` turns the Kaggle tables (as given by
`ml.dataset.load_tables` or `ml.dataset.coerce_table`) into one row per
application, the same code for one application at serving time and for
300,000 at training time. One module per source table:

| module | prefix | source |
|---|---|---|
| `application` | raw names, `APP_` | application |
| `bureau` | `BUREAU_` | bureau + bureau_balance |
| `previous_application` | `PREV_` | previous_application |
| `pos_cash` | `POS_` | POS_CASH_balance |
| `installments` | `INST_` | installments_payments |
| `credit_card` | `CC_` | credit_card_balance |

The column set never depends on the data: a table that is absent or empty
gives its columns as NaN, so a model trained with history can score an
application that comes alone. Numeric columns are float64 (infinities made
NaN), the application's text columns object (str or NaN); TARGET is never a
feature.

`FEATURE_SOURCES[name]` lists the raw Kaggle fields ("table.COLUMN") a
feature comes from and `FEATURE_DESCRIPTIONS[name]` says in plain English
what it is, for explanations shown to people.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from ml.features import (
    application,
    bureau,
    credit_card,
    installments,
    pos_cash,
    previous_application,
)
from ml.features.aggregate import Block, Clients

MODULES = (application, bureau, previous_application, pos_cash, installments, credit_card)

CATEGORICAL_FEATURES: tuple[str, ...] = application.CATEGORICAL_COLUMNS
# Numbers first (module by module), the application's text columns last: the
# frame is then one float64 block and one object block.
NUMERIC_FEATURES: tuple[str, ...] = tuple(
    name for module in MODULES for name in module.COLUMNS if name not in CATEGORICAL_FEATURES
)
FEATURE_NAMES: tuple[str, ...] = NUMERIC_FEATURES + CATEGORICAL_FEATURES
FEATURE_SOURCES: dict[str, list[str]] = {
    name: sources for module in MODULES for name, sources in module.FEATURE_SOURCES.items()
}
FEATURE_DESCRIPTIONS: dict[str, str] = {
    name: text for module in MODULES for name, text in module.FEATURE_DESCRIPTIONS.items()
}
if len(set(FEATURE_NAMES)) != len(FEATURE_NAMES):  # two modules claiming one name
    raise ImportError("feature names collide between feature modules")


def build_features(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per row of tables["application"], in its order, indexed by SK_ID_CURR.

    Columns `FEATURE_NAMES` (float64, then the object columns
    `CATEGORICAL_FEATURES`), whatever history tables are present.
    """
    clients = Clients.of(tables)
    blocks = [module.compute(tables, clients) for module in MODULES]
    numbers = np.concatenate([block.numbers for block in blocks])  # rows: contiguous copies
    return Block(
        index=clients.index,
        names=NUMERIC_FEATURES,
        numbers=numbers,
        text_names=CATEGORICAL_FEATURES,
        text=blocks[0].text,
    ).frame()


def raw_fields_for(feature_name: str) -> list[str]:
    """The raw Kaggle fields ("table.COLUMN") a feature is computed from."""
    try:
        return list(FEATURE_SOURCES[feature_name])
    except KeyError:
        raise KeyError(f"unknown feature {feature_name!r}") from None


def describe(feature_name: str) -> str:
    """A short plain-English description of a feature."""
    try:
        return FEATURE_DESCRIPTIONS[feature_name]
    except KeyError:
        raise KeyError(f"unknown feature {feature_name!r}") from None


__all__ = [
    "CATEGORICAL_FEATURES",
    "FEATURE_DESCRIPTIONS",
    "FEATURE_NAMES",
    "FEATURE_SOURCES",
    "build_features",
    "describe",
    "raw_fields_for",
]

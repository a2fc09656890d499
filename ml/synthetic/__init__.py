"""Synthetic data in the Kaggle Home Credit schema, with a realistic default signal.

    from ml.synthetic import generate, write_csvs, generate_to_dir
    tables = generate(2_000, seed=0)                 # dict[str, DataFrame]
    generate_to_dir(n_clients=300_000, out_dir=Path("data"), seed=0)

Command line: `python -m ml.synthetic --clients N --out DIR --seed S [--test-clients M] [--gzip]`.
Marginals come from `ml/data/homecredit_stats.json` (derived from real samples by
`ml/tools/derive_stats.py`); the default signal from the latent risk in `latent.py`.

Sizes per client follow the full Kaggle data over its 356,255 clients (train +
test): `--clients 307511 --test-clients 48744` gives about 58M rows (bureau 1.7M,
bureau_balance 28M, previous_application 1.7M, POS 10M, installments 12.6M,
credit cards 3.6M) in about two minutes of CPU.

Not reproduced: joint laws inside previous_application beyond its (contract type,
status) strata; NUM_INSTALMENT_VERSION changes; history rows are grouped by
client (Kaggle's files are shuffled).
"""

from ml.synthetic.core import generate, generate_to_dir, write_csvs

__all__ = ["generate", "generate_to_dir", "write_csvs"]

"""Render model_card.md from an artifact's metadata (the card is part of the artifact)."""

from __future__ import annotations

from collections import Counter
from typing import Any

_SOURCE_PREFIXES = (
    ("BUREAU_", "bureau + bureau_balance"),
    ("PREV_", "previous_application"),
    ("POS_", "POS_CASH_balance"),
    ("INST_", "installments_payments"),
    ("CC_", "credit_card_balance"),
)


def _source(feature: str) -> str:
    for prefix, source in _SOURCE_PREFIXES:
        if feature.startswith(prefix):
            return source
    return "application"


def _fmt(value: Any, spec: str = ".4f") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return format(value, spec)
    return str(value)


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _excluded_names(metadata: dict[str, Any]) -> list[str]:
    return [row["attribute"] for row in metadata.get("excluded_attributes", [])]


def _inputs_sentence(metadata: dict[str, Any]) -> str:
    """Which sensitive attributes the model reads, from the metadata (older cards: gender, age)."""
    features = {f["name"] for f in metadata["features"]}
    excluded = _excluded_names(metadata)
    used = [name for name in ("CODE_GENDER", "NAME_FAMILY_STATUS") if name in features]
    age = "DAYS_BIRTH" in features
    parts = []
    if excluded:
        parts.append(f"Not model inputs: {', '.join(excluded)} (see Excluded attributes).")
    if used or age:
        inputs = used + (["age (DAYS_BIRTH and features computed from it)"] if age else [])
        parts.append(f"Model inputs among sensitive attributes: {', '.join(inputs)}.")
    return " ".join(parts)


def _excluded_attributes(rows: list[dict[str, Any]]) -> list[str]:
    out = ["", "## Excluded attributes", ""]
    if not rows:
        return out + ["None: every application column may be used by the model."]
    out += [
        "These application columns, and every feature computed from them, are not inputs "
        "of the model (training dropped them; serving builds only the features listed "
        "above). They are kept in the data, in the fairness figures below and in the "
        "reference sample (as columns beside TARGET, not as features), so that decisions "
        "can still be compared between groups by the fairness monitoring.",
        "",
    ]
    return out + _table(
        ["attribute", "features removed", "why"],
        [[row["attribute"], ", ".join(row["features"]) or "none", row["reason"]] for row in rows],
    )


def _monotone_constraints(constraints: dict[str, Any]) -> list[str]:
    out = ["", "## Monotone constraints", ""]
    rows = constraints.get("features", [])
    if not rows:
        return out + ["None: every feature may act in either direction."]
    out += [
        f"{len(rows)} features have an established direction and were trained under "
        f"LightGBM monotone constraints (method `{constraints.get('method')}`): "
        "+1 = a higher value never lowers the risk, -1 = a higher value never raises it, "
        "all else equal. This holds between known values; a missing value is not ordered "
        "with respect to them. Every other feature is unconstrained."
        + (f" Method: {constraints['method_reason']}" if constraints.get("method_reason") else ""),
        "",
    ]
    return out + _table(
        ["feature", "direction", "why"],
        [[row["name"], f"{row['direction']:+d}", row["reason"]] for row in rows],
    )


def render_model_card(metadata: dict[str, Any]) -> str:
    metrics = metadata["metrics"]
    cost = metrics["cost"]
    data = metadata["data"]
    model = metadata["model"]
    weights = metadata["cost_weights"]
    features = [f["name"] for f in metadata["features"]]
    by_source = Counter(_source(name) for name in features)
    out: list[str] = ["# Model card: credit default risk scorer", ""]
    out += [
        f"Created {metadata.get('created_at', 'n/a')}, git commit "
        f"`{metadata.get('git_commit', 'unknown')}`.",
        "",
        "## Intended use",
        "",
        "Estimate the probability that an applicant of Prêt à dépenser defaults on a "
        "consumer credit, and suggest a decision (granted / refused) that a credit "
        "advisor reviews together with the explanation of the score. It is a decision "
        "aid, not an automatic decision: the advisor stays accountable.",
        "",
        "## Data",
        "",
        f"- Training rows: {data['training_rows']:,} applications, "
        f"{data['defaults']:,} defaults ({metrics['default_rate']:.2%}).",
        f"- Input content hash (sha256): `{data.get('hash', 'n/a')}`.",
    ]
    if data.get("rows"):
        out.append(
            "- Rows per table: "
            + ", ".join(f"{name} {count:,}" for name, count in sorted(data["rows"].items()))
            + "."
        )
    out += [
        "",
        "## Features",
        "",
        f"{len(features)} features ({len(metadata.get('categorical_features', []))} "
        "categorical, encoded with fixed code tables; missing and unseen levels are "
        "treated as missing):",
        "",
    ]
    out += _table(
        ["source", "features"], [[source, str(n)] for source, n in sorted(by_source.items())]
    )
    top = list(metadata.get("global_importance", {}).items())[:15]
    if top:
        out += ["", "Most influential features (mean |SHAP| in log-odds, training sample):", ""]
        out += _table(["feature", "mean abs SHAP"], [[name, f"{v:.4f}"] for name, v in top])
    out += _excluded_attributes(metadata.get("excluded_attributes", []))
    out += _monotone_constraints(metadata.get("monotone_constraints", {}))
    out += [
        "",
        "## Model and training",
        "",
        f"- LightGBM gradient-boosted trees, {model['num_boost_round']} trees "
        f"(mean best iteration of {model['folds']} stratified folds, early stopping "
        f"after {model['early_stopping_rounds']} rounds without AUC gain), seed {model['seed']}.",
        f"- Main parameters: learning_rate {model['params'].get('learning_rate')}, "
        f"num_leaves {model['params'].get('num_leaves')}, feature_fraction "
        f"{model['params'].get('feature_fraction')}, bagging_fraction "
        f"{model['params'].get('bagging_fraction')}, min_child_samples "
        f"{model['params'].get('min_child_samples')}, lambda_l2 "
        f"{model['params'].get('lambda_l2')}.",
        f"- Class imbalance: {model['imbalance_strategy']}",
        f"- Calibration: {metadata['calibration']['choice']}",
        "",
        "## Performance (out-of-fold, i.e. on rows each fold model never saw)",
        "",
        f"- AUC {_fmt(metrics['oof_auc'])}; per fold: "
        + ", ".join(_fmt(a) for a in metrics["fold_aucs"])
        + ".",
        f"- Brier score {_fmt(metrics['brier_before'])} before calibration, "
        f"{_fmt(metrics['brier_after'])} after; expected calibration error "
        f"{_fmt(metrics['ece_before'])} before, {_fmt(metrics['ece_after'])} after.",
        "",
        "Reliability after calibration (10 bins of equal size):",
        "",
    ]
    out += _table(
        ["bin", "rows", "mean predicted", "observed default rate"],
        [
            [str(r["bin"]), str(r["count"]), _fmt(r["mean_predicted"]), _fmt(r["observed_rate"])]
            for r in metrics["reliability_after"]
        ],
    )
    confusion = metrics["confusion"]
    out += [
        "",
        "## Decision threshold",
        "",
        f"A missed defaulter (credit granted, client defaults) is taken to cost "
        f"{weights['cost_fn']:g} times as much as refusing a good client "
        f"(cost_fn={weights['cost_fn']:g}, cost_fp={weights['cost_fp']:g}). The threshold "
        f"minimises the total cost on the calibrated out-of-fold probabilities (exact search "
        f"over every distinct probability): **refuse when the probability is at least "
        f"{metadata['threshold']:.4f}**. For perfectly calibrated probabilities the optimum is "
        f"cost_fp / (cost_fp + cost_fn) = {metrics['bayes_threshold']:.4f}; the chosen "
        f"threshold is close to it when the calibration holds. Default rates are low, so the "
        f"threshold sits far below 0.5.",
        "",
    ]
    out += _table(
        ["policy", "total cost", "cost per client"],
        [
            [
                f"threshold {metadata['threshold']:.4f}",
                f"{cost['cost']:,.0f}",
                f"{cost['cost_per_client']:.4f}",
            ],
            ["threshold 0.5", f"{cost['cost_at_05']:,.0f}", f"{cost['cost_at_05_per_client']:.4f}"],
            [
                "refuse nobody",
                f"{cost['cost_refuse_nobody']:,.0f}",
                f"{cost['cost_refuse_nobody_per_client']:.4f}",
            ],
        ],
    )
    out += [
        "",
        f"At the threshold: {metrics['refusal_rate']:.2%} of applications refused; "
        f"TN={confusion['tn']:,}, FP={confusion['fp']:,}, FN={confusion['fn']:,}, "
        f"TP={confusion['tp']:,}.",
        "",
        "## Fairness figures",
        "",
        "Out-of-fold, at the threshold. FN rate = share of defaulters granted; FP rate = "
        "share of good clients refused. " + _inputs_sentence(metadata) + " Differences "
        "between groups below must be reviewed before use: leaving an attribute out of the "
        "inputs does not guarantee equal outcomes, since other features may correlate with it.",
    ]
    for grouping, rows in metadata.get("fairness", {}).items():
        out += ["", f"By {grouping}:", ""]
        out += _table(
            ["group", "rows", "default rate", "refusal rate", "AUC", "FN rate", "FP rate"],
            [
                [
                    r["group"],
                    f"{r['rows']:,}",
                    f"{r['default_rate']:.2%}",
                    f"{r['refusal_rate']:.2%}",
                    _fmt(r["auc"]),
                    _fmt(r["fn_rate"], ".2%"),
                    _fmt(r["fp_rate"], ".2%"),
                ]
                for r in rows
            ],
        )
    libraries = metadata.get("libraries", {})
    out += [
        "",
        "## Limitations",
        "",
        "- Trained on historical Home Credit applications: the default rate, the clients and "
        "the economy behind them may differ from today's; watch the drift reports.",
        "- Out-of-fold AUC is slightly optimistic: each fold's early stopping looked at the "
        "rows it is then scored on. The final model is trained on all rows with the mean "
        "best iteration, and the calibrator fitted on fold models is applied to it.",
        "- The threshold depends on the cost weights, which are business assumptions; "
        "changing them only requires a new threshold, not a new model.",
        "- Explanations (SHAP, log-odds) describe the model, not causes in the world.",
        "- Clients without credit history get NaN history features: their score rests on "
        "the application alone.",
        "- " + _inputs_sentence(metadata) + " Review the fairness figures and the legal "
        "constraints of the market before any automated use.",
        "",
        "## Reproducibility",
        "",
        "Library versions: " + ", ".join(f"{k} {v}" for k, v in sorted(libraries.items())) + ".",
        "",
    ]
    return "\n".join(out)

"""Plain-language reasons behind a score (first version: generic sentences)."""

from __future__ import annotations

from explanations.feature_labels import label, normalise_language

REASONS_PER_DIRECTION = 3
OMITTED_FROM_REASONS = frozenset({"CODE_GENDER"})


def reasons_for(
    contributions: dict[str, float],
    feature_values: dict[str, object],
    *,
    language: str,
    top: int = 3,
) -> dict[str, list[str]]:
    language = normalise_language(language)
    ranked = sorted(contributions.items(), key=lambda item: (-abs(item[1]), item[0]))
    raising: list[str] = []
    lowering: list[str] = []
    for feature, contribution in ranked:
        if feature in OMITTED_FROM_REASONS or contribution == 0:
            continue
        target = raising if contribution > 0 else lowering
        if len(target) >= top:
            continue
        effect = {
            ("en", True): "increases the risk",
            ("en", False): "lowers the risk",
            ("fr", True): "augmente le risque",
            ("fr", False): "réduit le risque",
        }[(language, contribution > 0)]
        target.append(f"{label(feature, language)}: {feature_values.get(feature)} — {effect}")
    return {"raising": raising, "lowering": lowering}

"""Each model version's reference population, for the client-versus-population tools.

`explanations.population` computes distributions, scatters and look-alikes
from a `Reference` (the version's reference sample and global importance);
this module reads it from the version's artifact once per process and keeps
it, read-only, keyed by artifact hash (a version's artifact never changes).
"""

from __future__ import annotations

import threading

from explanations.population import Reference
from scoring.models import ModelVersion

_references: dict[str, Reference] = {}
_lock = threading.Lock()


def population_reference(model_version: ModelVersion | str) -> Reference:
    """The reference population of `model_version` (a version or its name)."""
    if not isinstance(model_version, ModelVersion):
        model_version = ModelVersion.objects.get(version=model_version)
    with _lock:
        reference = _references.get(model_version.artifact_hash)
    if reference is None:
        from scoring.registry import scoring_model_for  # loads LightGBM: only when needed

        model = scoring_model_for(model_version)
        reference = Reference(frame=model.reference_sample(), importance=model.global_importance())
        with _lock:
            reference = _references.setdefault(model_version.artifact_hash, reference)
    return reference


def forget_population_references() -> None:
    """Drop the references kept by this process, and what they prepared (tests, benchmarks)."""
    with _lock:
        _references.clear()

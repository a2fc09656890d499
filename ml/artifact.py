"""One versioned model artifact per training run: a directory of plain files.

    model.txt                 LightGBM booster, text format
    calibrator.json           Platt parameters (or isotonic knots)
    encoder.json              feature order and categorical code tables
    metadata.json             features, threshold, cost weights, metrics, data hash,
                              git commit, library versions, global importance,
                              reference statistics, fairness figures
    reference_sample.parquet  stratified sample of training rows: raw features,
                              TARGET, OOF_PROBABILITY (index SK_ID_CURR)
    model_card.md             human-readable summary (ml/model_card.py)
    manifest.json             sha256 of every file above + the artifact hash

No pickle anywhere: loading an artifact never executes code from it. The
manifest is checked on every load, so a file changed after training (by hand,
by a partial copy, by bit rot) is refused with the name of the file.
The artifact hash (sha256 over the sorted "name sha256" lines of the manifest)
identifies the version; its first 12 characters are `ScoringModel.version`.

This module writes and reads the files; it knows nothing of scoring.
`read_artifact` returns the verified pieces and `ml.predict.load_model` turns
them into a `ScoringModel` (so the dependency runs one way, predict -> artifact).
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ml.calibration import Calibrator
from ml.encoding import CategoryEncoder

if TYPE_CHECKING:
    import lightgbm as lgb

    from ml.train import TrainingResult

MODEL_FILE = "model.txt"
CALIBRATOR_FILE = "calibrator.json"
ENCODER_FILE = "encoder.json"
METADATA_FILE = "metadata.json"
REFERENCE_SAMPLE_FILE = "reference_sample.parquet"
MODEL_CARD_FILE = "model_card.md"
MANIFEST_FILE = "manifest.json"
ARTIFACT_FILES = (
    MODEL_FILE,
    CALIBRATOR_FILE,
    ENCODER_FILE,
    METADATA_FILE,
    REFERENCE_SAMPLE_FILE,
    MODEL_CARD_FILE,
)
MANIFEST_FORMAT = 1


class ArtifactError(Exception):
    """The artifact is missing, incomplete, tampered with or incompatible."""


class ArtifactCompatibilityWarning(UserWarning):
    """The artifact was written with a different minor version of a library."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _combined_hash(files: dict[str, str]) -> str:
    lines = "".join(f"{name} {digest}\n" for name, digest in sorted(files.items()))
    return sha256_bytes(lines.encode())


def to_json_safe(value: Any) -> Any:
    """Plain JSON values: NaN/inf -> None, numpy scalars -> Python numbers."""
    if isinstance(value, dict):
        return {str(k): to_json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_artifact(result: TrainingResult, out_dir: Path | str) -> Path:
    """Write the artifact of `result` into `out_dir`; returns the directory.

    The files are written to a temporary sibling directory first and moved in
    place at the end, so a crash never leaves half an artifact behind. An
    existing artifact at `out_dir` is replaced; any other non-empty directory
    is refused rather than overwritten.
    """
    from ml.model_card import render_model_card

    out = Path(out_dir).resolve()
    if out.exists() and (not out.is_dir() or _holds_foreign_files(out)):
        raise ArtifactError(f"{out} exists and is not a model artifact: refusing to overwrite it")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        metadata = to_json_safe(result.metadata)
        contents: dict[str, bytes] = {
            MODEL_FILE: result.booster.model_to_string().encode(),
            CALIBRATOR_FILE: result.calibrator.to_json().encode(),
            ENCODER_FILE: result.encoder.to_json().encode(),
            METADATA_FILE: json.dumps(metadata, indent=1, ensure_ascii=False).encode(),
            MODEL_CARD_FILE: render_model_card(metadata).encode(),
        }
        for name, data in contents.items():
            (staging / name).write_bytes(data)
        _write_reference_sample(result.reference_sample, staging / REFERENCE_SAMPLE_FILE)
        files = {name: sha256_bytes((staging / name).read_bytes()) for name in ARTIFACT_FILES}
        artifact_hash = _combined_hash(files)
        manifest = {"format": MANIFEST_FORMAT, "files": files, "artifact_hash": artifact_hash}
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1))
        if out.exists():
            retired = out.with_name(f".{out.name}.old-{artifact_hash[:8]}")
            shutil.rmtree(retired, ignore_errors=True)
            out.rename(retired)
            staging.rename(out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _holds_foreign_files(directory: Path) -> bool:
    entries = {p.name for p in directory.iterdir()}
    return bool(entries) and MANIFEST_FILE not in entries


def _write_reference_sample(sample: pd.DataFrame, path: Path) -> None:
    frame = sample.copy()
    # Text columns as nullable strings so parquet keeps NaN as null, not "nan".
    for name in frame.columns:
        if pd.api.types.is_object_dtype(frame[name].dtype):
            frame[name] = frame[name].astype("string")
    frame.to_parquet(path, engine="pyarrow", index=True)


def read_manifest(artifact_dir: Path | str) -> dict[str, Any]:
    directory = Path(artifact_dir)
    if not directory.is_dir():
        raise ArtifactError(f"no model artifact at {directory}")
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactError(f"no model artifact at {directory} ({MANIFEST_FILE} is missing)")
    try:
        manifest = json.loads(path.read_text())
        files = manifest["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise ArtifactError(f"{path} is not a valid manifest: {error}") from error
    if manifest.get("artifact_hash") != _combined_hash(files):
        raise ArtifactError(f"{path}: the artifact hash does not match the listed files")
    missing = [name for name in ARTIFACT_FILES if name not in files]
    if missing:
        raise ArtifactError(f"{path} does not list {', '.join(missing)}")
    return manifest


def read_verified(artifact_dir: Path | str, manifest: dict[str, Any]) -> dict[str, bytes]:
    """Every listed file's bytes, after checking them against the manifest.

    The bytes that are checked are the bytes that get parsed: nothing can be
    swapped between the check and the use.
    """
    directory = Path(artifact_dir)
    contents: dict[str, bytes] = {}
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise ArtifactError(f"artifact {directory}: {name} is missing")
        data = path.read_bytes()
        if sha256_bytes(data) != expected:
            raise ArtifactError(
                f"artifact {directory}: {name} has been modified since training "
                f"(sha256 does not match manifest.json); refusing to load it"
            )
        contents[name] = data
    return contents


def artifact_hash(artifact_dir: Path | str) -> str:
    """The artifact's version hash, after verifying every file."""
    manifest = read_manifest(artifact_dir)
    read_verified(artifact_dir, manifest)
    return manifest["artifact_hash"]


def check_library_versions(metadata: dict[str, Any], artifact_dir: Path | str) -> None:
    """Major LightGBM mismatch: error; any other LightGBM difference: warning."""
    import lightgbm as lgb  # lazily: see read_artifact

    saved = str(metadata.get("libraries", {}).get("lightgbm", "unknown"))
    installed = lgb.__version__
    if saved == installed:
        return
    saved_major = saved.split(".")[0]
    if saved_major != installed.split(".")[0]:
        raise ArtifactError(
            f"artifact {artifact_dir} was trained with LightGBM {saved}, this process runs "
            f"LightGBM {installed}: major versions differ, retrain the model or install "
            f"lightgbm=={saved}"
        )
    warnings.warn(
        f"artifact {artifact_dir} was trained with LightGBM {saved}, running {installed}",
        ArtifactCompatibilityWarning,
        stacklevel=3,
    )


@dataclass(frozen=True)
class ArtifactContents:
    """The verified, parsed pieces of an artifact (what `ml.predict.load_model` wraps)."""

    booster: lgb.Booster
    encoder: CategoryEncoder
    calibrator: Calibrator
    metadata: dict[str, Any]
    directory: Path
    artifact_hash: str
    reference_sample_bytes: bytes


def read_artifact(artifact_dir: Path | str) -> ArtifactContents:
    """Read and verify an artifact (manifest hashes, library versions, feature count)."""
    # LightGBM (and the scikit-learn and SciPy it imports) costs ~1.5 s of CPU: imported
    # when a model is first read, not by every process that imports the registry
    # (manage.py check, migrate, the web process's start-up reach it through URL modules).
    import lightgbm as lgb

    directory = Path(artifact_dir).resolve()
    manifest = read_manifest(directory)
    contents = read_verified(directory, manifest)
    try:
        metadata = json.loads(contents[METADATA_FILE])
    except ValueError as error:
        raise ArtifactError(
            f"artifact {directory}: {METADATA_FILE} is not JSON: {error}"
        ) from error
    check_library_versions(metadata, directory)
    try:
        booster = lgb.Booster(model_str=contents[MODEL_FILE].decode())
        calibrator = Calibrator.from_json(contents[CALIBRATOR_FILE])
        encoder = CategoryEncoder.from_json(contents[ENCODER_FILE])
    except (ValueError, KeyError, lgb.basic.LightGBMError) as error:
        raise ArtifactError(f"artifact {directory} cannot be read: {error}") from error
    if booster.num_feature() != len(encoder.feature_names):
        raise ArtifactError(
            f"artifact {directory}: the booster expects {booster.num_feature()} features, "
            f"the encoder lists {len(encoder.feature_names)}"
        )
    return ArtifactContents(
        booster=booster,
        encoder=encoder,
        calibrator=calibrator,
        metadata=metadata,
        directory=directory,
        artifact_hash=manifest["artifact_hash"],
        reference_sample_bytes=contents[REFERENCE_SAMPLE_FILE],
    )

"""The model registry: which trained artifacts exist and which one serves.

Artifacts are archived into Django's default storage (a media volume or an
object store), so a worker on another machine fetches the version it is asked
to use, unpacks it into its local cache and verifies it by hash before use.
Each process keeps the models it loaded; it asks the database which version is
active on every scoring (one indexed row), so activating another version takes
effect everywhere at the next request without restarts.
"""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
import tempfile
import threading
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AnyUser, User
from audit.models import AuditEvent, Channel
from audit.services import audit_event_record
from ml.artifact import ArtifactError, artifact_hash, to_json_safe
from ml.predict import ScoringModel, load_model
from scoring.models import ModelVersion


class NoActiveModel(Exception):
    """No model version is active: nothing can be scored yet."""


class ActivationRefused(Exception):
    """A version not approved by a second person may not serve (four eyes).

    Activating it anyway takes an emergency reason, recorded in the audit trail.
    """


def _archive(artifact_dir: Path) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for path in sorted(artifact_dir.iterdir()):
            if path.is_file():
                archive.add(path, arcname=path.name)
    return buffer.getvalue()


@transaction.atomic
def model_version_register(
    *,
    artifact_dir: Path,
    activate: bool = False,
    activated_by: AnyUser | None = None,
    registered_by: AnyUser | None = None,
    emergency_reason: str = "",
    detail: Mapping[str, Any] | None = None,
) -> ModelVersion:
    """Register the artifact at `artifact_dir` (verified first); idempotent by hash.

    A new version gets its validation report (scoring/validation.py), compared
    with the version serving, and waits for a second person's approval
    (scoring/governance.py). `registered_by` (default `activated_by`) is who
    trained or registered it: that person may not approve it; from a command
    (no user) the operating-system login in `detail` is kept as the name.
    With `activate`, the version then serves: only if approved already, or
    with an `emergency_reason` (see `model_version_activate`). A new version
    is recorded in the audit trail (`model.registered`).
    """
    # Imported here: the report's libraries (scikit-learn, fairlearn) are for registrations
    # only, not for every process that scores.
    from scoring.validation import validation_report_build

    model = load_model(artifact_dir)  # refuses a tampered or incompatible artifact
    registrant = registered_by if registered_by is not None else activated_by
    # An anonymous visitor (or an unsaved user) is nobody to point to.
    registrant_account = registrant if isinstance(registrant, User) and registrant.pk else None
    if activate:
        # The activation's row locks, taken before the audit trail's append lock (held
        # from the registration event to the commit): always in that order, so two
        # registrations at once queue instead of deadlocking.
        list(ModelVersion.objects.select_for_update().filter(is_active=True))
    existing = ModelVersion.objects.filter(artifact_hash=model.artifact_hash).first()
    if existing is None:
        metadata = model.metadata
        metrics = metadata.get("metrics", {})
        champion = ModelVersion.objects.filter(is_active=True).first()
        version = ModelVersion(
            version=model.version,
            artifact_hash=model.artifact_hash,
            threshold=model.threshold,
            cost_false_negative=float(model.cost_weights.get("cost_fn", 10.0)),
            cost_false_positive=float(model.cost_weights.get("cost_fp", 1.0)),
            metrics=metrics,
            trained_on=metadata.get("data", {}),
            feature_names=model.feature_names,
            registered_by=registrant_account,
            registered_by_name=_name_of(registrant_account, detail),
            validation_report=to_json_safe(validation_report_build(model=model, champion=champion)),
        )
        version.archive.save(
            f"{model.artifact_hash}.tar.gz", ContentFile(_archive(Path(artifact_dir))), save=False
        )
        version.save()
        existing = version
        audit_event_record(
            actor=activated_by,
            action=AuditEvent.Action.MODEL_REGISTERED,
            model_version=version.version,
            channel=_channel(detail),
            detail={
                "artifact_hash": version.artifact_hash,
                "threshold": version.threshold,
                "metrics": metrics,
                "registered_by": version.registered_by_name,
                "compared_with": champion.version if champion else None,
                **(detail or {}),
            },
        )
    if activate:
        existing = model_version_activate(
            version=existing.version,
            activated_by=activated_by,
            emergency_reason=emergency_reason,
            detail=detail,
        )
    return existing


def _name_of(user: User | None, detail: Mapping[str, Any] | None) -> str:
    """Who registered: the user's name, or for a command the login that ran it."""
    if user is not None:
        return user.get_username()
    return str((detail or {}).get("os_user") or "system")


@transaction.atomic
def model_version_activate(
    *,
    version: str,
    activated_by: AnyUser | None = None,
    emergency_reason: str = "",
    detail: Mapping[str, Any] | None = None,
) -> ModelVersion:
    """Make `version` the one that serves; rollback is activating an older one.

    Four eyes: only a version approved by a second person may serve
    (`ActivationRefused` otherwise). Its stored archive is verified first
    (`model_version_verify`): a damaged or incompatible one is refused too,
    naming the problem, and the version serving keeps serving. A rollback to a
    version approved before needs no new approval. An `emergency_reason` activates an unapproved
    version anyway (the first model of a new installation, an incident):
    the reason goes into the audit trail, and the version stays unapproved
    until someone approves it. Recorded in the audit trail (`model.activated`)
    with who did it (`activated_by`, a user; None is the system, e.g. a
    management command), the version that served before, and `detail`.
    """
    target = ModelVersion.objects.select_for_update().get(version=version)
    emergency_reason = emergency_reason.strip()
    if not target.is_approved and not emergency_reason:
        raise ActivationRefused(
            f"model {target.version} has not been approved by a second person: "
            "approve it in the admin (Model versions) first, or give an emergency reason"
        )
    try:
        # Unpacked, checked against its registered hash and its library versions, loaded:
        # a version that could not score is refused here, and the one serving keeps serving.
        model_version_verify(target)
    except ArtifactError as error:
        raise ActivationRefused(f"model {target.version} cannot serve: {error}") from error
    if target.is_shadow:
        # The challenger becomes the champion: it stops scoring in shadow.
        target.is_shadow = False
        target.save(update_fields=["is_shadow"])
    # Lock every active row first so two concurrent activations serialise;
    # the partial unique index refuses the loser if they ever interleave.
    previous = [
        active.version
        for active in ModelVersion.objects.select_for_update().filter(is_active=True)
        if active.pk != target.pk
    ]
    ModelVersion.objects.filter(is_active=True).exclude(pk=target.pk).update(is_active=False)
    target.is_active = True
    target.activated_at = timezone.now()
    try:
        target.save(update_fields=["is_active", "activated_at"])
    except IntegrityError as error:  # pragma: no cover - guarded by the locks above
        raise RuntimeError("another model version was activated concurrently") from error
    audit_event_record(
        actor=activated_by,
        action=AuditEvent.Action.MODEL_ACTIVATED,
        model_version=target.version,
        channel=_channel(detail),
        detail={
            "previous": previous,
            "approved_by": target.approved_by_name or None,
            **({"emergency": True, "reason": emergency_reason} if emergency_reason else {}),
            **(detail or {}),
        },
    )
    return target


def _channel(detail: Mapping[str, Any] | None) -> Channel | None:
    # Commands name themselves in `detail` (scoring/management/context.py); otherwise
    # the request being served says where from, or it is the system.
    return AuditEvent.Channel.COMMAND if detail and "command" in detail else None


def active_model_version() -> ModelVersion:
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        raise NoActiveModel(
            "no active model version: train one (manage.py train_model) "
            "or activate one (manage.py activate_model VERSION)"
        )
    return version


_loaded: dict[str, ScoringModel] = {}
_lock = threading.Lock()


def _cache_dir() -> Path:
    return Path(settings.MODEL_CACHE_DIR)


def _fetch(version: ModelVersion) -> Path:
    """The artifact unpacked in this machine's cache, fetched from storage if needed."""
    target = _cache_dir() / version.artifact_hash
    if target.is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".fetch-"))
    try:
        _unpack_verified(version, staging)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _unpack_verified(version: ModelVersion, staging: Path) -> None:
    """Unpack the stored archive of `version` into `staging`; ArtifactError naming the problem."""
    try:
        if not version.archive.name:
            raise ArtifactError(f"model {version.version}: no archive is stored")
        with default_storage.open(version.archive.name, "rb") as stored:
            with tarfile.open(fileobj=io.BytesIO(stored.read()), mode="r:gz") as archive:
                archive.extractall(staging, filter="data")
        if artifact_hash(staging) != version.artifact_hash:
            raise ArtifactError(
                f"model {version.version}: the stored archive does not match its registered hash"
            )
    except FileNotFoundError as error:
        raise ArtifactError(
            f"model {version.version}: archive {version.archive.name} is missing from storage"
        ) from error
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        # A truncated or garbled archive: say which, never let it pass as a server error.
        raise ArtifactError(
            f"model {version.version}: archive {version.archive.name} cannot be unpacked "
            f"({error}); register the artifact again"
        ) from error


def model_version_verify(version: ModelVersion) -> None:
    """Check that the stored archive of `version` can serve: ArtifactError naming why not.

    Read afresh from storage (not this process's cache, which may predate a damage):
    present, unpackable, matching its registered hash, files intact, and written by a
    LightGBM this process can load.
    """
    with tempfile.TemporaryDirectory(prefix="creditscore-verify-") as folder:
        staging = Path(folder) / "artifact"
        staging.mkdir()
        _unpack_verified(version, staging)
        load_model(staging)


def scoring_model_for(version: ModelVersion) -> ScoringModel:
    """The loaded model of `version`, loaded once per process and verified on load."""
    with _lock:
        model = _loaded.get(version.artifact_hash)
        if model is None:
            model = load_model(_fetch(version))
            if model.artifact_hash != version.artifact_hash:
                raise ArtifactError(f"model {version.version}: unpacked artifact hash differs")
            _loaded[version.artifact_hash] = model
        return model


def active_scoring_model() -> tuple[ModelVersion, ScoringModel]:
    version = active_model_version()
    return version, scoring_model_for(version)


def forget_loaded_models() -> None:
    """Drop this process's loaded models (tests, and after deleting a cache dir)."""
    with _lock:
        _loaded.clear()

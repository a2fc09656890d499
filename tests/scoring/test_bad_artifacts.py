"""A corrupt or incompatible model is refused where it enters, and the version serving
keeps serving; a worker handed a score for an archive it cannot verify fails that score
with a plain reason (the details go to the log) and carries on."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from ml.artifact import ArtifactError
from scoring.models import ModelVersion, Score
from scoring.registry import (
    ActivationRefused,
    forget_loaded_models,
    model_version_activate,
    model_version_register,
)
from scoring.tasks import MODEL_UNVERIFIED, score_application_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def artifact_copy(trained_artifact, tmp_path) -> Path:
    """A copy of the challenger's artifact that a test may damage."""
    return Path(shutil.copytree(trained_artifact, tmp_path / "copy"))


@pytest.fixture
def challenger(active_model_version, challenger_artifact) -> ModelVersion:
    """A second registered version, approved: the only thing between it and serving is its
    archive."""
    version = model_version_register(artifact_dir=challenger_artifact)
    ModelVersion.objects.filter(pk=version.pk).update(
        approved_at=timezone.now(), approved_by_name="validator-vera"
    )
    version.refresh_from_db()
    return version


def stored_archive(version: ModelVersion, settings) -> Path:
    return Path(settings.MEDIA_ROOT) / version.archive.name


def assert_still_serving(version: ModelVersion) -> None:
    assert list(ModelVersion.objects.filter(is_active=True)) == [version]


def lightgbm_of_the_future(monkeypatch) -> None:
    import lightgbm  # ml.artifact imports it when it reads a model: it finds this one

    monkeypatch.setattr(lightgbm, "__version__", "99.0.0")


# Registration


def test_a_file_changed_since_training_is_refused_at_registration_naming_it(
    active_model_version, artifact_copy
):
    with (artifact_copy / "model.txt").open("a") as model_file:
        model_file.write("\n")

    with pytest.raises(ArtifactError, match=r"model\.txt has been modified since training"):
        model_version_register(artifact_dir=artifact_copy)

    assert ModelVersion.objects.count() == 1
    assert_still_serving(active_model_version)


def test_a_missing_file_is_refused_at_registration_naming_it(active_model_version, artifact_copy):
    (artifact_copy / "encoder.json").unlink()

    with pytest.raises(ArtifactError, match=r"encoder\.json is missing"):
        model_version_register(artifact_dir=artifact_copy, activate=True, emergency_reason="x")

    assert ModelVersion.objects.count() == 1
    assert_still_serving(active_model_version)


def test_a_model_of_another_lightgbm_major_version_is_refused_at_registration(
    active_model_version, challenger_artifact, monkeypatch
):
    lightgbm_of_the_future(monkeypatch)

    with pytest.raises(ArtifactError, match=r"this process runs LightGBM 99\.0\.0"):
        model_version_register(artifact_dir=challenger_artifact)

    assert ModelVersion.objects.count() == 1


# Activation: the stored archive is read afresh and verified


def test_activating_a_version_whose_archive_was_garbled_is_refused_and_nothing_changes(
    active_model_version, challenger, settings
):
    archive = stored_archive(challenger, settings)
    archive.write_bytes(archive.read_bytes()[:2000])

    with pytest.raises(ActivationRefused, match=r"cannot serve: .*cannot be unpacked"):
        model_version_activate(version=challenger.version)

    assert_still_serving(active_model_version)
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.MODEL_ACTIVATED, model_version=challenger.version
    ).exists()


def test_activating_a_version_whose_archive_is_missing_is_refused_naming_it(
    active_model_version, challenger, settings
):
    stored_archive(challenger, settings).unlink()

    with pytest.raises(ActivationRefused, match=r"is missing from storage"):
        model_version_activate(version=challenger.version, emergency_reason="incident 42")

    assert_still_serving(active_model_version)


def test_activating_an_archive_that_does_not_match_its_registered_hash_is_refused(
    active_model_version, challenger, settings
):
    # Another valid artifact put in its place: unpacks fine, but is not what was approved.
    shutil.copyfile(
        stored_archive(active_model_version, settings), stored_archive(challenger, settings)
    )

    with pytest.raises(ActivationRefused, match=r"does not match its registered hash"):
        model_version_activate(version=challenger.version)

    assert_still_serving(active_model_version)


def test_activating_a_model_of_another_lightgbm_major_version_is_refused(
    active_model_version, challenger, monkeypatch
):
    lightgbm_of_the_future(monkeypatch)

    with pytest.raises(ActivationRefused, match=r"trained with LightGBM .* runs LightGBM 99"):
        model_version_activate(version=challenger.version)

    assert_still_serving(active_model_version)


def test_a_sound_approved_version_is_activated(active_model_version, challenger):
    model_version_activate(version=challenger.version)

    assert_still_serving(challenger)


# The worker


def test_a_score_whose_archive_cannot_be_verified_fails_with_a_plain_reason(
    active_model_version, application, settings, caplog
):
    score = Score.objects.create(application=application, model_version=active_model_version)
    archive = stored_archive(active_model_version, settings)
    archive.write_bytes(b"not a tar file")
    forget_loaded_models()
    shutil.rmtree(settings.MODEL_CACHE_DIR, ignore_errors=True)  # as on a fresh worker

    with caplog.at_level(logging.ERROR, logger="scoring.tasks"):
        returned = score_application_task.apply(args=[str(score.pk)]).get()

    assert returned == str(score.pk)  # the task ends cleanly: the worker goes on
    score.refresh_from_db()
    assert score.status == Score.Status.FAILED
    assert score.error == MODEL_UNVERIFIED
    assert archive.name not in score.error
    assert f"archive {active_model_version.archive.name} cannot be unpacked" in caplog.text

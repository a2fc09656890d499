"""Fixtures shared by the whole test suite, built from tests/factories.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.roles import Role
from tests.factories import ApplicationFactory, UserFactory

# Real Kaggle samples, when the shared folder sits beside the project.
HOMECREDIT_SAMPLES = Path(__file__).resolve().parent.parent / "shared" / "data" / "homecredit"


@pytest.fixture
def homecredit_samples() -> Path:
    if not HOMECREDIT_SAMPLES.is_dir():
        pytest.skip(f"real Home Credit samples not found at {HOMECREDIT_SAMPLES}")
    return HOMECREDIT_SAMPLES


@pytest.fixture
def advisor(db):
    return UserFactory(username="advisor-alice", role=Role.ADVISOR)


@pytest.fixture
def colleague(db):
    """Another advisor, with a portfolio of their own."""
    return UserFactory(username="advisor-bob", role=Role.ADVISOR)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor-sam", role=Role.SUPERVISOR)


@pytest.fixture
def risk_staff(db):
    return UserFactory(username="staff-rita", role=Role.STAFF, is_staff=True)


@pytest.fixture
def second_staff(db):
    """Another member of the risk staff: the second pair of eyes."""
    return UserFactory(username="staff-victor", role=Role.STAFF, is_staff=True)


@pytest.fixture
def integration(db):
    return UserFactory(username="integration-partner", role=Role.INTEGRATION)


@pytest.fixture
def client_user(db):
    return UserFactory(username="client-claire", role=Role.CLIENT)


@pytest.fixture
def stranger(db):
    """A logged-in user with no role at all."""
    return UserFactory(username="stranger-steve")


@pytest.fixture
def application(db, advisor, client_user):
    """A client of `advisor`'s portfolio whose portal login is `client_user`."""
    return ApplicationFactory(advisor=advisor, portal_user=client_user)


# -- a real trained model, shared by the scoring, API and dashboard tests ---------------------

# Small but real: synthetic clients with their history, the real training
# code, 2 folds and a fast learning rate so the session pays a few seconds.
# The what-if, counterfactual and browser tests need a model that reacts to the
# credit amounts of the imported clients, which such a small model does only by
# luck of the draw: with the monotone constraints of ml.policy, seed 0 gave 10
# trees that never split on them; seed 2 gives 57 trees that do (credit x8 moves
# the first client by 1.5 points).
TEST_MODEL_CLIENTS = 1500
TEST_MODEL_PARAMS = {"learning_rate": 0.15}
TEST_MODEL_SEED = 2


@pytest.fixture(scope="session")
def synthetic_training_tables():
    from ml.synthetic import generate

    return generate(TEST_MODEL_CLIENTS, seed=11)


@pytest.fixture(scope="session")
def trained_artifact(tmp_path_factory, synthetic_training_tables) -> Path:
    """The directory of a model artifact trained once per test session."""
    from ml.artifact import save_artifact
    from ml.train import train_model

    result = train_model(
        synthetic_training_tables,
        folds=2,
        seed=TEST_MODEL_SEED,
        params=TEST_MODEL_PARAMS,
        progress=lambda message: None,
    )
    return save_artifact(result, tmp_path_factory.mktemp("artifact") / "model")


@pytest.fixture(scope="session")
def challenger_artifact(tmp_path_factory, synthetic_training_tables) -> Path:
    """A second artifact of the same data, trained otherwise (a challenger: four eyes, shadow)."""
    from ml.artifact import save_artifact
    from ml.train import train_model

    result = train_model(
        synthetic_training_tables,
        folds=2,
        seed=TEST_MODEL_SEED + 1,
        params={"learning_rate": 0.3, "num_leaves": 7},
        progress=lambda message: None,
    )
    return save_artifact(result, tmp_path_factory.mktemp("challenger") / "model")


@pytest.fixture
def active_model_version(db, trained_artifact, settings, tmp_path):
    """The session's trained model, registered and active (storage in a temporary dir)."""
    from scoring.registry import forget_loaded_models, model_version_register

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MODEL_CACHE_DIR = tmp_path / "model-cache"
    forget_loaded_models()
    # The emergency path (scoring.registry): the tests of everything but four eyes need a
    # model that serves, and approving it would add a second staff account to each of them.
    version = model_version_register(
        artifact_dir=trained_artifact,
        activate=True,
        emergency_reason="the test session's model, serving for the tests",
    )
    yield version
    forget_loaded_models()


@pytest.fixture
def score_now(django_capture_on_commit_callbacks):
    """`score_now(application, **score_request_kwargs)`: the real scoring service, its
    (eager) worker task run as the request commits; returns the score, reloaded and done."""
    from scoring.services import score_request

    def request_and_run(application, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            score = score_request(application=application, **kwargs)
        score.refresh_from_db()
        assert score.status == "done", score.error
        return score

    return request_and_run


@pytest.fixture(scope="session")
def synthetic_clients_dir(tmp_path_factory) -> Path:
    """Kaggle CSVs of 12 synthetic clients with their history (ids unlike the factories')."""
    from ml.synthetic import generate, write_csvs

    tables = generate(10, seed=5, test_clients=2)
    out = tmp_path_factory.mktemp("synthetic-clients")
    write_csvs(tables, out)
    return out


@pytest.fixture
def imported_clients(db, synthetic_clients_dir) -> list[int]:
    """The SK_ID_CURR of the synthetic clients, imported with their history."""
    from clients.importer import import_homecredit_dir
    from clients.models import Application

    import_homecredit_dir(data_dir=synthetic_clients_dir)
    return list(Application.objects.order_by("sk_id_curr").values_list("sk_id_curr", flat=True))


@pytest.fixture
def scored(active_model_version, imported_clients, django_capture_on_commit_callbacks):
    """`scored(position)`: the imported client at `position` scored through the real
    service and its (eager) task, as the API asks (explanation tests)."""
    from clients.models import Application
    from scoring.models import Score
    from scoring.services import score_request

    def score(position: int = 0) -> Score:
        application = Application.objects.get(pk=imported_clients[position])
        with django_capture_on_commit_callbacks(execute=True):
            result = score_request(application=application, channel=Score.Channel.API)
        result.refresh_from_db()
        assert result.status == Score.Status.DONE, result.error
        return result

    return score


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The URL x role test's count (tests/test_url_roles.py), at the end of every run."""
    from tests.test_url_roles import SUMMARY_KEY

    summary = config.stash.get(SUMMARY_KEY, None)
    if summary:
        terminalreporter.write_sep("-", summary)

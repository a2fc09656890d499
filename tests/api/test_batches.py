"""/api/v1/batches: submit a CSV, poll progress, download results; only the sender sees it."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ml.synthetic import generate
from scoring.models import BatchJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/batches"


@pytest.fixture(scope="module")
def applications_csv() -> bytes:
    frame = generate(1, seed=4, test_clients=12)["application_test"]
    return frame.to_csv(index=False).encode()


def csv_upload(data: bytes, name: str = "applications.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def submit(api_as, applications_csv, django_capture_on_commit_callbacks):
    def post(caller: str = "integration", data: bytes | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return api_as(caller).post(
                URL, {"file": csv_upload(data or applications_csv)}, format="multipart"
            )

    return post


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("integration", 202),
        ("advisor", 403),
        ("supervisor", 403),
        ("client_own", 403),
        ("staff", 403),
        ("stranger", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_submit_a_batch(serving_version, submit, caller, expected):
    assert submit(caller).status_code == expected


def test_a_batch_is_scored_and_its_results_downloaded(serving_version, submit, api_as):
    response = submit()
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/batches/{response.data['id']}")

    progress = api_as("integration").get(f"{URL}/{response.data['id']}")
    assert progress.status_code == 200
    assert progress.data["status"] == "done"
    assert progress.data["total_rows"] == progress.data["processed_rows"] == 12

    download = api_as("integration").get(progress.data["results_url"])
    assert download.status_code == 200
    results = pd.read_csv(io.BytesIO(b"".join(download.streaming_content)))
    assert len(results) == 12
    assert set(results["decision"]) <= {"granted", "refused"}
    assert set(results["model_version"]) == {serving_version.version}


def test_another_integration_account_cannot_see_or_download_the_batch(
    serving_version, submit, api_as, integration
):
    batch_id = submit().data["id"]
    other = api_as("anonymous")
    other.force_authenticate(UserFactory(username="integration-other", role="integration"))

    assert other.get(f"{URL}/{batch_id}").status_code == 404
    assert other.get(f"{URL}/{batch_id}/results").status_code == 404
    assert other.get(URL).data["count"] == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"AMT_CREDIT,NOT_A_COLUMN\n1.0,2\n", "unknown column(s) NOT_A_COLUMN"),
        (b"AMT_CREDIT\n1.0\n", "column SK_ID_CURR is required"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a readable CSV file"),
        (b"\n", "not a readable CSV file"),
    ],
)
def test_a_file_whose_first_line_is_no_header_of_ours_is_a_400_and_nothing_is_stored(
    serving_version, submit, data, expected
):
    response = submit(data=data)

    assert response.status_code == 400, response.content
    assert any(expected in message for message in response.data["file"]), response.data
    assert not BatchJob.objects.exists()


def test_the_request_reads_only_the_header_and_leaves_the_rows_to_the_worker(
    serving_version, api_as, applications_csv, django_capture_on_commit_callbacks
):
    header, _ = applications_csv.split(b"\n", 1)
    # Rows no parser would take: the request accepts them, never having read them.
    data = header + b"\n" + b"\xff\xfe not, a, row\n" * 1000

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = api_as("integration").post(URL, {"file": csv_upload(data)}, format="multipart")

    assert response.status_code == 202, response.content
    assert response.data["status"] == "pending"
    assert response.data["total_rows"] == 0  # counted by the worker
    assert len(queued) == 1  # the worker's task, sent once the row is committed
    with BatchJob.objects.get().source.open("rb") as stored:
        assert stored.read() == data


def test_bad_rows_are_reported_by_the_worker_naming_line_and_column(
    serving_version, submit, applications_csv, api_as
):
    frame = pd.read_csv(io.BytesIO(applications_csv))
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    frame.loc[0, "AMT_CREDIT"] = "a lot"
    frame["CNT_CHILDREN"] = frame["CNT_CHILDREN"].astype(object)
    frame.loc[3, "CNT_CHILDREN"] = "1.5"

    response = submit(data=frame.to_csv(index=False).encode())

    assert response.status_code == 202, response.content
    batch = api_as("integration").get(f"{URL}/{response.data['id']}").data
    assert batch["status"] == "failed"
    assert batch["results_url"] is None
    assert sorted(batch["error"].splitlines()) == [
        "applications.csv, line 2, column AMT_CREDIT: 'a lot' is not a number",
        "applications.csv, line 5, column CNT_CHILDREN: '1.5' is not an integer",
    ]


def test_the_workers_report_is_in_the_language_of_the_request_that_sent_the_file(
    serving_version, api_as, django_capture_on_commit_callbacks
):
    data = b"SK_ID_CURR,AMT_CREDIT\n100001,beaucoup\n"

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("integration").post(
            f"{URL}?lang=fr", {"file": csv_upload(data)}, format="multipart"
        )

    job = BatchJob.objects.get(pk=response.data["id"])
    assert job.status == BatchJob.Status.FAILED
    assert "ligne 2" in job.error and "AMT_CREDIT" in job.error, job.error


def test_results_of_an_unfinished_batch_are_a_conflict(serving_version, api_as, integration):
    job = BatchJob.objects.create(created_by=integration, total_rows=3, source="batch/in/x.csv")

    response = api_as("integration").get(f"{URL}/{job.pk}/results")

    assert response.status_code == 409


def test_without_a_model_a_batch_is_refused_with_503(submit):
    assert submit().status_code == 503

"""CSV batches through a real Celery worker: the request stores the file, the worker parses it.

The request reads only the header (tests/api/test_batches.py); here the rows
reach a worker process of their own, which scores them or reports each bad
one by line and column, in the language of the request that sent the file.
"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from ml.synthetic import generate
from scoring.models import BatchJob

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/batches"


@pytest.fixture
def api(integration) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=integration)[1]}")
    return client


def wait_for_batch(batch_id: str, *, timeout: float = 60) -> BatchJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = BatchJob.objects.get(pk=batch_id)
        if job.status in (BatchJob.Status.DONE, BatchJob.Status.FAILED):
            return job
        time.sleep(0.2)
    raise TimeoutError(f"batch {batch_id} still {job.status} after {timeout}s")


def send(api: APIClient, data: bytes, *, lang: str = "en") -> str:
    upload = SimpleUploadedFile("applications.csv", data, content_type="text/csv")
    response = api.post(f"{URL}?lang={lang}", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    assert response.json()["total_rows"] == 0  # not read yet: the worker counts the rows
    return response.json()["id"]


def test_the_worker_parses_and_scores_a_batch_and_reports_a_bad_one_line_by_line(
    active_model_version, start_worker, api
):
    frame = generate(1, seed=5, test_clients=8)["application_test"]
    bad = frame.copy()
    bad["AMT_CREDIT"] = bad["AMT_CREDIT"].astype(object)
    bad.loc[6, "AMT_CREDIT"] = "beaucoup"
    worker = start_worker()

    good_id = send(api, frame.to_csv(index=False).encode())
    bad_id = send(api, bad.to_csv(index=False).encode(), lang="fr")

    good = wait_for_batch(good_id)
    assert good.status == BatchJob.Status.DONE, good.error
    assert good.total_rows == good.processed_rows == 8
    refused = wait_for_batch(bad_id)
    assert refused.status == BatchJob.Status.FAILED
    assert refused.error == (
        "applications.csv, ligne 8, colonne AMT_CREDIT : 'beaucoup' n’est pas un nombre"
    )
    assert not refused.results
    # A bad file is the caller's to mend: reported, not logged as a failure of the worker.
    assert "Traceback" not in worker.log

"""Batch scoring of an uploaded CSV: the header checked up front, the rows by the worker,
chunked scoring, results file."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from ml.synthetic import generate
from scoring import batch
from scoring.batch import BatchFileError, batch_job_create
from scoring.models import BatchJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _messages_in_english():
    # The messages go through gettext (the API answers in its caller's language); outside a
    # request the site's default, French, would be active.
    with translation.override("en"):
        yield


def upload(frame: pd.DataFrame, name: str = "applications.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, frame.to_csv(index=False).encode(), "text/csv")


@pytest.fixture(scope="module")
def new_applications() -> pd.DataFrame:
    return generate(1, seed=3, test_clients=25)["application_test"]


def test_a_batch_is_scored_in_chunks_and_its_results_can_be_downloaded(
    active_model_version, integration, new_applications, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    monkeypatch.setattr(batch, "CHUNK_ROWS", 10)  # 25 rows -> 3 model calls

    with django_capture_on_commit_callbacks(execute=True):
        job = batch_job_create(uploaded=upload(new_applications), created_by=integration)

    job.refresh_from_db()
    assert job.status == BatchJob.Status.DONE, job.error
    assert (job.total_rows, job.processed_rows) == (25, 25)
    with job.results.open("rb") as stored:
        results = pd.read_csv(io.BytesIO(stored.read()))
    assert list(results["SK_ID_CURR"]) == list(new_applications["SK_ID_CURR"])
    assert results["probability"].between(0, 1).all()
    expected = results["probability"].ge(active_model_version.threshold)
    assert (results["decision"].eq("refused") == expected).all()
    assert set(results["model_version"]) == {active_model_version.version}


@pytest.fixture
def run_batch(integration, django_capture_on_commit_callbacks):
    """Submit a frame and run its task (eager): the job as the worker left it."""

    def run(frame: pd.DataFrame, name: str = "applications.csv") -> BatchJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = batch_job_create(uploaded=upload(frame, name), created_by=integration)
        job.refresh_from_db()
        return job

    return run


def test_a_file_with_bad_values_fails_in_the_worker_naming_each_line_and_column(
    active_model_version, new_applications, run_batch
):
    frame = new_applications.head(5).copy()
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    frame.loc[2, "AMT_CREDIT"] = "lots"
    frame["CNT_CHILDREN"] = frame["CNT_CHILDREN"].astype(object)
    frame.loc[4, "CNT_CHILDREN"] = "1.5"

    job = run_batch(frame, "bad.csv")

    assert job.status == BatchJob.Status.FAILED
    assert sorted(job.error.splitlines()) == [
        "bad.csv, line 4, column AMT_CREDIT: 'lots' is not a number",
        "bad.csv, line 6, column CNT_CHILDREN: '1.5' is not an integer",
    ]
    assert not job.results and job.processed_rows == 0


def test_unknown_columns_and_a_missing_id_column_are_refused_from_the_header(
    active_model_version, integration
):
    frame = pd.DataFrame({"AMT_CREDIT": [1.0], "NOT_A_COLUMN": [2]})

    with pytest.raises(BatchFileError) as error:
        batch_job_create(uploaded=upload(frame), created_by=integration)

    assert any("unknown column(s) NOT_A_COLUMN" in e for e in error.value.errors)
    assert any("SK_ID_CURR is required" in e for e in error.value.errors)
    assert not BatchJob.objects.exists()


def test_a_header_with_a_byte_order_mark_is_read_as_its_columns(new_applications):
    data = "\ufeff".encode() + new_applications.head(3).to_csv(index=False).encode()
    uploaded = SimpleUploadedFile("excel.csv", data, "text/csv")

    batch.batch_header_check(uploaded, file_name="excel.csv")  # no BatchFileError

    assert uploaded.tell() == 0  # left at its start, to be stored whole


def test_a_first_line_past_the_header_limit_is_refused_without_reading_further(
    active_model_version, integration, monkeypatch
):
    monkeypatch.setattr(batch, "HEADER_MAX_BYTES", 100)
    uploaded = SimpleUploadedFile("wide.csv", b"SK_ID_CURR," + b"X" * 200 + b"\n1,2\n")

    with pytest.raises(BatchFileError, match="longer than"):
        batch_job_create(uploaded=uploaded, created_by=integration)


def test_text_outside_its_columns_levels_is_refused(active_model_version, run_batch):
    frame = pd.DataFrame(
        {"SK_ID_CURR": [1, 2], "NAME_CONTRACT_TYPE": ["Cash loans", "Bogus"], "FLAG_OWN_CAR": "Y"}
    )

    job = run_batch(frame, "bad.csv")

    assert job.status == BatchJob.Status.FAILED
    assert job.error == (
        "bad.csv, line 3, column NAME_CONTRACT_TYPE: 'Bogus' is not a level of the column; "
        "allowed: 'Cash loans', 'Revolving loans'"
    )


def test_duplicate_ids_are_refused(active_model_version, new_applications, run_batch):
    frame = pd.concat([new_applications.head(2), new_applications.head(1)])

    job = run_batch(frame)

    assert job.status == BatchJob.Status.FAILED
    assert re.search(r"line 4, column SK_ID_CURR: .* appears twice", job.error), job.error


def test_a_file_of_a_header_and_no_rows_fails_in_the_worker(active_model_version, run_batch):
    job = run_batch(pd.DataFrame({"SK_ID_CURR": []}))

    assert job.status == BatchJob.Status.FAILED
    assert job.error == "applications.csv: no rows"


def test_a_partial_file_is_scored_with_the_missing_columns_as_unknown(
    active_model_version, integration, new_applications, django_capture_on_commit_callbacks
):
    frame = new_applications[["SK_ID_CURR", "AMT_CREDIT", "AMT_INCOME_TOTAL", "EXT_SOURCE_2"]]

    with django_capture_on_commit_callbacks(execute=True):
        job = batch_job_create(uploaded=upload(frame.head(3)), created_by=integration)

    job.refresh_from_db()
    assert job.status == BatchJob.Status.DONE, job.error


# -- The file is read in chunks (READ_CHUNK_ROWS), checked whole before any row is scored --


def test_a_bad_value_in_a_later_chunk_is_reported_on_its_line_in_the_file(
    active_model_version, new_applications, run_batch, monkeypatch
):
    monkeypatch.setattr(batch, "READ_CHUNK_ROWS", 10)  # 25 rows: read as 10 + 10 + 5
    frame = new_applications.copy()
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    frame.loc[22, "AMT_CREDIT"] = "lots"  # the third row of the third chunk

    job = run_batch(frame, "bad.csv")

    assert job.status == BatchJob.Status.FAILED
    assert job.error == "bad.csv, line 24, column AMT_CREDIT: 'lots' is not a number"
    assert not job.results and job.processed_rows == 0


def test_an_id_of_an_earlier_chunk_repeated_in_a_later_one_is_refused_on_its_line(
    active_model_version, new_applications, run_batch, monkeypatch
):
    monkeypatch.setattr(batch, "READ_CHUNK_ROWS", 10)
    frame = new_applications.copy()
    repeated = frame.loc[3, "SK_ID_CURR"]
    frame.loc[21, "SK_ID_CURR"] = repeated  # chunk 3 repeats an id of chunk 1

    job = run_batch(frame)

    assert job.status == BatchJob.Status.FAILED
    assert job.error == (f"applications.csv, line 23, column SK_ID_CURR: {repeated} appears twice")


def test_errors_in_several_chunks_are_listed_column_by_column_as_for_the_whole_file(
    active_model_version, new_applications, run_batch, monkeypatch
):
    monkeypatch.setattr(batch, "READ_CHUNK_ROWS", 10)
    frame = new_applications.copy()
    frame["AMT_CREDIT"] = frame["AMT_CREDIT"].astype(object)
    frame["CNT_CHILDREN"] = frame["CNT_CHILDREN"].astype(object)
    frame.loc[2, "AMT_CREDIT"] = "lots"  # chunk 1
    frame.loc[15, "CNT_CHILDREN"] = "1.5"  # chunk 2, a column before AMT_CREDIT in the schema

    job = run_batch(frame, "bad.csv")

    assert job.error.splitlines() == [
        "bad.csv, line 17, column CNT_CHILDREN: '1.5' is not an integer",
        "bad.csv, line 4, column AMT_CREDIT: 'lots' is not a number",
    ]


def test_a_file_read_in_several_chunks_gives_the_same_results_file_as_in_one(
    active_model_version, new_applications, run_batch, monkeypatch
):
    def results_of(read_rows: int, score_rows: int) -> bytes:
        monkeypatch.setattr(batch, "READ_CHUNK_ROWS", read_rows)
        monkeypatch.setattr(batch, "CHUNK_ROWS", score_rows)
        job = run_batch(new_applications)
        assert job.status == BatchJob.Status.DONE, job.error
        assert (job.total_rows, job.processed_rows) == (25, 25)
        with job.results.open("rb") as stored:
            return stored.read()

    whole = results_of(1000, 1000)
    chunked = results_of(7, 3)  # 7 + 7 + 7 + 4 rows read, scored 3 at a time

    assert chunked == whole
    assert len(whole.splitlines()) == 26  # a header and one line a row

"""Request sizes: a body or an upload over its limit is refused with a 413, and nothing is kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload

from creditscore.uploads import BoundedUploadHandler
from scoring.models import BatchJob

pytestmark = pytest.mark.django_db


def test_a_json_body_over_the_cap_is_a_413_naming_the_limit(api_as, settings):
    settings.API_BODY_MAX_BYTES = 4096
    body = json.dumps({"SK_ID_CURR": 1, "padding": "x" * 5000})

    response = api_as("integration").post("/api/v1/predict", body, content_type="application/json")

    assert response.status_code == 413, response.content
    assert "4 kB" in response.json()["detail"]


def test_a_json_body_under_the_cap_is_read_as_usual(api_as, settings):
    settings.API_BODY_MAX_BYTES = 4096

    response = api_as("integration").post(
        "/api/v1/predict", json.dumps({"SK_ID_CURR": 1}), content_type="application/json"
    )

    assert response.status_code in (200, 400, 503), response.content  # read, then judged


def test_a_form_body_over_the_cap_is_a_413_too(api_as, settings):
    settings.API_BODY_MAX_BYTES = 4096

    response = api_as("integration").post(
        "/api/v1/auth/token",
        f"username=someone&password={'x' * 5000}",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 413


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(
    api_as, settings, serving_version, tmp_path
):
    settings.UPLOAD_MAX_BYTES = 10_000
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = b"SK_ID_CURR,AMT_CREDIT\n" + b"100002,406597.5\n" * 2000  # 32 kB

    response = api_as("integration").post(
        "/api/v1/batches",
        {"file": SimpleUploadedFile("big.csv", data, content_type="text/csv")},
        format="multipart",
    )

    assert response.status_code == 413, response.content
    assert "nothing was stored" in response.json()["detail"]
    assert not BatchJob.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists() or not any(
        Path(settings.MEDIA_ROOT).rglob("*.csv")
    )


def test_the_handler_stops_a_stream_that_outgrows_the_limit_whatever_length_it_declared(
    rf, settings
):
    settings.UPLOAD_MAX_BYTES = 1000
    request = rf.post("/api/v1/batches")
    handler = BoundedUploadHandler(request)

    assert handler.handle_raw_input(None, {}, 900, b"boundary") is None
    assert handler.receive_data_chunk(b"x" * 900, 0) == b"x" * 900
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 200, 900)
    assert request.upload_refused == 1000


def test_the_handler_refuses_a_declared_length_over_the_limit_without_reading_it(rf, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    request = rf.post("/api/v1/batches")

    post, files = BoundedUploadHandler(request).handle_raw_input(None, {}, 5000, b"boundary")

    assert not post and not files
    assert request.upload_refused == 1000

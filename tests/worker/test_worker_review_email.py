"""A review request's e-mail sent by a real Celery worker process, through Django's mail backend."""

from __future__ import annotations

import email
import time
from email.header import decode_header, make_header

import pytest

from scoring.models import ReviewRequest
from scoring.tasks import review_notify_task

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_emails_the_client_in_their_language(
    application, client_user, start_worker, worker_queue, tmp_path, monkeypatch
):
    mail_dir = tmp_path / "mail"
    # The worker's settings read these (the file backend writes one file per message).
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(mail_dir))
    monkeypatch.setenv("SITE_URL", "https://credit.example.com")
    start_worker()
    review = ReviewRequest.objects.create(
        application=application,
        requested_by=client_user,
        message="Mon revenu est faux.",
        language="fr",
    )
    # The e-mail task goes to the default queue; the test's worker reads its own.
    review_notify_task.apply_async(args=[review.pk, "received"], queue=worker_queue)

    deadline = time.monotonic() + 60
    while not (mail_dir.is_dir() and any(mail_dir.iterdir())):
        assert time.monotonic() < deadline, "no e-mail written by the worker"
        time.sleep(0.2)
    time.sleep(0.5)  # the file is written in one go; let it be closed
    (text,) = [path.read_text() for path in mail_dir.iterdir()]
    message = email.message_from_string(text.split("\n" + "-" * 79)[0])
    assert message["To"] == client_user.email
    assert str(make_header(decode_header(message["Subject"]))) == (
        "Nous avons bien reçu votre demande de réexamen"
    )
    assert "https://credit.example.com/portal/review/" in message.get_payload()

"""Every URL of the portal, walked from the URL patterns (today's and tomorrow's): client B never
reaches client A's data by an id or a parameter, anonymous visitors are sent to log in, and
advisors, supervisors, risk staff and integration accounts are refused."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from scoring.decisions import credit_decision_record
from scoring.models import Decision
from scoring.reviews import review_request_create
from tests.pages import without_per_request_values
from tests.test_url_access import url_patterns

pytestmark = pytest.mark.django_db
# The invitation's link is public by design (the signed token is the key): tests/portal/
# test_invitation.py covers it.
PUBLIC = {"portal:activate"}
A_MESSAGE = "Client A's own words: my income is 42,000, not 27,000."


def portal_urls(id_value: int) -> list[tuple[str, str]]:
    """(name, path) of every portal URL, any id in it replaced by `id_value`."""
    urls = []
    for route, name, _view in url_patterns():
        if not route.startswith("portal/") or name in PUBLIC:
            continue
        path = "/" + re.sub(r"<int:[a-z_]+>", str(id_value), route)
        assert "<" not in path, f"{name}: a parameter this test does not know: {route}"
        urls.append((name, path))
    assert len(urls) >= 8, urls
    return urls


def _text(response) -> str:
    """What a person would read in the answer: a page, a JSON document, every file of a zip."""
    if response.get("Content-Type", "").startswith("application/zip"):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return without_per_request_values(response.content)


def _both(client, path):
    """GET and POST (the exports and forms answer POST): every answer the URL can give."""
    return [client.get(path), client.post(path)]


@pytest.fixture
def client_a_with_everything(application, advisor, client_user):
    decision = credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome=Decision.REFUSED,
        justification="Client A's own justification, written by the advisor.",
    )
    review = review_request_create(
        application=application, requested_by=client_user, message=A_MESSAGE
    )
    return application, decision, review


def test_client_b_never_reaches_client_as_data_through_any_portal_url(
    client, client_a_with_everything, other_client_user, other_application
):
    application, decision, review = client_a_with_everything
    client.force_login(other_client_user)
    a_id = str(application.pk)
    leaks = {}
    for name, path in portal_urls(review.pk):
        query = f"?sk_id_curr={a_id}&application={a_id}&id={a_id}&review={review.pk}"
        for response in _both(client, path + query):
            assert response.status_code in (200, 302, 400, 404, 405), (name, response.status_code)
            body = _text(response).replace(query, "")
            for secret in (a_id, A_MESSAGE, "Client A's own justification"):
                if secret in body:
                    leaks.setdefault(name, []).append(secret)
    assert leaks == {}


@pytest.mark.parametrize("user_fixture", ["advisor", "supervisor", "risk_staff", "integration"])
def test_staff_and_machines_are_refused_every_portal_url(
    client, request, user_fixture, client_a_with_everything
):
    _application, _decision, review = client_a_with_everything
    client.force_login(request.getfixturevalue(user_fixture))
    answers = {
        (name, response.request["REQUEST_METHOD"]): response.status_code
        for name, path in portal_urls(review.pk)
        for response in _both(client, path)
    }
    assert set(answers.values()) <= {403, 405}, answers
    assert 403 in answers.values()


def test_anonymous_visitors_are_sent_to_log_in_from_every_portal_url(
    client, client_a_with_everything
):
    _application, _decision, review = client_a_with_everything
    for name, path in portal_urls(review.pk):
        for response in _both(client, path):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/?next="), name


def test_the_same_walk_as_client_a_finds_their_own_data(
    client, client_a_with_everything, client_user
):
    # The control of the first test: the walk does reach the pages that show the data.
    application, _decision, review = client_a_with_everything
    client.force_login(client_user)
    seen = " ".join(
        _text(response)
        for _name, path in portal_urls(review.pk)
        for response in _both(client, path)
    )
    for secret in (str(application.pk), A_MESSAGE, "Client A's own justification"):
        assert secret in seen, secret

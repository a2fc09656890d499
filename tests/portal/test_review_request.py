"""The client's review pages (/portal/review/...): who may use them, the request form and its
refusals, the status and the answer as the client reads them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

import formatting
from audit.models import AuditEvent
from scoring.decisions import credit_decision_record
from scoring.models import ReviewRequest
from scoring.reviews import review_answer, review_record_correct, review_request_create
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

STATUS = reverse("portal:review")
FORM = reverse("portal:review_request")


def detail_url(review) -> str:
    return reverse("portal:review_detail", args=[review.pk])


@pytest.fixture
def as_client(client, client_user):
    client.force_login(client_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def other_client(db, colleague):
    """Another client (of another advisor) with a request of their own."""
    from accounts.roles import Role

    user = UserFactory(username="client-oscar", role=Role.CLIENT)
    application = ApplicationFactory(advisor=colleague, portal_user=user)
    review = review_request_create(
        application=application, requested_by=user, message="Please look at mine again."
    )
    return user, application, review


def form_data(**overrides) -> dict[str, str]:
    data = {
        "message": "My income is wrong: I earn 42,000 a year since March.",
        "amt_credit": "",
        "term_months": "",
        "amt_income_total": "42,000",
        "years_employed": "",
        "claimed_other": "",
    }
    return {**data, **overrides}


# -- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [STATUS, FORM, "/portal/review/1/"])
def test_anonymous_visitors_go_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["advisor", "supervisor", "risk_staff", "integration", "stranger"])
@pytest.mark.parametrize("url", [STATUS, FORM, "/portal/review/1/"])
def test_staff_and_machines_are_refused_the_clients_pages(client, request, who, url, application):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert client.post(FORM, form_data()).status_code == 403
    assert not ReviewRequest.objects.exists()


def test_a_client_login_linked_to_no_application_is_told_so_and_cannot_ask(client):
    from accounts.roles import Role

    client.force_login(UserFactory(username="client-nobody", role=Role.CLIENT))
    page = client.get(STATUS)
    assert page.status_code == 200 and 'data-testid="no-record"' in page.content.decode()
    assert 'data-testid="ask-review"' not in page.content.decode()
    assert client.get(FORM).status_code == 404
    assert client.post(FORM, form_data()).status_code == 404
    assert not ReviewRequest.objects.exists()


def test_another_clients_request_is_a_404_by_id(as_client, application, other_client):
    _, _, theirs = other_client
    response = as_client.get(detail_url(theirs))
    assert response.status_code == 404
    assert "Please look at mine again." not in response.content.decode()


def test_the_request_goes_to_the_clients_own_application_whatever_the_form_says(
    as_client, application, other_client
):
    _, theirs, _ = other_client
    data = form_data(application=theirs.pk, sk_id_curr=theirs.pk, requested_by=1)
    response = as_client.post(FORM, data)
    assert response.status_code == 302
    assert ReviewRequest.objects.filter(application=theirs).count() == 1  # their own only
    assert ReviewRequest.objects.filter(application=application).count() == 1


# -- asking --------------------------------------------------------------------------------


def test_the_form_shows_what_we_have_recorded_beside_each_fact(as_client, application):
    page = as_client.get(FORM).content.decode()
    assert "We have: €202,500. Leave empty if this is right." in page
    assert 'maxlength="2000"' in page
    assert "cannot be changed" in page


def test_a_client_sends_a_request_with_a_corrected_income(
    as_client, application, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_client.post(FORM, form_data())

    assert response.status_code == 302 and response.url == STATUS
    review = ReviewRequest.objects.get()
    assert (review.application, review.requested_by) == (application, client_user)
    assert review.claimed == {"AMT_INCOME_TOTAL": 42000.0}
    assert review.language == "en"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVIEW_REQUESTED).count() == 1
    (email,) = mail.outbox
    assert email.to == [client_user.email]
    assert email.subject == "We have received your request for a review"
    page = as_client.get(STATUS).content.decode()
    assert "Your request has been sent" in page
    assert 'aria-current="step" data-testid="review-current-step"' in page
    assert "€202,500" not in page.split('data-testid="review-facts"')[1].split("</table>")[0]
    assert "€42,000" in page


def test_numbers_are_read_the_way_french_writes_them(client, client_user, application):
    client.force_login(client_user)
    client.cookies["django_language"] = "fr"
    response = client.post(FORM, form_data(amt_income_total="42 000", years_employed="6,5"))
    assert response.status_code == 302
    assert ReviewRequest.objects.get().claimed == {
        "AMT_INCOME_TOTAL": 42000.0,
        "YEARS_EMPLOYED": 6.5,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"amt_income_total": "lots"}, "amt_income_total"),
        ({"term_months": "600"}, "term_months"),
        ({"claimed_other": "y" * 1001}, "claimed_other"),
    ],
)
def test_a_wrong_request_is_a_400_naming_the_field_and_keeps_what_was_typed(
    as_client, application, overrides, field
):
    response = as_client.post(FORM, form_data(**overrides))
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert form["message"].value() == form_data(**overrides)["message"]
    assert not ReviewRequest.objects.exists() and not mail.outbox


def test_with_a_request_open_the_form_leads_to_its_status_and_a_second_is_refused(
    as_client, application
):
    as_client.post(FORM, form_data())
    response = as_client.get(FORM)
    assert response.status_code == 302 and response.url == STATUS
    assert 'data-testid="ask-review"' not in as_client.get(STATUS).content.decode()

    response = as_client.post(FORM, form_data(message="A second request, to change the first."))
    assert response.status_code == 409
    assert "already have a review request" in response.content.decode()
    assert ReviewRequest.objects.get().message.startswith("My income is wrong")


def test_no_page_edits_a_request_once_sent(as_client, application):
    as_client.post(FORM, form_data())
    review = ReviewRequest.objects.get()
    assert as_client.post(detail_url(review), form_data(message="Edited!")).status_code == 405
    review.refresh_from_db()
    assert review.message.startswith("My income is wrong")


# -- the answer ----------------------------------------------------------------------------


def test_the_client_reads_the_answer_the_correction_and_the_new_decision(
    as_client, application, advisor
):
    credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="refused",
        justification="No score: refused on the payslips.",
    )
    as_client.post(FORM, form_data())
    review = ReviewRequest.objects.get()
    assert "will answer by" in as_client.get(STATUS).content.decode()
    review_record_correct(
        review=review, actor=advisor, values={"AMT_INCOME_TOTAL": 42000}, rescore=False
    )
    credit_decision_record(
        application=application,
        decided_by=advisor,
        outcome="granted",
        justification="Income corrected to 42,000: the payments fit.",
    )
    review_answer(review=review, actor=advisor, answer="We checked your payslips: you were right.")

    page = as_client.get(STATUS).content.decode()
    assert "We checked your payslips: you were right." in page
    assert "The decision has changed: your credit is granted." in page
    assert "€202,500 → €42,000" in page
    assert 'data-testid="ask-review"' in page  # answered: they may ask again
    assert as_client.get(detail_url(review)).status_code == 200


def test_an_earlier_request_is_named_by_its_day_written_on_one_line(
    client, client_user, application, advisor
):
    first = review_request_create(
        application=application, requested_by=client_user, message="Please look again."
    )
    review_answer(review=first, actor=advisor, answer="We looked again: the decision stands.")
    review_request_create(
        application=application, requested_by=client_user, message="And once more, please."
    )
    client.force_login(client_user)
    client.cookies["django_language"] = "fr"
    page = client.get(STATUS).content.decode()
    earlier = page.split('data-testid="review-earlier"')[1].split("</ul>")[0]
    with translation.override("fr"):
        day = formatting.date(timezone.localdate(first.created_at))
    # "5 décembre 2026" with no-break spaces, as every other date of the portal.
    assert f"Demande du {day} (" in earlier and "\u00a0" in day

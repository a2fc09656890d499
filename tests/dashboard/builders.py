"""Builders of dashboard test data, shared by tests/dashboard and tests/browser."""

from __future__ import annotations

import uuid

from django.utils import timezone

from clients.models import (
    Application,
    Bureau,
    CreditCardBalance,
    InstallmentsPayment,
    PosCashBalance,
    PreviousApplication,
)
from scoring.models import ModelVersion, Score
from tests.factories import ApplicationFactory

INCOME_TYPES = ("Working", "Pensioner", "State servant", "Commercial associate")


def add_credit_history(application: Application) -> Application:
    """Two bureau credits, two previous loans, four instalments (two paid late),
    a POS loan over three months and a credit card over two months."""
    Bureau.objects.create(
        sk_id_bureau=5_000_001,
        application=application,
        credit_active="Active",
        credit_type="Consumer credit",
        days_credit=-400,
        amt_credit_sum=90_000.0,
        amt_credit_sum_debt=45_000.0,
        amt_credit_sum_overdue=0.0,
        credit_day_overdue=0,
    )
    Bureau.objects.create(
        sk_id_bureau=5_000_002,
        application=application,
        credit_active="Closed",
        credit_type="Credit card",
        days_credit=-1_500,
        amt_credit_sum=20_000.0,
    )
    PreviousApplication.objects.create(
        sk_id_prev=2_000_001,
        application=application,
        name_contract_type="Consumer loans",
        name_contract_status="Approved",
        days_decision=-700,
        amt_application=50_000.0,
        amt_credit=48_000.0,
        cnt_payment=12.0,
        code_reject_reason="XAP",
    )
    PreviousApplication.objects.create(
        sk_id_prev=2_000_002,
        application=application,
        name_contract_type="Cash loans",
        name_contract_status="Refused",
        days_decision=-300,
        amt_application=300_000.0,
        code_reject_reason="HC",
    )
    for number, (due, paid) in enumerate([(-90, -95), (-60, -52), (-30, -30), (-10, -1)], 1):
        InstallmentsPayment.objects.create(
            application=application,
            sk_id_prev=2_000_001,
            num_instalment_number=number,
            days_instalment=due,
            days_entry_payment=paid,
            amt_instalment=4_000.0,
            amt_payment=4_000.0,
        )
    for month, dpd in [(-3, 0), (-2, 12), (-1, 0)]:
        PosCashBalance.objects.create(
            application=application,
            sk_id_prev=2_000_001,
            months_balance=month,
            cnt_instalment=12.0,
            cnt_instalment_future=float(10 + month),
            name_contract_status="Active",
            sk_dpd=dpd,
        )
    for month, balance in [(-2, 1_000.0), (-1, 2_500.0)]:
        CreditCardBalance.objects.create(
            application=application,
            sk_id_prev=2_000_003,
            months_balance=month,
            amt_balance=balance,
            amt_credit_limit_actual=10_000,
            name_contract_status="Active",
            sk_dpd=0,
        )
    return application


def build_portfolio(advisor, *, count: int, first_id: int = 200_000) -> list[Application]:
    """`count` clients of `advisor` with varied facts (ids from `first_id`)."""
    rows = [
        ApplicationFactory.build(
            sk_id_curr=first_id + n,
            advisor=advisor,
            amt_income_total=100_000.0 + 1_000 * n,
            amt_credit=500_000.0 - 2_000 * n,
            days_birth=-8_000 - 100 * n,
            days_employed=365243 if n % 6 == 0 else -300 - 50 * n,
            code_gender="F" if n % 2 else "M",
            name_contract_type="Revolving loans" if n % 5 == 0 else "Cash loans",
            name_income_type="Pensioner" if n % 6 == 0 else INCOME_TYPES[n % 4],
            organization_type="School" if n % 7 == 0 else "Business Entity Type 3",
        )
        for n in range(count)
    ]
    return Application.objects.bulk_create(rows)


def model_version_row(*, active: bool = True, threshold: float = 0.10) -> ModelVersion:
    """A registry row without an artifact: enough for pages that only read stored scores."""
    digest = uuid.uuid4().hex
    return ModelVersion.objects.create(
        version=digest[:12],
        artifact_hash=digest,
        archive=f"model-artifacts/{digest}.tar.gz",
        threshold=threshold,
        cost_false_negative=10.0,
        cost_false_positive=1.0,
        is_active=active,
    )


def add_current_score(
    application: Application, *, probability: float, model_version: ModelVersion
) -> Score:
    """A finished score of `application`, made its current one as scoring.services does."""
    Score.objects.filter(application=application, is_current=True).update(is_current=False)
    return Score.objects.create(
        application=application,
        model_version=model_version,
        input_digest=uuid.uuid4().hex,
        status=Score.Status.DONE,
        probability=probability,
        threshold=model_version.threshold,
        decision="refused" if probability >= model_version.threshold else "granted",
        finished_at=timezone.now(),
        is_current=True,
    )


def row_ids(response) -> list[int]:
    """The client ids of a portfolio page, in the order shown."""
    return [row["sk_id_curr"] for row in response.context["rows"]]

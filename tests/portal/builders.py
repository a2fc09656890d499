"""A client with rows in every one of the seven Kaggle tables, ids derived from the client's."""

from __future__ import annotations

from clients.models import (
    Application,
    Bureau,
    BureauBalance,
    CreditCardBalance,
    InstallmentsPayment,
    PosCashBalance,
    PreviousApplication,
)


def add_history_in_every_table(application: Application, *, rows: int = 2) -> Application:
    """`rows` rows (and 3 monthly reports per bureau credit) in each history table."""
    base = application.pk * 10
    for i in range(rows):
        bureau = Bureau.objects.create(
            sk_id_bureau=base + i,
            application=application,
            credit_active="Active" if i == 0 else "Closed",
            days_credit=-300 - i,
            amt_credit_sum=10_000.0 + i,
        )
        for month in range(3):
            BureauBalance.objects.create(bureau=bureau, months_balance=-month, status="0")
        previous = PreviousApplication.objects.create(
            sk_id_prev=base + i,
            application=application,
            name_contract_type="Consumer loans",
            amt_credit=5_000.0 + i,
            name_contract_status="Approved",
            days_decision=-400 - i,
        )
        PosCashBalance.objects.create(
            application=application,
            sk_id_prev=previous.pk,
            months_balance=-1 - i,
            name_contract_status="Active",
        )
        InstallmentsPayment.objects.create(
            application=application,
            sk_id_prev=previous.pk,
            num_instalment_number=1 + i,
            days_instalment=-60.0 - i,
            days_entry_payment=-58.0 - i,
            amt_instalment=500.0,
            amt_payment=500.0,
        )
        CreditCardBalance.objects.create(
            application=application,
            sk_id_prev=previous.pk,
            months_balance=-1 - i,
            amt_balance=120.5 + i,
        )
    return application

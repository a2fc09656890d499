"""Client records in the schema of the Kaggle Home Credit data.

Every Kaggle column is a field named as the column in lower case (AMT_CREDIT
-> `amt_credit`, same Postgres column), typed from `ml.schema`, nullable
because Kaggle leaves many values empty and an empty value must stay
"unknown", never 0. The fields are generated from `ml.schema` so the models,
the importer and the model's features cannot drift apart; keys and links are
declared by hand below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from accounts.models import AnyUser
from ml import schema

_FIELD_FOR_KIND = {
    schema.INT: models.BigIntegerField,
    schema.FLOAT: models.FloatField,
    schema.STR: models.TextField,
}


def _kaggle_columns_model(table: schema.Table, *, declared: set[str]) -> type[models.Model]:
    """An abstract model holding one nullable field per Kaggle column of `table`.

    `declared` are the Kaggle columns the concrete model declares itself
    (keys and foreign keys).
    """
    attrs: dict[str, object] = {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
    }
    for column in table.columns:
        if column.name in declared:
            continue
        field_class = _FIELD_FOR_KIND[column.kind]
        attrs[column.field_name] = field_class(null=True, blank=True, verbose_name=column.name)
    class_name = "".join(part.capitalize() for part in table.name.split("_")) + "Columns"
    return type(class_name, (models.Model,), attrs)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def for_user(self, user: AnyUser) -> ApplicationQuerySet:
        """The applications `user` may see: the one scoping rule of the project."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_perm("clients.view_all_applications"):
            return self
        scope = Q(pk__in=[])
        if user.has_perm("clients.view_portfolio"):
            scope |= Q(advisor=user)
        if user.has_perm("clients.view_own_application"):
            scope |= Q(portal_user=user)
        return self.filter(scope)


_HAS_ADVISOR = models.Q(advisor__isnull=False)


# Each model below inherits its Kaggle columns from a base built from ml.schema at import
# time. mypy cannot follow a class made at run time ("unsupported dynamic base class",
# hence the `type: ignore[misc]` on each): it sees those columns as Any, while the keys,
# links, managers and methods declared here keep their types.
class Application(_kaggle_columns_model(schema.APPLICATION, declared={"SK_ID_CURR"})):  # type: ignore[misc]
    """A credit application, i.e. a client, keyed by Kaggle's SK_ID_CURR."""

    sk_id_curr = models.BigIntegerField(primary_key=True, verbose_name="SK_ID_CURR")
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portfolio",
        help_text="The advisor in charge of this client.",
        # portfolio_by_id (advisor, sk_id_curr) serves every lookup by advisor.
        db_index=False,
    )
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
        help_text="The client's own login to the portal, if they have one.",
    )
    # The database fills them too: a bulk load (the importer's COPY, its INSERT … SELECT)
    # writes the Kaggle columns only.
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        db_table = "application"
        ordering = ["sk_id_curr"]
        # The dashboard's portfolio: one advisor's clients (or everyone's, for
        # supervisors) in id, income, credit or age order, 25 at a time. The
        # id ends each index so that "ORDER BY x, id LIMIT 25" is an index scan.
        # An advisor's indexes hold the clients that have one: "advisor = %s" implies
        # it, and the rows an import brings in (none has an advisor yet) cost nothing
        # to index (1.9 s of a 195,000-row import when the four held them all).
        indexes = [
            models.Index(
                fields=["advisor", "sk_id_curr"], name="portfolio_by_id", condition=_HAS_ADVISOR
            ),
            models.Index(
                fields=["advisor", "amt_income_total", "sk_id_curr"],
                name="portfolio_by_income",
                condition=_HAS_ADVISOR,
            ),
            models.Index(
                fields=["advisor", "amt_credit", "sk_id_curr"],
                name="portfolio_by_credit",
                condition=_HAS_ADVISOR,
            ),
            models.Index(
                fields=["advisor", "days_birth", "sk_id_curr"],
                name="portfolio_by_age",
                condition=_HAS_ADVISOR,
            ),
            models.Index(fields=["amt_income_total", "sk_id_curr"], name="all_clients_by_income"),
            models.Index(fields=["amt_credit", "sk_id_curr"], name="all_clients_by_credit"),
            models.Index(fields=["days_birth", "sk_id_curr"], name="all_clients_by_age"),
            # Its filters and word search: counting the matches of one value
            # among every client is then an index-only scan, not a full read.
            models.Index(fields=["name_contract_type"], name="application_contract_type"),
            models.Index(fields=["code_gender"], name="application_gender"),
            models.Index(fields=["name_income_type"], name="application_income_type"),
            models.Index(fields=["organization_type"], name="application_organization"),
            models.Index(fields=["occupation_type"], name="application_occupation"),
        ]
        permissions = [
            ("view_portfolio", "See the clients of one's own portfolio"),
            ("view_all_applications", "See every client, whoever the advisor"),
            ("view_own_application", "See one's own record in the client portal"),
            ("import_data", "Import Home Credit files"),
            ("request_score", "Ask for an application to be scored"),
            ("record_decision", "Record the final credit decision"),
        ]

    def __str__(self) -> str:
        return f"Application {self.sk_id_curr}"


class Bureau(_kaggle_columns_model(schema.BUREAU, declared={"SK_ID_CURR", "SK_ID_BUREAU"})):  # type: ignore[misc]
    """A credit of the client reported by the credit bureau."""

    sk_id_bureau = models.BigIntegerField(primary_key=True, verbose_name="SK_ID_BUREAU")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, db_column="sk_id_curr", related_name="bureau_credits"
    )

    class Meta:
        db_table = "bureau"


class BureauBalance(_kaggle_columns_model(schema.BUREAU_BALANCE, declared={"SK_ID_BUREAU"})):  # type: ignore[misc]
    """The monthly status of a bureau credit."""

    bureau = models.ForeignKey(
        Bureau, on_delete=models.CASCADE, db_column="sk_id_bureau", related_name="balances"
    )

    class Meta:
        db_table = "bureau_balance"
        constraints = [
            models.UniqueConstraint(
                fields=["bureau", "months_balance"], name="bureau_balance_one_row_per_month"
            )
        ]


class PreviousApplication(
    _kaggle_columns_model(schema.PREVIOUS_APPLICATION, declared={"SK_ID_CURR", "SK_ID_PREV"})  # type: ignore[misc]
):
    """An earlier application of the client at Home Credit."""

    sk_id_prev = models.BigIntegerField(primary_key=True, verbose_name="SK_ID_PREV")
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        db_column="sk_id_curr",
        related_name="previous_applications",
    )

    class Meta:
        db_table = "previous_application"


def _row_once(table: schema.Table) -> models.UniqueConstraint:
    """One row of a monthly table at most once: what makes its re-imports idempotent.

    These rows have no Kaggle key, so the key is the whole row: the client, then
    every Kaggle column, two empty values counting as equal (NULLS NOT DISTINCT,
    PostgreSQL 15). The index also serves every read, all by client (it leads with
    the client), so the foreign key has no index of its own, and SK_ID_PREV none
    either: no query looks a row up by it.

    It replaced an md5 digest of the row's typed values (a uuid under a unique
    index), which a COPY cannot compute: each file was staged, then inserted with
    its digest (4.7 s per million instalments here, 2.3 s of it the digest). Now
    a first load is COPYed straight into the table and the index built once
    (0.9 s for a million instalments), and no two different rows can collide.
    """
    fields = ["application"] + [c.field_name for c in table.columns if c.name != "SK_ID_CURR"]
    return models.UniqueConstraint(
        fields=fields, name=f"{table.name.lower()}_row_once", nulls_distinct=False
    )


class PosCashBalance(
    _kaggle_columns_model(schema.POS_CASH_BALANCE, declared={"SK_ID_CURR"})  # type: ignore[misc]
):
    """Monthly balance of a point-of-sale or cash loan."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        db_column="sk_id_curr",
        related_name="pos_cash_balances",
        db_index=False,  # the row's unique index leads with the client
    )

    class Meta:
        db_table = "pos_cash_balance"
        constraints = [_row_once(schema.POS_CASH_BALANCE)]


class InstallmentsPayment(
    _kaggle_columns_model(schema.INSTALLMENTS_PAYMENTS, declared={"SK_ID_CURR"})  # type: ignore[misc]
):
    """One instalment due on a previous loan and what was paid for it."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        db_column="sk_id_curr",
        related_name="installments_payments",
        db_index=False,  # the row's unique index leads with the client
    )

    class Meta:
        db_table = "installments_payments"
        constraints = [_row_once(schema.INSTALLMENTS_PAYMENTS)]


class CreditCardBalance(
    _kaggle_columns_model(schema.CREDIT_CARD_BALANCE, declared={"SK_ID_CURR"})  # type: ignore[misc]
):
    """Monthly balance of a previous credit card."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        db_column="sk_id_curr",
        related_name="credit_card_balances",
        db_index=False,  # the row's unique index leads with the client
    )

    class Meta:
        db_table = "credit_card_balance"
        constraints = [_row_once(schema.CREDIT_CARD_BALANCE)]


# The Django model behind each Kaggle table, by table name.
MODEL_FOR_TABLE: dict[str, type[models.Model]] = {
    schema.APPLICATION.name: Application,
    schema.BUREAU.name: Bureau,
    schema.BUREAU_BALANCE.name: BureauBalance,
    schema.PREVIOUS_APPLICATION.name: PreviousApplication,
    schema.POS_CASH_BALANCE.name: PosCashBalance,
    schema.INSTALLMENTS_PAYMENTS.name: InstallmentsPayment,
    schema.CREDIT_CARD_BALANCE.name: CreditCardBalance,
}

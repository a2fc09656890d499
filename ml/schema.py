"""The schema of the Kaggle Home Credit Default Risk files.

One source of truth for the seven tables: the Django models, the importer, the
synthetic generator and the feature engineering all read the column names and
kinds from here. Kinds were read off the real files (they match the dtypes
pandas gives the full Kaggle data: e.g. application_train has 41 integer,
65 float and 16 text columns).

Keys: `SK_ID_CURR` identifies an application (a client); `SK_ID_BUREAU` a
credit reported by the credit bureau; `SK_ID_PREV` a previous Home Credit
loan. POS_CASH_balance, installments_payments and credit_card_balance carry
no key of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

INT = "int"
FLOAT = "float"
STR = "str"

# DAYS_EMPLOYED holds this value for pensioners and the unemployed: a
# sentinel meaning "not employed", never a real number of days.
DAYS_EMPLOYED_SENTINEL = 365243


@dataclass(frozen=True)
class Column:
    name: str  # as Kaggle spells it, e.g. "AMT_CREDIT"
    kind: str  # INT, FLOAT or STR

    @property
    def field_name(self) -> str:
        """The Django field and Postgres column name: the Kaggle name in lower case."""
        return self.name.lower()


@dataclass(frozen=True)
class Table:
    name: str  # the Kaggle file stem, e.g. "bureau"
    file_names: tuple[str, ...]  # the CSV files that hold this table
    columns: tuple[Column, ...]
    # The columns that identify a row, so that importing twice adds nothing.
    # None: Kaggle gives the table no key; a digest of the whole row is used.
    natural_key: tuple[str, ...] | None
    # (column, parent table) that each row must point to.
    parent: tuple[str, str] | None
    # Columns a file may lack (TARGET is absent from application_test.csv).
    optional_columns: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")


_APPLICATION_TRAIN_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_CURR", INT),
    Column("TARGET", INT),
    Column("NAME_CONTRACT_TYPE", STR),
    Column("CODE_GENDER", STR),
    Column("FLAG_OWN_CAR", STR),
    Column("FLAG_OWN_REALTY", STR),
    Column("CNT_CHILDREN", INT),
    Column("AMT_INCOME_TOTAL", FLOAT),
    Column("AMT_CREDIT", FLOAT),
    Column("AMT_ANNUITY", FLOAT),
    Column("AMT_GOODS_PRICE", FLOAT),
    Column("NAME_TYPE_SUITE", STR),
    Column("NAME_INCOME_TYPE", STR),
    Column("NAME_EDUCATION_TYPE", STR),
    Column("NAME_FAMILY_STATUS", STR),
    Column("NAME_HOUSING_TYPE", STR),
    Column("REGION_POPULATION_RELATIVE", FLOAT),
    Column("DAYS_BIRTH", INT),
    Column("DAYS_EMPLOYED", INT),
    Column("DAYS_REGISTRATION", FLOAT),
    Column("DAYS_ID_PUBLISH", INT),
    Column("OWN_CAR_AGE", FLOAT),
    Column("FLAG_MOBIL", INT),
    Column("FLAG_EMP_PHONE", INT),
    Column("FLAG_WORK_PHONE", INT),
    Column("FLAG_CONT_MOBILE", INT),
    Column("FLAG_PHONE", INT),
    Column("FLAG_EMAIL", INT),
    Column("OCCUPATION_TYPE", STR),
    Column("CNT_FAM_MEMBERS", FLOAT),
    Column("REGION_RATING_CLIENT", INT),
    Column("REGION_RATING_CLIENT_W_CITY", INT),
    Column("WEEKDAY_APPR_PROCESS_START", STR),
    Column("HOUR_APPR_PROCESS_START", INT),
    Column("REG_REGION_NOT_LIVE_REGION", INT),
    Column("REG_REGION_NOT_WORK_REGION", INT),
    Column("LIVE_REGION_NOT_WORK_REGION", INT),
    Column("REG_CITY_NOT_LIVE_CITY", INT),
    Column("REG_CITY_NOT_WORK_CITY", INT),
    Column("LIVE_CITY_NOT_WORK_CITY", INT),
    Column("ORGANIZATION_TYPE", STR),
    Column("EXT_SOURCE_1", FLOAT),
    Column("EXT_SOURCE_2", FLOAT),
    Column("EXT_SOURCE_3", FLOAT),
    Column("APARTMENTS_AVG", FLOAT),
    Column("BASEMENTAREA_AVG", FLOAT),
    Column("YEARS_BEGINEXPLUATATION_AVG", FLOAT),
    Column("YEARS_BUILD_AVG", FLOAT),
    Column("COMMONAREA_AVG", FLOAT),
    Column("ELEVATORS_AVG", FLOAT),
    Column("ENTRANCES_AVG", FLOAT),
    Column("FLOORSMAX_AVG", FLOAT),
    Column("FLOORSMIN_AVG", FLOAT),
    Column("LANDAREA_AVG", FLOAT),
    Column("LIVINGAPARTMENTS_AVG", FLOAT),
    Column("LIVINGAREA_AVG", FLOAT),
    Column("NONLIVINGAPARTMENTS_AVG", FLOAT),
    Column("NONLIVINGAREA_AVG", FLOAT),
    Column("APARTMENTS_MODE", FLOAT),
    Column("BASEMENTAREA_MODE", FLOAT),
    Column("YEARS_BEGINEXPLUATATION_MODE", FLOAT),
    Column("YEARS_BUILD_MODE", FLOAT),
    Column("COMMONAREA_MODE", FLOAT),
    Column("ELEVATORS_MODE", FLOAT),
    Column("ENTRANCES_MODE", FLOAT),
    Column("FLOORSMAX_MODE", FLOAT),
    Column("FLOORSMIN_MODE", FLOAT),
    Column("LANDAREA_MODE", FLOAT),
    Column("LIVINGAPARTMENTS_MODE", FLOAT),
    Column("LIVINGAREA_MODE", FLOAT),
    Column("NONLIVINGAPARTMENTS_MODE", FLOAT),
    Column("NONLIVINGAREA_MODE", FLOAT),
    Column("APARTMENTS_MEDI", FLOAT),
    Column("BASEMENTAREA_MEDI", FLOAT),
    Column("YEARS_BEGINEXPLUATATION_MEDI", FLOAT),
    Column("YEARS_BUILD_MEDI", FLOAT),
    Column("COMMONAREA_MEDI", FLOAT),
    Column("ELEVATORS_MEDI", FLOAT),
    Column("ENTRANCES_MEDI", FLOAT),
    Column("FLOORSMAX_MEDI", FLOAT),
    Column("FLOORSMIN_MEDI", FLOAT),
    Column("LANDAREA_MEDI", FLOAT),
    Column("LIVINGAPARTMENTS_MEDI", FLOAT),
    Column("LIVINGAREA_MEDI", FLOAT),
    Column("NONLIVINGAPARTMENTS_MEDI", FLOAT),
    Column("NONLIVINGAREA_MEDI", FLOAT),
    Column("FONDKAPREMONT_MODE", STR),
    Column("HOUSETYPE_MODE", STR),
    Column("TOTALAREA_MODE", FLOAT),
    Column("WALLSMATERIAL_MODE", STR),
    Column("EMERGENCYSTATE_MODE", STR),
    Column("OBS_30_CNT_SOCIAL_CIRCLE", FLOAT),
    Column("DEF_30_CNT_SOCIAL_CIRCLE", FLOAT),
    Column("OBS_60_CNT_SOCIAL_CIRCLE", FLOAT),
    Column("DEF_60_CNT_SOCIAL_CIRCLE", FLOAT),
    Column("DAYS_LAST_PHONE_CHANGE", FLOAT),
    Column("FLAG_DOCUMENT_2", INT),
    Column("FLAG_DOCUMENT_3", INT),
    Column("FLAG_DOCUMENT_4", INT),
    Column("FLAG_DOCUMENT_5", INT),
    Column("FLAG_DOCUMENT_6", INT),
    Column("FLAG_DOCUMENT_7", INT),
    Column("FLAG_DOCUMENT_8", INT),
    Column("FLAG_DOCUMENT_9", INT),
    Column("FLAG_DOCUMENT_10", INT),
    Column("FLAG_DOCUMENT_11", INT),
    Column("FLAG_DOCUMENT_12", INT),
    Column("FLAG_DOCUMENT_13", INT),
    Column("FLAG_DOCUMENT_14", INT),
    Column("FLAG_DOCUMENT_15", INT),
    Column("FLAG_DOCUMENT_16", INT),
    Column("FLAG_DOCUMENT_17", INT),
    Column("FLAG_DOCUMENT_18", INT),
    Column("FLAG_DOCUMENT_19", INT),
    Column("FLAG_DOCUMENT_20", INT),
    Column("FLAG_DOCUMENT_21", INT),
    Column("AMT_REQ_CREDIT_BUREAU_HOUR", FLOAT),
    Column("AMT_REQ_CREDIT_BUREAU_DAY", FLOAT),
    Column("AMT_REQ_CREDIT_BUREAU_WEEK", FLOAT),
    Column("AMT_REQ_CREDIT_BUREAU_MON", FLOAT),
    Column("AMT_REQ_CREDIT_BUREAU_QRT", FLOAT),
    Column("AMT_REQ_CREDIT_BUREAU_YEAR", FLOAT),
)

_BUREAU_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_CURR", INT),
    Column("SK_ID_BUREAU", INT),
    Column("CREDIT_ACTIVE", STR),
    Column("CREDIT_CURRENCY", STR),
    Column("DAYS_CREDIT", INT),
    Column("CREDIT_DAY_OVERDUE", INT),
    Column("DAYS_CREDIT_ENDDATE", FLOAT),
    Column("DAYS_ENDDATE_FACT", FLOAT),
    Column("AMT_CREDIT_MAX_OVERDUE", FLOAT),
    Column("CNT_CREDIT_PROLONG", INT),
    Column("AMT_CREDIT_SUM", FLOAT),
    Column("AMT_CREDIT_SUM_DEBT", FLOAT),
    Column("AMT_CREDIT_SUM_LIMIT", FLOAT),
    Column("AMT_CREDIT_SUM_OVERDUE", FLOAT),
    Column("CREDIT_TYPE", STR),
    Column("DAYS_CREDIT_UPDATE", INT),
    Column("AMT_ANNUITY", FLOAT),
)

_BUREAU_BALANCE_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_BUREAU", INT),
    Column("MONTHS_BALANCE", INT),
    Column("STATUS", STR),
)

_PREVIOUS_APPLICATION_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_PREV", INT),
    Column("SK_ID_CURR", INT),
    Column("NAME_CONTRACT_TYPE", STR),
    Column("AMT_ANNUITY", FLOAT),
    Column("AMT_APPLICATION", FLOAT),
    Column("AMT_CREDIT", FLOAT),
    Column("AMT_DOWN_PAYMENT", FLOAT),
    Column("AMT_GOODS_PRICE", FLOAT),
    Column("WEEKDAY_APPR_PROCESS_START", STR),
    Column("HOUR_APPR_PROCESS_START", INT),
    Column("FLAG_LAST_APPL_PER_CONTRACT", STR),
    Column("NFLAG_LAST_APPL_IN_DAY", INT),
    Column("RATE_DOWN_PAYMENT", FLOAT),
    Column("RATE_INTEREST_PRIMARY", FLOAT),
    Column("RATE_INTEREST_PRIVILEGED", FLOAT),
    Column("NAME_CASH_LOAN_PURPOSE", STR),
    Column("NAME_CONTRACT_STATUS", STR),
    Column("DAYS_DECISION", INT),
    Column("NAME_PAYMENT_TYPE", STR),
    Column("CODE_REJECT_REASON", STR),
    Column("NAME_TYPE_SUITE", STR),
    Column("NAME_CLIENT_TYPE", STR),
    Column("NAME_GOODS_CATEGORY", STR),
    Column("NAME_PORTFOLIO", STR),
    Column("NAME_PRODUCT_TYPE", STR),
    Column("CHANNEL_TYPE", STR),
    Column("SELLERPLACE_AREA", INT),
    Column("NAME_SELLER_INDUSTRY", STR),
    Column("CNT_PAYMENT", FLOAT),
    Column("NAME_YIELD_GROUP", STR),
    Column("PRODUCT_COMBINATION", STR),
    Column("DAYS_FIRST_DRAWING", FLOAT),
    Column("DAYS_FIRST_DUE", FLOAT),
    Column("DAYS_LAST_DUE_1ST_VERSION", FLOAT),
    Column("DAYS_LAST_DUE", FLOAT),
    Column("DAYS_TERMINATION", FLOAT),
    Column("NFLAG_INSURED_ON_APPROVAL", FLOAT),
)

_POS_CASH_BALANCE_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_PREV", INT),
    Column("SK_ID_CURR", INT),
    Column("MONTHS_BALANCE", INT),
    Column("CNT_INSTALMENT", FLOAT),
    Column("CNT_INSTALMENT_FUTURE", FLOAT),
    Column("NAME_CONTRACT_STATUS", STR),
    Column("SK_DPD", INT),
    Column("SK_DPD_DEF", INT),
)

_INSTALLMENTS_PAYMENTS_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_PREV", INT),
    Column("SK_ID_CURR", INT),
    Column("NUM_INSTALMENT_VERSION", FLOAT),
    Column("NUM_INSTALMENT_NUMBER", INT),
    Column("DAYS_INSTALMENT", FLOAT),
    Column("DAYS_ENTRY_PAYMENT", FLOAT),
    Column("AMT_INSTALMENT", FLOAT),
    Column("AMT_PAYMENT", FLOAT),
)

_CREDIT_CARD_BALANCE_COLUMNS: tuple[Column, ...] = (
    Column("SK_ID_PREV", INT),
    Column("SK_ID_CURR", INT),
    Column("MONTHS_BALANCE", INT),
    Column("AMT_BALANCE", FLOAT),
    Column("AMT_CREDIT_LIMIT_ACTUAL", INT),
    Column("AMT_DRAWINGS_ATM_CURRENT", FLOAT),
    Column("AMT_DRAWINGS_CURRENT", FLOAT),
    Column("AMT_DRAWINGS_OTHER_CURRENT", FLOAT),
    Column("AMT_DRAWINGS_POS_CURRENT", FLOAT),
    Column("AMT_INST_MIN_REGULARITY", FLOAT),
    Column("AMT_PAYMENT_CURRENT", FLOAT),
    Column("AMT_PAYMENT_TOTAL_CURRENT", FLOAT),
    Column("AMT_RECEIVABLE_PRINCIPAL", FLOAT),
    Column("AMT_RECIVABLE", FLOAT),
    Column("AMT_TOTAL_RECEIVABLE", FLOAT),
    Column("CNT_DRAWINGS_ATM_CURRENT", FLOAT),
    Column("CNT_DRAWINGS_CURRENT", INT),
    Column("CNT_DRAWINGS_OTHER_CURRENT", FLOAT),
    Column("CNT_DRAWINGS_POS_CURRENT", FLOAT),
    Column("CNT_INSTALMENT_MATURE_CUM", FLOAT),
    Column("NAME_CONTRACT_STATUS", STR),
    Column("SK_DPD", INT),
    Column("SK_DPD_DEF", INT),
)
APPLICATION = Table(
    name="application",
    file_names=("application_train.csv", "application_test.csv"),
    columns=_APPLICATION_TRAIN_COLUMNS,
    natural_key=("SK_ID_CURR",),
    parent=None,
    optional_columns=("TARGET",),
)
BUREAU = Table(
    name="bureau",
    file_names=("bureau.csv",),
    columns=_BUREAU_COLUMNS,
    natural_key=("SK_ID_BUREAU",),
    parent=("SK_ID_CURR", "application"),
)
BUREAU_BALANCE = Table(
    name="bureau_balance",
    file_names=("bureau_balance.csv",),
    columns=_BUREAU_BALANCE_COLUMNS,
    natural_key=("SK_ID_BUREAU", "MONTHS_BALANCE"),
    parent=("SK_ID_BUREAU", "bureau"),
)
PREVIOUS_APPLICATION = Table(
    name="previous_application",
    file_names=("previous_application.csv",),
    columns=_PREVIOUS_APPLICATION_COLUMNS,
    natural_key=("SK_ID_PREV",),
    parent=("SK_ID_CURR", "application"),
)
# SK_ID_PREV in the three monthly tables is not a reliable link: in the full
# Kaggle data some of their loans are missing from previous_application. They
# hang off the client (SK_ID_CURR) instead.
POS_CASH_BALANCE = Table(
    name="POS_CASH_balance",
    file_names=("POS_CASH_balance.csv",),
    columns=_POS_CASH_BALANCE_COLUMNS,
    natural_key=None,
    parent=("SK_ID_CURR", "application"),
)
INSTALLMENTS_PAYMENTS = Table(
    name="installments_payments",
    file_names=("installments_payments.csv",),
    columns=_INSTALLMENTS_PAYMENTS_COLUMNS,
    natural_key=None,
    parent=("SK_ID_CURR", "application"),
)
CREDIT_CARD_BALANCE = Table(
    name="credit_card_balance",
    file_names=("credit_card_balance.csv",),
    columns=_CREDIT_CARD_BALANCE_COLUMNS,
    natural_key=None,
    parent=("SK_ID_CURR", "application"),
)

# In load order: a parent always comes before the tables that point to it.
TABLES: tuple[Table, ...] = (
    APPLICATION,
    BUREAU,
    BUREAU_BALANCE,
    PREVIOUS_APPLICATION,
    POS_CASH_BALANCE,
    INSTALLMENTS_PAYMENTS,
    CREDIT_CARD_BALANCE,
)
TABLES_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def table_for_file(file_name: str) -> Table | None:
    """The table a Kaggle file name belongs to (".gz" accepted), or None."""
    stem = file_name.removesuffix(".gz")
    for table in TABLES:
        if stem in table.file_names:
            return table
    return None

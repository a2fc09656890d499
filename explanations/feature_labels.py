"""Human-readable names, in English and French, of every feature the model sees.

Three families, three sources:

* raw application columns (AMT_CREDIT, NAME_EDUCATION_TYPE, ...): the labels
  of `clients.field_descriptions` (written from the official column
  descriptions), so the dashboard and the explanations name a column alike;
* engineered application features (APP_...): written here, one by one;
* history aggregates (BUREAU_, PREV_, POS_, INST_, CC_): composed from the
  declarations that drive their computation in `ml.features` (each module's
  `SCOPES` and `INPUTS`), as "<measure> (<statistic>, <rows>)", e.g.
  "Days late (average, instalments of the last 365 days)". Every input has
  its wording below; a feature declared in `ml` without wording here falls
  back to its English description (and a test fails, naming it).

`value_kind(feature)` says how a value of the feature reads (an amount, a
share, days before the application...), which `explanations.reasons` uses to
format values for people. `raw_fields(feature)` lists the raw Kaggle fields
("table.COLUMN") a feature is computed from.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from clients import field_descriptions
from ml import features as ml_features
from ml.features import application, bureau, credit_card, installments, pos_cash
from ml.features import previous_application as previous
from ml.features.aggregate import output_name

LANGUAGES = ("en", "fr")


def normalise_language(language: str | None) -> str:
    """'fr', 'fr-FR', 'fr_CA' -> 'fr'; anything we do not write in -> 'en'."""
    code = (language or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


class Text(NamedTuple):
    en: str
    fr: str


class Measure(NamedTuple):
    en: str
    fr: str
    kind: str


# ---------------------------------------------------------------------------
# Value kinds (how `explanations.reasons` formats a value)
# ---------------------------------------------------------------------------
AMOUNT = "amount"  # money, no currency in the data: grouped digits, no decimals
RATIO = "ratio"  # "5.2" (times)
SHARE = "share"  # 0..1 (or a little above) shown as a percentage
COUNT = "count"  # a number of things
DAYS = "days"  # a number of days (delays, gaps)
DAYS_BEFORE = "days_before"  # a date as days relative to the application (negative: before)
MONTHS_BEFORE = "months_before"  # a month relative to the application (negative: before)
YEARS = "years"  # a duration in years
SCORE = "score"  # an external score on a 0-1 scale
FLAG = "flag"  # 1/0
CATEGORY = "category"  # a text level
HOUR = "hour"  # hour of the day
NUMBER = "number"  # anything else


# ---------------------------------------------------------------------------
# Engineered application features
# ---------------------------------------------------------------------------
_APPLICATION: dict[str, Measure] = {
    "APP_CREDIT_TO_INCOME": Measure(
        "Credit amount / annual income", "Montant du crédit / revenu annuel", RATIO
    ),
    "APP_ANNUITY_TO_INCOME": Measure(
        "Repayment instalment / annual income", "Échéance / revenu annuel", SHARE
    ),
    "APP_ANNUITY_TO_CREDIT": Measure(
        "Repayment instalment / credit amount",
        "Échéance / montant du crédit",
        SHARE,
    ),
    "APP_CREDIT_TERM": Measure(
        "Credit term (number of instalments)", "Durée du crédit (nombre d'échéances)", COUNT
    ),
    "APP_GOODS_TO_CREDIT": Measure(
        "Goods price / credit amount", "Prix du bien / montant du crédit", SHARE
    ),
    "APP_CREDIT_MINUS_GOODS": Measure(
        "Credit beyond the goods price", "Crédit au-delà du prix du bien", AMOUNT
    ),
    "APP_INCOME_PER_PERSON": Measure(
        "Income per family member", "Revenu par membre de la famille", AMOUNT
    ),
    "APP_CHILDREN_SHARE": Measure(
        "Children / family members", "Enfants / membres de la famille", SHARE
    ),
    "APP_AGE_YEARS": Measure("Age", "Âge", YEARS),
    "APP_YEARS_EMPLOYED": Measure(
        "Time in current employment", "Ancienneté dans l'emploi actuel", YEARS
    ),
    "APP_NOT_EMPLOYED": Measure(
        "Not employed (pensioner or unemployed)", "Sans emploi (retraité ou sans activité)", FLAG
    ),
    "APP_EMPLOYED_TO_AGE": Measure(
        "Share of life in current employment", "Part de la vie dans l'emploi actuel", SHARE
    ),
    "APP_REGISTRATION_TO_AGE": Measure(
        "Time since registration change / age",
        "Ancienneté de l'enregistrement / âge",
        SHARE,
    ),
    "APP_ID_PUBLISH_TO_AGE": Measure(
        "Time since identity document change / age",
        "Ancienneté de la pièce d'identité / âge",
        SHARE,
    ),
    "APP_PHONE_CHANGE_TO_AGE": Measure(
        "Time since phone change / age", "Ancienneté du téléphone / âge", SHARE
    ),
    "APP_CAR_AGE_TO_AGE": Measure(
        "Car age / client age", "Âge de la voiture / âge du client", SHARE
    ),
    "APP_EXT_SOURCE_MEAN": Measure("External scores (average)", "Scores externes (moyenne)", SCORE),
    "APP_EXT_SOURCE_MIN": Measure(
        "External scores (lowest)", "Scores externes (le plus bas)", SCORE
    ),
    "APP_EXT_SOURCE_MAX": Measure(
        "External scores (highest)", "Scores externes (le plus haut)", SCORE
    ),
    "APP_EXT_SOURCE_PROD": Measure(
        "External scores (product of the three)", "Scores externes (produit des trois)", SCORE
    ),
    "APP_EXT_SOURCE_COUNT": Measure("External scores known", "Scores externes connus", COUNT),
    "APP_DOCUMENT_COUNT": Measure("Documents provided", "Documents fournis", COUNT),
    "APP_CONTACT_COUNT": Measure("Phones and e-mail given", "Téléphones et e-mail fournis", COUNT),
    "APP_ADDRESS_MISMATCH_COUNT": Measure(
        "Address mismatches (home, contact, work)",
        "Adresses discordantes (domicile, contact, travail)",
        COUNT,
    ),
    "APP_BUREAU_ENQUIRIES_TOTAL": Measure(
        "Credit bureau enquiries (year before applying)",
        "Consultations du bureau de crédit (année précédant la demande)",
        COUNT,
    ),
    "APP_SOCIAL_DEFAULT_30_SHARE": Measure(
        "Defaults in social circle (30 days past due)",
        "Défauts dans l'entourage (30 jours de retard)",
        SHARE,
    ),
    "APP_SOCIAL_DEFAULT_60_SHARE": Measure(
        "Defaults in social circle (60 days past due)",
        "Défauts dans l'entourage (60 jours de retard)",
        SHARE,
    ),
}


def _raw_application_kind(column: str) -> str:
    if column in application.CATEGORICAL_COLUMNS:
        return CATEGORY
    if column.startswith("AMT_REQ_CREDIT_BUREAU_"):
        return COUNT
    if column.startswith("AMT_"):
        return AMOUNT
    if column == "DAYS_BIRTH":
        return DAYS_BEFORE
    if column.startswith("DAYS_"):
        return DAYS_BEFORE
    if column.startswith("EXT_SOURCE_"):
        return SCORE
    if column == "OWN_CAR_AGE":
        return YEARS
    if column.startswith(("CNT_", "OBS_", "DEF_")):
        return COUNT
    if column.startswith("FLAG_") or "_NOT_" in column:
        return FLAG
    if column == "HOUR_APPR_PROCESS_START":
        return HOUR
    return NUMBER


# ---------------------------------------------------------------------------
# History aggregates: the rows each scope covers, and each input's wording
# ---------------------------------------------------------------------------
class Rows(NamedTuple):
    """What a scope's rows are: named in full (amounts) and as a qualifier (flags)."""

    en: str
    fr: str
    qualifier_en: str
    qualifier_fr: str


_SCOPE_ROWS: dict[str, Rows] = {
    "BUREAU_": Rows("bureau credits", "crédits déclarés au bureau", "", ""),
    "BUREAU_ACTIVE_": Rows(
        "active bureau credits", "crédits en cours déclarés au bureau", "active", "en cours"
    ),
    "BUREAU_CLOSED_": Rows(
        "closed bureau credits", "crédits clos déclarés au bureau", "closed", "clos"
    ),
    "PREV_": Rows("previous applications", "demandes précédentes", "", ""),
    "PREV_APPROVED_": Rows(
        "approved previous applications", "demandes précédentes acceptées", "approved", "acceptées"
    ),
    "PREV_REFUSED_": Rows(
        "refused previous applications", "demandes précédentes refusées", "refused", "refusées"
    ),
    "POS_": Rows("POS/cash loan statements", "relevés de prêts point de vente/espèces", "", ""),
    "POS_RECENT_": Rows(
        "POS/cash loan statements of the last 12 months",
        "relevés de prêts point de vente/espèces des 12 derniers mois",
        "last 12 months",
        "12 derniers mois",
    ),
    "INST_": Rows("instalments of previous loans", "échéances des prêts précédents", "", ""),
    "INST_365_": Rows(
        "instalments of the last 365 days",
        "échéances des 365 derniers jours",
        "last 365 days",
        "365 derniers jours",
    ),
    "INST_LAST3_": Rows(
        "last 3 instalments of each loan",
        "3 dernières échéances de chaque prêt",
        "last 3 of each loan",
        "3 dernières de chaque prêt",
    ),
    "CC_": Rows("credit card statements", "relevés de carte de crédit", "", ""),
    "CC_RECENT_": Rows(
        "credit card statements of the last 12 months",
        "relevés de carte de crédit des 12 derniers mois",
        "last 12 months",
        "12 derniers mois",
    ),
}

_STATISTIC: dict[str, Text] = {
    "min": Text("lowest", "minimum"),
    "max": Text("highest", "maximum"),
    "mean": Text("average", "moyenne"),
    "sum": Text("total", "total"),
    "std": Text("spread", "dispersion"),
}
_FLAG_STATISTIC: dict[str, Text] = {"sum": Text("number", "nombre"), "mean": Text("share", "part")}

_BB_STATUS_WORDS: dict[str, Text] = {
    "0": Text("with no delay", "sans retard"),
    "1": Text("1-30 days late", "avec 1 à 30 jours de retard"),
    "2": Text("31-60 days late", "avec 31 à 60 jours de retard"),
    "3": Text("61-90 days late", "avec 61 à 90 jours de retard"),
    "4": Text("91-120 days late", "avec 91 à 120 jours de retard"),
    "5": Text("over 120 days late or written off", "avec plus de 120 jours de retard ou en perte"),
    "C": Text("closed", "clôturés"),
    "X": Text("of unknown status", "au statut inconnu"),
}

# (module prefix, input name) -> wording. Amount inputs name a measure; flag inputs
# name the rows that have the property (counted or shared).
_INPUTS: dict[tuple[str, str], Measure] = {
    # bureau + bureau_balance
    ("BUREAU_", "DAYS_CREDIT"): Measure("Credit opened", "Ouverture du crédit", DAYS_BEFORE),
    ("BUREAU_", "CREDIT_DAY_OVERDUE"): Measure("Days overdue", "Jours de retard", DAYS),
    ("BUREAU_", "DAYS_CREDIT_ENDDATE"): Measure("Planned end", "Fin prévue", DAYS_BEFORE),
    ("BUREAU_", "DAYS_ENDDATE_FACT"): Measure("Actual end", "Fin effective", DAYS_BEFORE),
    ("BUREAU_", "AMT_CREDIT_MAX_OVERDUE"): Measure(
        "Largest amount ever overdue", "Plus gros montant jamais impayé", AMOUNT
    ),
    ("BUREAU_", "CNT_CREDIT_PROLONG"): Measure("Prolongations", "Prolongations", COUNT),
    ("BUREAU_", "AMT_CREDIT_SUM"): Measure("Credit amount", "Montant du crédit", AMOUNT),
    ("BUREAU_", "AMT_CREDIT_SUM_DEBT"): Measure("Outstanding debt", "Dette restante", AMOUNT),
    ("BUREAU_", "AMT_CREDIT_SUM_LIMIT"): Measure(
        "Credit card limit", "Plafond de carte de crédit", AMOUNT
    ),
    ("BUREAU_", "AMT_CREDIT_SUM_OVERDUE"): Measure("Amount overdue", "Montant en retard", AMOUNT),
    ("BUREAU_", "DAYS_CREDIT_UPDATE"): Measure(
        "Last bureau update", "Dernière mise à jour au bureau", DAYS_BEFORE
    ),
    ("BUREAU_", "AMT_ANNUITY"): Measure("Repayment instalment", "Échéance", AMOUNT),
    ("BUREAU_", "DEBT_TO_CREDIT"): Measure(
        "Outstanding debt / credit amount", "Dette restante / montant du crédit", SHARE
    ),
    ("BUREAU_", "OVERDUE_TO_DEBT"): Measure(
        "Amount overdue / debt", "Montant en retard / dette", SHARE
    ),
    ("BUREAU_", "CREDIT_DURATION"): Measure("Planned duration", "Durée prévue", DAYS),
    ("BUREAU_", "ENDDATE_GAP"): Measure(
        "Actual end minus planned end (days)", "Fin effective moins fin prévue (jours)", DAYS
    ),
    ("BUREAU_", "ACTIVE"): Measure(
        "Bureau credits still active", "Crédits déclarés au bureau encore en cours", FLAG
    ),
    ("BUREAU_", "CLOSED"): Measure(
        "Bureau credits closed", "Crédits déclarés au bureau clos", FLAG
    ),
    ("BUREAU_", "SOLD_OR_BAD_DEBT"): Measure(
        "Bureau credits sold or written off",
        "Crédits déclarés au bureau cédés ou passés en perte",
        FLAG,
    ),
    ("BUREAU_", "OVERDUE"): Measure(
        "Bureau credits overdue", "Crédits déclarés au bureau en retard", FLAG
    ),
    ("BUREAU_", "PROLONGED"): Measure(
        "Bureau credits prolonged", "Crédits déclarés au bureau prolongés", FLAG
    ),
    ("BUREAU_", "TYPE_CONSUMER_CREDIT"): Measure(
        "Consumer credits at the bureau", "Crédits à la consommation déclarés au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_CREDIT_CARD"): Measure(
        "Credit cards at the bureau", "Cartes de crédit déclarées au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_CAR_LOAN"): Measure(
        "Car loans at the bureau", "Prêts auto déclarés au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_MORTGAGE"): Measure(
        "Mortgages at the bureau", "Prêts immobiliers déclarés au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_MICROLOAN"): Measure(
        "Microloans at the bureau", "Microcrédits déclarés au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_BUSINESS_LOAN"): Measure(
        "Business loans at the bureau", "Prêts professionnels déclarés au bureau", FLAG
    ),
    ("BUREAU_", "TYPE_OTHER"): Measure(
        "Other credits at the bureau", "Autres crédits déclarés au bureau", FLAG
    ),
    ("BUREAU_", "BB_MONTHS"): Measure("Months reported", "Mois déclarés", COUNT),
    **{
        ("BUREAU_", f"BB_STATUS_{status}"): Measure(f"Months {words.en}", f"Mois {words.fr}", COUNT)
        for status, words in _BB_STATUS_WORDS.items()
    },
    **{
        ("BUREAU_", f"BB_SHARE_{status}"): Measure(
            f"Share of months {words.en}", f"Part des mois {words.fr}", SHARE
        )
        for status, words in _BB_STATUS_WORDS.items()
    },
    ("BUREAU_", "BB_LATE_MONTHS"): Measure("Months late", "Mois en retard", COUNT),
    ("BUREAU_", "BB_LATE_SHARE"): Measure("Share of months late", "Part des mois en retard", SHARE),
    ("BUREAU_", "BB_WORST_STATUS"): Measure(
        "Worst monthly delay status (0-5)", "Pire statut de retard mensuel (0-5)", NUMBER
    ),
    ("BUREAU_", "BB_LAST_LATE_MONTH"): Measure(
        "Last month late", "Dernier mois en retard", MONTHS_BEFORE
    ),
    # previous_application
    ("PREV_", "AMT_ANNUITY"): Measure("Repayment instalment", "Échéance", AMOUNT),
    ("PREV_", "AMT_APPLICATION"): Measure("Amount asked for", "Montant demandé", AMOUNT),
    ("PREV_", "AMT_CREDIT"): Measure("Amount granted", "Montant accordé", AMOUNT),
    ("PREV_", "AMT_DOWN_PAYMENT"): Measure("Down payment", "Apport", AMOUNT),
    ("PREV_", "AMT_GOODS_PRICE"): Measure("Goods price", "Prix du bien", AMOUNT),
    ("PREV_", "HOUR_APPR_PROCESS_START"): Measure("Application hour", "Heure de la demande", HOUR),
    ("PREV_", "RATE_DOWN_PAYMENT"): Measure("Down payment rate", "Taux d'apport", SHARE),
    ("PREV_", "DAYS_DECISION"): Measure("Decision", "Décision", DAYS_BEFORE),
    ("PREV_", "CNT_PAYMENT"): Measure("Number of instalments", "Nombre d'échéances", COUNT),
    ("PREV_", "NFLAG_INSURED_ON_APPROVAL"): Measure(
        "Insurance requested", "Assurance demandée", SHARE
    ),
    ("PREV_", "DAYS_FIRST_DRAWING"): Measure("First drawing", "Premier tirage", DAYS_BEFORE),
    ("PREV_", "DAYS_FIRST_DUE"): Measure("First due date", "Première échéance", DAYS_BEFORE),
    ("PREV_", "DAYS_LAST_DUE_1ST_VERSION"): Measure(
        "Last due date first planned", "Dernière échéance prévue initialement", DAYS_BEFORE
    ),
    ("PREV_", "DAYS_LAST_DUE"): Measure("Last due date", "Dernière échéance", DAYS_BEFORE),
    ("PREV_", "DAYS_TERMINATION"): Measure(
        "Expected termination", "Fin prévue du contrat", DAYS_BEFORE
    ),
    ("PREV_", "APPLICATION_TO_CREDIT"): Measure(
        "Amount asked / amount granted", "Montant demandé / montant accordé", RATIO
    ),
    ("PREV_", "DOWN_PAYMENT_TO_CREDIT"): Measure(
        "Down payment / amount granted", "Apport / montant accordé", SHARE
    ),
    ("PREV_", "ANNUITY_TO_CREDIT"): Measure(
        "Instalment / amount granted", "Échéance / montant accordé", SHARE
    ),
    ("PREV_", "CREDIT_TO_GOODS"): Measure(
        "Amount granted / goods price", "Montant accordé / prix du bien", RATIO
    ),
    ("PREV_", "INTEREST_SHARE"): Measure("Interest share", "Part des intérêts", SHARE),
    ("PREV_", "ENDED_EARLY_DAYS"): Measure(
        "Days ended ahead of plan", "Jours de fin anticipée", DAYS
    ),
    ("PREV_", "APPROVED"): Measure(
        "Previous applications approved", "Demandes précédentes acceptées", FLAG
    ),
    ("PREV_", "REFUSED"): Measure(
        "Previous applications refused", "Demandes précédentes refusées", FLAG
    ),
    ("PREV_", "CANCELED"): Measure(
        "Previous applications cancelled by the client",
        "Demandes précédentes annulées par le client",
        FLAG,
    ),
    ("PREV_", "UNUSED_OFFER"): Measure(
        "Previous offers left unused", "Offres précédentes non utilisées", FLAG
    ),
    ("PREV_", "TYPE_CASH"): Measure(
        "Previous applications for cash loans", "Demandes précédentes de prêt personnel", FLAG
    ),
    ("PREV_", "TYPE_CONSUMER"): Measure(
        "Previous applications for consumer loans",
        "Demandes précédentes de crédit à la consommation",
        FLAG,
    ),
    ("PREV_", "TYPE_REVOLVING"): Measure(
        "Previous applications for revolving credit",
        "Demandes précédentes de crédit renouvelable",
        FLAG,
    ),
    ("PREV_", "NEW_CLIENT"): Measure(
        "Previous applications as a new client",
        "Demandes précédentes en tant que nouveau client",
        FLAG,
    ),
    ("PREV_", "YIELD_HIGH"): Measure(
        "Previous applications at a high interest rate",
        "Demandes précédentes à taux d'intérêt élevé",
        FLAG,
    ),
    ("PREV_", "RUNNING"): Measure(
        "Previous loans still running", "Prêts précédents encore en cours", FLAG
    ),
    # POS_CASH_balance
    ("POS_", "MONTHS_BALANCE"): Measure("Statement month", "Mois du relevé", MONTHS_BEFORE),
    ("POS_", "CNT_INSTALMENT"): Measure(
        "Loan term (instalments)", "Durée du prêt (échéances)", COUNT
    ),
    ("POS_", "CNT_INSTALMENT_FUTURE"): Measure(
        "Instalments left to pay", "Échéances restant à payer", COUNT
    ),
    ("POS_", "SK_DPD"): Measure("Days past due", "Jours de retard", DAYS),
    ("POS_", "SK_DPD_DEF"): Measure(
        "Days past due (small debts ignored)", "Jours de retard (petites dettes ignorées)", DAYS
    ),
    ("POS_", "DPD_POSITIVE"): Measure(
        "POS/cash loan statements with a delay",
        "Relevés de prêts point de vente/espèces avec retard",
        FLAG,
    ),
    ("POS_", "DPD_DEF_POSITIVE"): Measure(
        "POS/cash loan statements with a delay (small debts ignored)",
        "Relevés de prêts point de vente/espèces avec retard (petites dettes ignorées)",
        FLAG,
    ),
    # installments_payments
    ("INST_", "DPD"): Measure("Days late", "Jours de retard", DAYS),
    ("INST_", "DBD"): Measure("Days paid early", "Jours d'avance", DAYS),
    ("INST_", "PAYMENT_RATIO"): Measure(
        "Amount paid / amount due", "Montant payé / montant dû", SHARE
    ),
    ("INST_", "PAYMENT_DIFF"): Measure(
        "Amount due minus amount paid", "Montant dû moins montant payé", AMOUNT
    ),
    ("INST_", "AMT_INSTALMENT"): Measure("Amount due", "Montant dû", AMOUNT),
    ("INST_", "AMT_PAYMENT"): Measure("Amount paid", "Montant payé", AMOUNT),
    ("INST_", "DAYS_ENTRY_PAYMENT"): Measure("Payment date", "Date de paiement", DAYS_BEFORE),
    ("INST_", "DAYS_INSTALMENT"): Measure("Due date", "Date d'échéance", DAYS_BEFORE),
    ("INST_", "LATE"): Measure("Instalments paid late", "Échéances payées en retard", FLAG),
    ("INST_", "LATE_30"): Measure(
        "Instalments paid over 30 days late",
        "Échéances payées avec plus de 30 jours de retard",
        FLAG,
    ),
    ("INST_", "UNDERPAID"): Measure(
        "Instalments paid short of the amount due", "Échéances payées partiellement", FLAG
    ),
    ("INST_", "UNPAID"): Measure("Instalments without a payment", "Échéances sans paiement", FLAG),
    # credit_card_balance
    ("CC_", "MONTHS_BALANCE"): Measure("Statement month", "Mois du relevé", MONTHS_BEFORE),
    ("CC_", "AMT_BALANCE"): Measure("Card balance", "Solde de la carte", AMOUNT),
    ("CC_", "AMT_CREDIT_LIMIT_ACTUAL"): Measure("Card limit", "Plafond de la carte", AMOUNT),
    ("CC_", "AMT_DRAWINGS_CURRENT"): Measure(
        "Drawings in the month", "Retraits et achats du mois", AMOUNT
    ),
    ("CC_", "AMT_DRAWINGS_ATM_CURRENT"): Measure(
        "Cash withdrawals in the month", "Retraits d'espèces du mois", AMOUNT
    ),
    ("CC_", "AMT_DRAWINGS_POS_CURRENT"): Measure(
        "Purchases in the month", "Achats du mois", AMOUNT
    ),
    ("CC_", "AMT_INST_MIN_REGULARITY"): Measure(
        "Minimum payment of the month", "Paiement minimum du mois", AMOUNT
    ),
    ("CC_", "AMT_PAYMENT_CURRENT"): Measure("Payment of the month", "Paiement du mois", AMOUNT),
    ("CC_", "AMT_PAYMENT_TOTAL_CURRENT"): Measure(
        "Total payment of the month", "Paiement total du mois", AMOUNT
    ),
    ("CC_", "AMT_TOTAL_RECEIVABLE"): Measure("Total amount owed", "Montant total dû", AMOUNT),
    ("CC_", "CNT_DRAWINGS_CURRENT"): Measure(
        "Drawings in the month (number)", "Retraits et achats du mois (nombre)", COUNT
    ),
    ("CC_", "CNT_DRAWINGS_ATM_CURRENT"): Measure(
        "Cash withdrawals in the month (number)", "Retraits d'espèces du mois (nombre)", COUNT
    ),
    ("CC_", "CNT_INSTALMENT_MATURE_CUM"): Measure(
        "Instalments paid so far", "Échéances déjà payées", COUNT
    ),
    ("CC_", "SK_DPD"): Measure("Days past due", "Jours de retard", DAYS),
    ("CC_", "SK_DPD_DEF"): Measure(
        "Days past due (small debts ignored)", "Jours de retard (petites dettes ignorées)", DAYS
    ),
    ("CC_", "UTILISATION"): Measure("Card utilisation", "Utilisation de la carte", SHARE),
    ("CC_", "DRAWINGS_TO_LIMIT"): Measure(
        "Drawings / card limit", "Retraits et achats / plafond", SHARE
    ),
    ("CC_", "PAYMENT_TO_MIN"): Measure(
        "Payment / minimum payment", "Paiement / paiement minimum", RATIO
    ),
    ("CC_", "BELOW_MIN"): Measure(
        "Card statements paid below the minimum", "Relevés de carte payés sous le minimum", FLAG
    ),
    ("CC_", "OVER_LIMIT"): Measure(
        "Card statements over the limit", "Relevés de carte au-dessus du plafond", FLAG
    ),
    ("CC_", "DPD_POSITIVE"): Measure(
        "Card statements with a payment delay", "Relevés de carte avec retard de paiement", FLAG
    ),
}

# History features declared one by one (not through a scope).
_HISTORY_SINGLES: dict[str, Measure] = {
    "BUREAU_COUNT": Measure(
        "Credits known to the credit bureau", "Crédits connus du bureau de crédit", COUNT
    ),
    "BUREAU_DEBT_TO_CREDIT_TOTAL": Measure(
        "Outstanding debt / credit amount (all bureau credits)",
        "Dette restante / montant des crédits (tous les crédits déclarés au bureau)",
        SHARE,
    ),
    "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL": Measure(
        "Outstanding debt / credit amount (active bureau credits)",
        "Dette restante / montant des crédits (crédits en cours déclarés au bureau)",
        SHARE,
    ),
    "BUREAU_OVERDUE_TO_DEBT_TOTAL": Measure(
        "Amount overdue / outstanding debt (bureau credits)",
        "Montant en retard / dette restante (crédits déclarés au bureau)",
        SHARE,
    ),
    "BUREAU_BB_CREDITS_COUNT": Measure(
        "Bureau credits with a monthly history",
        "Crédits déclarés au bureau avec historique mensuel",
        COUNT,
    ),
    "PREV_COUNT": Measure("Previous applications with us", "Demandes précédentes chez nous", COUNT),
    "POS_COUNT": Measure(
        "POS/cash loan statements", "Relevés de prêts point de vente/espèces", COUNT
    ),
    "POS_LOANS_COUNT": Measure(
        "Previous POS/cash loans", "Prêts point de vente/espèces précédents", COUNT
    ),
    "POS_RECENT_COUNT": Measure(
        "POS/cash loan statements (last 12 months)",
        "Relevés de prêts point de vente/espèces (12 derniers mois)",
        COUNT,
    ),
    "POS_ACTIVE_LOANS_COUNT": Measure(
        "Active POS/cash loans", "Prêts point de vente/espèces en cours", COUNT
    ),
    "POS_COMPLETED_LOANS_COUNT": Measure(
        "Completed POS/cash loans", "Prêts point de vente/espèces terminés", COUNT
    ),
    "POS_ACTIVE_REMAINING_INSTALMENTS_SUM": Measure(
        "Instalments left on active POS/cash loans",
        "Échéances restantes des prêts point de vente/espèces en cours",
        COUNT,
    ),
    "POS_LOAN_REMAINING_SHARE_MEAN": Measure(
        "Share of the term left (POS/cash loans, average)",
        "Part de la durée restante (prêts point de vente/espèces, moyenne)",
        SHARE,
    ),
    "INST_COUNT": Measure("Instalments of previous loans", "Échéances des prêts précédents", COUNT),
    "INST_LOANS_COUNT": Measure(
        "Previous loans with instalments", "Prêts précédents avec échéances", COUNT
    ),
    "INST_365_COUNT": Measure(
        "Instalments due in the last 365 days", "Échéances des 365 derniers jours", COUNT
    ),
    "CC_COUNT": Measure("Credit card statements", "Relevés de carte de crédit", COUNT),
    "CC_LOANS_COUNT": Measure("Previous credit cards", "Cartes de crédit précédentes", COUNT),
    "CC_RECENT_COUNT": Measure(
        "Credit card statements (last 12 months)",
        "Relevés de carte de crédit (12 derniers mois)",
        COUNT,
    ),
    "CC_LAST_BALANCE_SUM": Measure(
        "Balance owed on all cards (latest statement)",
        "Solde dû sur toutes les cartes (dernier relevé)",
        AMOUNT,
    ),
    "CC_LAST_UTILISATION_MEAN": Measure(
        "Card utilisation (latest statement, average)",
        "Utilisation des cartes (dernier relevé, moyenne)",
        SHARE,
    ),
}

HISTORY_MODULES = (bureau, previous, pos_cash, installments, credit_card)


def _history_labels() -> dict[str, Measure]:
    labels: dict[str, Measure] = dict(_HISTORY_SINGLES)
    for module in HISTORY_MODULES:
        for scope in module.SCOPES:
            rows = _SCOPE_ROWS.get(scope.prefix)
            for input_name, funcs in scope.aggregates.items():
                measure = _INPUTS.get((module.PREFIX, input_name))
                if rows is None or measure is None:
                    continue  # no wording: the English description stands in (a test says so)
                for func in funcs:
                    name = output_name(scope, input_name, func, module.INPUTS)
                    if measure.kind == FLAG:
                        statistic = _FLAG_STATISTIC[func]
                        en = f"{measure.en} ({statistic.en}"
                        fr = f"{measure.fr} ({statistic.fr}"
                        if rows.qualifier_en:
                            en += f", {rows.qualifier_en}"
                            fr += f", {rows.qualifier_fr}"
                        kind = SHARE if func == "mean" else COUNT
                        labels[name] = Measure(en + ")", fr + ")", kind)
                    else:
                        statistic = _STATISTIC[func]
                        kind = measure.kind
                        if func == "std" and kind in (DAYS_BEFORE, MONTHS_BEFORE):
                            kind = DAYS if kind == DAYS_BEFORE else NUMBER
                        labels[name] = Measure(
                            f"{measure.en} ({statistic.en}, {rows.en})",
                            f"{measure.fr} ({statistic.fr}, {rows.fr})",
                            kind,
                        )
    return labels


@cache
def _catalogue() -> dict[str, Measure]:
    """Every feature of `ml.features` with its wording (or None where we have none)."""
    history = _history_labels()
    catalogue: dict[str, Measure] = {}
    for name in ml_features.FEATURE_NAMES:
        if name in _APPLICATION:
            catalogue[name] = _APPLICATION[name]
        elif name in history:
            catalogue[name] = history[name]
        elif name in application.RAW_COLUMNS:
            catalogue[name] = Measure(
                field_descriptions.label(name, "en"),
                field_descriptions.label(name, "fr"),
                _raw_application_kind(name),
            )
    return catalogue


def has_label(feature: str) -> bool:
    """True when `feature` has a written label in both languages (not a fallback)."""
    measure = _catalogue().get(feature)
    return measure is not None and feature not in (measure.en, measure.fr)


def label(feature: str, language: str) -> str:
    """A short human-readable name of `feature` in `language` ("en" or "fr").

    Unknown to us: the English description from `ml.features`, else the name itself.
    """
    measure = _catalogue().get(feature)
    if measure is None:
        return ml_features.FEATURE_DESCRIPTIONS.get(feature, feature)
    return measure.fr if normalise_language(language) == "fr" else measure.en


def value_kind(feature: str) -> str:
    """How a value of `feature` reads: one of the kinds above (AMOUNT, SHARE, ...)."""
    measure = _catalogue().get(feature)
    return measure.kind if measure is not None else NUMBER


def raw_fields(feature: str) -> list[str]:
    """The raw Kaggle fields ("table.COLUMN") `feature` comes from; [] if unknown."""
    return list(ml_features.FEATURE_SOURCES.get(feature, []))


def labels(language: str) -> dict[str, str]:
    """Every feature of `ml.features` and its label in `language`."""
    return {name: label(name, language) for name in ml_features.FEATURE_NAMES}

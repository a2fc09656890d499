"""Plain-language reasons behind a score, in English and French.

`reasons_for(contributions, feature_values, language=...)` turns a score's SHAP
contributions (log-odds: positive raises the risk of default, negative lowers
it) into a few sentences a non-specialist understands, with the client's own
values formatted for the language:

    "The loan amount is 5.2 times your annual income, which increases the risk."
    "Le montant du crédit représente 5,2 fois votre revenu annuel, ce qui augmente le risque."

How a sentence is chosen:

* Features are taken by decreasing |contribution|, the strongest `top` that
  raise the risk and the strongest `top` that lower it; contributions below
  `MIN_CONTRIBUTION` are noise, not reasons.
* A feature with a template below says what the value means ("You have been
  in your current job for 2 years and 3 months"); every other feature gets a
  generic but readable sentence from its label and formatted value
  ("Outstanding debt (total, bureau credits): 312,500 — this increases the
  risk."). Missing values are said as such: a client without any row in a
  history table gets "No credit history is known at the credit bureau"
  rather than one sentence per empty aggregate.
* Features that tell the same story (the average, lowest and highest of the
  external scores; the history of one table when it is empty) share a topic,
  and a topic is said once per direction.

Gender (CODE_GENDER) is never given as a reason. Models trained since issue 9
do not use it at all (`ml.policy.EXCLUDED_ATTRIBUTES`: gender and family
status are not model inputs), so it has no contribution to tell; a model
version trained before may still carry it, and telling an applicant that
their gender raised (or lowered) their risk would be discriminatory and is
not something a lender may rely on (EU Directive 2004/113/EC, equal
treatment in access to services, applies to credit pricing). For such a
version it is left out of the sentences, and the next factor takes its
place; it stays, labelled, in the advisor's raw `contributions` of
`explanations.selectors.explanation_for_score`, so the score remains fully
accountable and auditable. The same rule applies to every feature in
`OMITTED_FROM_REASONS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import NamedTuple

from clients import field_descriptions
from explanations import feature_labels as fl
from ml.schema import DAYS_EMPLOYED_SENTINEL

REASONS_PER_DIRECTION = 3
# Below this (log-odds), a contribution moves the probability by a fraction of a
# percentage point: not something to tell anyone.
MIN_CONTRIBUTION = 1e-3
OMITTED_FROM_REASONS = frozenset({"CODE_GENDER"})

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
# French thousands separator: the narrow no-break space (as CLDR writes "250 000").
FRENCH_THOUSANDS = "\u202f"
FRENCH_BEFORE_PUNCTUATION = "\u00a0"  # "Âge : 34 ans"

HISTORY_PREFIXES = ("BUREAU_", "PREV_", "POS_", "INST_", "CC_")
# The count that is NaN when the client has no row at all in the module's table.
HISTORY_COUNT = {
    "BUREAU_": "BUREAU_COUNT",
    "PREV_": "PREV_COUNT",
    "POS_": "POS_COUNT",
    "INST_": "INST_COUNT",
    "CC_": "CC_COUNT",
}


# ---------------------------------------------------------------------------
# Formatting values for a language
# ---------------------------------------------------------------------------


def as_number(value: object) -> float | None:
    """The value as a finite float; None when missing, NaN, infinite or not a number."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def format_number(value: float, language: str, *, decimals: int = 1, trim: bool = True) -> str:
    """1234.5 -> "1,234.5" (en) / "1 234,5" (fr); trailing zeros dropped when `trim`."""
    text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "-0.0"):
        text = "0"
    if fl.normalise_language(language) == "fr":
        text = text.replace(",", FRENCH_THOUSANDS).replace(".", ",")
    return text


def format_amount(value: float, language: str) -> str:
    """An amount of money (the data has no currency): grouped digits, no decimals."""
    return format_number(round(value), language, decimals=0)


def format_percent(share: float, language: str) -> str:
    """0.234 -> "23%" (en) / "23 %" (fr); one decimal below 1% so that a little is not 0."""
    percent = share * 100
    decimals = 1 if 0 < abs(percent) < 1 else 0
    number = format_number(percent, language, decimals=decimals)
    return (
        f"{number}{FRENCH_THOUSANDS}%" if fl.normalise_language(language) == "fr" else f"{number}%"
    )


def _plural(count: float, singular: str, plural: str, language: str) -> str:
    # French uses the singular for 0 and 1 ("0 jour"), English only for 1.
    one = abs(count) < 2 if fl.normalise_language(language) == "fr" else abs(count) == 1
    return singular if one else plural


def _counted(count: float, en: tuple[str, str], fr: tuple[str, str], language: str) -> str:
    words = fr if fl.normalise_language(language) == "fr" else en
    return f"{format_number(count, language)} {_plural(count, *words, language)}"


def format_duration(days: float, language: str) -> str:
    """A length of time in days as people say it: "12 days", "8 months", "3 years and 2 months"."""
    days = abs(days)
    if days < 31:
        return _counted(round(days), ("day", "days"), ("jour", "jours"), language)
    months = round(days / DAYS_PER_MONTH)
    if months < 12:
        return _counted(months, ("month", "months"), ("mois", "mois"), language)
    years, months = divmod(months, 12)
    said = _counted(years, ("year", "years"), ("an", "ans"), language)
    if months == 0 or years >= 10:
        return said
    joiner = " et " if fl.normalise_language(language) == "fr" else " and "
    return said + joiner + _counted(months, ("month", "months"), ("mois", "mois"), language)


def format_value(feature: str, value: object, language: str) -> str:
    """The value of `feature` as a person reads it, following its kind (see feature_labels)."""
    french = fl.normalise_language(language) == "fr"
    kind = fl.value_kind(feature)
    if kind == fl.CATEGORY:
        if value is None:
            return "non renseigné" if french else "not provided"
        return field_descriptions.value_label(feature, value, language)
    number = as_number(value)
    if number is None:
        return "non renseigné" if french else "not provided"
    if kind == fl.AMOUNT:
        return format_amount(number, language)
    if kind == fl.SHARE:
        return format_percent(number, language)
    if kind == fl.RATIO:
        return format_number(number, language, decimals=2 if abs(number) < 10 else 1)
    if kind == fl.COUNT:
        return format_number(number, language, decimals=1)
    if kind == fl.DAYS:
        return _counted(round(number), ("day", "days"), ("jour", "jours"), language)
    if kind == fl.DAYS_BEFORE:
        if feature == "DAYS_EMPLOYED" and number == DAYS_EMPLOYED_SENTINEL:
            return "sans emploi" if french else "not employed"
        if round(number) == 0:
            return "le jour de la demande" if french else "on the day of the application"
        side = (
            ("avant" if number < 0 else "après")
            if french
            else ("before" if number < 0 else "after")
        )
        tail = "la demande" if french else "the application"
        return f"{format_duration(number, language)} {side} {tail}"
    if kind == fl.MONTHS_BEFORE:
        months = _counted(abs(round(number)), ("month", "months"), ("mois", "mois"), language)
        if french:
            return f"{months} {'avant' if number < 0 else 'après'} la demande"
        return f"{months} {'before' if number < 0 else 'after'} the application"
    if kind == fl.YEARS:
        return format_duration(number * DAYS_PER_YEAR, language)
    if kind == fl.SCORE:
        scale = "(échelle de 0 à 1)" if french else "(scale 0-1)"
        return f"{format_number(number, language, decimals=2, trim=False)} {scale}"
    if kind == fl.FLAG:
        yes = number >= 0.5
        return ("oui" if yes else "non") if french else ("yes" if yes else "no")
    if kind == fl.HOUR:
        return f"{int(number)}{FRENCH_BEFORE_PUNCTUATION}h" if french else f"{int(number)}:00"
    return format_number(number, language, decimals=2 if abs(number) < 100 else 0)


# ---------------------------------------------------------------------------
# Templates: what a value means, for the features people ask about
# ---------------------------------------------------------------------------


class Fact(NamedTuple):
    """What a feature says about the client, before saying which way it pushes the risk.

    `subject`: the text is a noun phrase ("Your education level (Secondary)")
    that takes the verb ("... increases the risk"), not a clause ("You are
    34 years old") followed by ", which increases the risk".
    """

    text: str
    subject: bool = False


class Say:
    """Formatting helpers bound to one language and one client's values."""

    def __init__(self, language: str, values: Mapping[str, object]) -> None:
        self.language = fl.normalise_language(language)
        self.french = self.language == "fr"
        self.values = values

    def pick(self, en: str, fr: str) -> str:
        return fr if self.french else en

    def number(self, value: float, decimals: int = 1) -> str:
        return format_number(value, self.language, decimals=decimals)

    def amount(self, value: float) -> str:
        return format_amount(value, self.language)

    def percent(self, share: float) -> str:
        return format_percent(share, self.language)

    def duration(self, days: float) -> str:
        return format_duration(days, self.language)

    def count(self, count: float, en: tuple[str, str], fr: tuple[str, str]) -> str:
        return _counted(count, en, fr, self.language)

    def days(self, count: float) -> str:
        return self.count(round(count), ("day", "days"), ("jour", "jours"))

    def score(self, value: float) -> str:
        return format_number(value, self.language, decimals=2, trim=False)

    def category(self, column: str, value: object) -> str:
        return field_descriptions.value_label(column, value, self.language)

    def number_of(self, feature: str) -> float | None:
        return as_number(self.values.get(feature))


Template = Callable[[Say, object], Fact | None]
_TEMPLATES: dict[str, Template] = {}
_TOPICS: dict[str, str] = {}


def template(*features: str, topic: str | None = None) -> Callable[[Template], Template]:
    """Register a sentence template for `features` (sharing `topic` when given)."""

    def register(function: Template) -> Template:
        for feature in features:
            _TEMPLATES[feature] = function
            if topic:
                _TOPICS[feature] = topic
        return function

    return register


# --- the credit asked for -------------------------------------------------


@template("APP_CREDIT_TO_INCOME", topic="credit_to_income")
def _credit_to_income(say: Say, value: object) -> Fact | None:
    ratio = as_number(value)
    if ratio is None:
        return None
    if ratio < 1:
        return Fact(
            say.pick(
                f"The loan amount is {say.percent(ratio)} of your annual income",
                f"Le montant du crédit représente {say.percent(ratio)} de votre revenu annuel",
            )
        )
    times = say.number(ratio, 1)
    return Fact(
        say.pick(
            f"The loan amount is {times} times your annual income",
            f"Le montant du crédit représente {times} fois votre revenu annuel",
        )
    )


@template("APP_ANNUITY_TO_INCOME", topic="annuity_to_income")
def _annuity_to_income(say: Say, value: object) -> Fact | None:
    share = as_number(value)
    if share is None:
        return None
    return Fact(
        say.pick(
            f"Each repayment instalment represents {say.percent(share)} of your annual income",
            f"Chaque échéance de remboursement représente {say.percent(share)} "
            "de votre revenu annuel",
        )
    )


@template("APP_CREDIT_TERM", "APP_ANNUITY_TO_CREDIT", topic="term")
def _credit_term(say: Say, value: object) -> Fact | None:
    term = say.number_of("APP_CREDIT_TERM")
    if term is None:
        rate = say.number_of("APP_ANNUITY_TO_CREDIT")
        term = 1 / rate if rate else None
    if term is None:
        return None
    instalments = round(term)
    return Fact(
        say.pick(
            f"The loan is repaid in about {instalments} instalments",
            f"Le crédit est remboursé en {instalments} échéances environ",
        )
    )


@template("APP_GOODS_TO_CREDIT", "APP_CREDIT_MINUS_GOODS", topic="goods")
def _goods_to_credit(say: Say, value: object) -> Fact | None:
    credit = say.number_of("AMT_CREDIT")
    goods = say.number_of("AMT_GOODS_PRICE")
    gap = say.number_of("APP_CREDIT_MINUS_GOODS")
    if gap is None and credit is not None and goods is not None:
        gap = credit - goods
    if gap is None:
        return None
    if gap > 0:
        return Fact(
            say.pick(
                f"The loan exceeds the price of the goods it pays for by {say.amount(gap)}",
                f"Le crédit dépasse de {say.amount(gap)} le prix du bien qu'il finance",
            )
        )
    return Fact(
        say.pick(
            "The loan does not exceed the price of the goods it pays for",
            "Le crédit ne dépasse pas le prix du bien qu'il finance",
        )
    )


@template("AMT_CREDIT")
def _credit(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"The loan amount asked for is {say.amount(amount)}",
            f"Le montant de crédit demandé est de {say.amount(amount)}",
        )
    )


@template("AMT_ANNUITY")
def _annuity(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"The repayment instalment of the loan is {say.amount(amount)}",
            f"L'échéance de remboursement du crédit est de {say.amount(amount)}",
        )
    )


@template("AMT_GOODS_PRICE")
def _goods_price(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"The price of the goods financed is {say.amount(amount)}",
            f"Le prix du bien financé est de {say.amount(amount)}",
        )
    )


# --- income and household -------------------------------------------------


@template("AMT_INCOME_TOTAL")
def _income(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"Your declared annual income is {say.amount(amount)}",
            f"Votre revenu annuel déclaré est de {say.amount(amount)}",
        )
    )


@template("APP_INCOME_PER_PERSON")
def _income_per_person(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"Your income per member of your household is {say.amount(amount)}",
            f"Votre revenu par membre de votre foyer est de {say.amount(amount)}",
        )
    )


@template("CNT_CHILDREN", "APP_CHILDREN_SHARE", topic="children")
def _children(say: Say, value: object) -> Fact | None:
    children = say.number_of("CNT_CHILDREN")
    if children is None:
        return None
    if children == 0:
        return Fact(say.pick("You have no children", "Vous n'avez pas d'enfant"))
    counted = say.count(children, ("child", "children"), ("enfant", "enfants"))
    return Fact(say.pick(f"You have {counted}", f"Vous avez {counted}"))


@template("CNT_FAM_MEMBERS")
def _family(say: Say, value: object) -> Fact | None:
    members = as_number(value)
    if members is None:
        return None
    counted = say.count(members, ("person", "people"), ("personne", "personnes"))
    return Fact(say.pick(f"Your household has {counted}", f"Votre foyer compte {counted}"))


# --- age, employment and stability ----------------------------------------


@template("DAYS_BIRTH", "APP_AGE_YEARS", topic="age")
def _age(say: Say, value: object) -> Fact | None:
    years = say.number_of("APP_AGE_YEARS")
    if years is None:
        days = say.number_of("DAYS_BIRTH")
        years = -days / DAYS_PER_YEAR if days is not None else None
    if years is None:
        return None
    age = math.floor(years)
    return Fact(say.pick(f"You are {age} years old", f"Vous avez {age} ans"))


def _not_employed(say: Say) -> Fact:
    if say.values.get("NAME_INCOME_TYPE") == "Pensioner":
        return Fact(
            say.pick(
                "You are retired and have no current employment",
                "Vous êtes à la retraite et n'avez pas d'emploi actuellement",
            )
        )
    return Fact(say.pick("No current employment is declared", "Aucun emploi actuel n'est déclaré"))


def _is_not_employed(say: Say) -> bool:
    return (
        say.number_of("APP_NOT_EMPLOYED") == 1
        or say.number_of("DAYS_EMPLOYED") == DAYS_EMPLOYED_SENTINEL
    )


@template(
    "DAYS_EMPLOYED",
    "APP_YEARS_EMPLOYED",
    "APP_NOT_EMPLOYED",
    "APP_EMPLOYED_TO_AGE",
    topic="employment",
)
def _employment(say: Say, value: object) -> Fact | None:
    days = say.number_of("DAYS_EMPLOYED")
    if days == DAYS_EMPLOYED_SENTINEL or _is_not_employed(say):
        return _not_employed(say)  # Kaggle's 365243 code: pensioners and the unemployed
    years = say.number_of("APP_YEARS_EMPLOYED")
    if years is None and days is not None and days <= 0:
        years = -days / DAYS_PER_YEAR
    if years is None:
        if say.number_of("APP_NOT_EMPLOYED") == 0:
            return Fact(say.pick("You are currently employed", "Vous avez actuellement un emploi"))
        return Fact(
            say.pick(
                "How long you have been in your current job is not known",
                "Votre ancienneté dans votre emploi actuel n'est pas connue",
            )
        )
    spent = say.duration(years * DAYS_PER_YEAR)
    return Fact(
        say.pick(
            f"You have been in your current job for {spent}",
            f"Vous occupez votre emploi actuel depuis {spent}",
        )
    )


def _days_ago_template(raw: str, en: str, fr: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        days = say.number_of(raw)
        if days is None:
            return None
        if round(days) == 0:
            return Fact(
                say.pick(f"{en} on the day of the application", f"{fr} le jour de la demande")
            )
        ago = say.duration(days)
        return Fact(say.pick(f"{en} {ago} before the application", f"{fr} {ago} avant la demande"))

    return said


template("DAYS_REGISTRATION", "APP_REGISTRATION_TO_AGE", topic="registration")(
    _days_ago_template(
        "DAYS_REGISTRATION",
        "You last changed your registration",
        "Vous avez modifié votre enregistrement",
    )
)
template("DAYS_ID_PUBLISH", "APP_ID_PUBLISH_TO_AGE", topic="id_document")(
    _days_ago_template(
        "DAYS_ID_PUBLISH",
        "You changed the identity document used for this application",
        "Vous avez changé la pièce d'identité utilisée pour cette demande",
    )
)
template("DAYS_LAST_PHONE_CHANGE", "APP_PHONE_CHANGE_TO_AGE", topic="phone")(
    _days_ago_template(
        "DAYS_LAST_PHONE_CHANGE",
        "You last changed your phone",
        "Vous avez changé de téléphone",
    )
)


@template("OWN_CAR_AGE", "APP_CAR_AGE_TO_AGE", "FLAG_OWN_CAR", topic="car")
def _car(say: Say, value: object) -> Fact | None:
    age = say.number_of("OWN_CAR_AGE")
    owns = say.values.get("FLAG_OWN_CAR")
    if owns == "N" or (age is None and owns is None):
        return Fact(say.pick("You do not own a car", "Vous ne possédez pas de voiture"))
    if age is None:
        return Fact(say.pick("You own a car", "Vous possédez une voiture"))
    years = say.count(math.floor(age), ("year", "years"), ("an", "ans"))
    return Fact(say.pick(f"Your car is {years} old", f"Votre voiture a {years}"))


@template("FLAG_OWN_REALTY")
def _realty(say: Say, value: object) -> Fact | None:
    if value == "Y":
        return Fact(say.pick("You own your home", "Vous êtes propriétaire de votre logement"))
    if value == "N":
        return Fact(
            say.pick("You do not own your home", "Vous n'êtes pas propriétaire de votre logement")
        )
    return None


# --- external scores -------------------------------------------------------


def _external_score(source: int) -> Template:
    def said(say: Say, value: object) -> Fact:
        score = as_number(value)
        if score is None:
            return Fact(
                say.pick(
                    f"No credit score from external source {source} is available",
                    f"Aucun score de crédit de la source externe {source} n'est disponible",
                )
            )
        return Fact(
            say.pick(
                f"Your credit score from external source {source} is {say.score(score)} "
                "(scale 0-1)",
                f"Votre score de crédit de la source externe {source} est de "
                f"{say.score(score)} (échelle de 0 à 1)",
            )
        )

    return said


for _source in (1, 2, 3):
    template(f"EXT_SOURCE_{_source}", topic=f"external_score_{_source}")(_external_score(_source))

_EXTERNAL_SUMMARY: dict[str, tuple[str, str]] = {
    "APP_EXT_SOURCE_MEAN": (
        "The average of your external credit scores is",
        "La moyenne de vos scores de crédit externes est de",
    ),
    "APP_EXT_SOURCE_MIN": (
        "Your lowest external credit score is",
        "Votre score de crédit externe le plus bas est de",
    ),
    "APP_EXT_SOURCE_MAX": (
        "Your highest external credit score is",
        "Votre score de crédit externe le plus haut est de",
    ),
    "APP_EXT_SOURCE_PROD": (
        "Your three external credit scores multiplied together give",
        "Vos trois scores de crédit externes multipliés entre eux donnent",
    ),
}


def _no_external_score(say: Say) -> Fact | None:
    known = say.number_of("APP_EXT_SOURCE_COUNT")
    if known == 0 or (known is None and say.number_of("APP_EXT_SOURCE_MEAN") is None):
        return Fact(
            say.pick(
                "No external credit score is available",
                "Aucun score de crédit externe n'est disponible",
            )
        )
    return None


def _external_summary(en: str, fr: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        score = as_number(value)
        if score is None:
            return _no_external_score(say)
        return Fact(
            say.pick(
                f"{en} {say.score(score)} (scale 0-1)",
                f"{fr} {say.score(score)} (échelle de 0 à 1)",
            )
        )

    return said


for _feature, (_en, _fr) in _EXTERNAL_SUMMARY.items():
    template(_feature, topic="external_scores")(_external_summary(_en, _fr))


@template("APP_EXT_SOURCE_COUNT", topic="external_scores")
def _external_count(say: Say, value: object) -> Fact | None:
    known = as_number(value)
    if not known:
        return _no_external_score(say)
    counted = format_number(known, say.language)
    return Fact(
        say.pick(
            f"{counted} of the 3 external credit scores {'is' if known == 1 else 'are'} known",
            f"{counted} des 3 scores de crédit externes "
            f"{'est connu' if known < 2 else 'sont connus'}",
        )
    )


# --- categories ------------------------------------------------------------

_CATEGORY_SUBJECTS: dict[str, tuple[str, str]] = {
    "NAME_CONTRACT_TYPE": ("The type of loan asked for", "Le type de crédit demandé"),
    "NAME_INCOME_TYPE": ("Your type of income", "Votre type de revenu"),
    "NAME_EDUCATION_TYPE": ("Your education level", "Votre niveau d'études"),
    "NAME_FAMILY_STATUS": ("Your family status", "Votre situation familiale"),
    "NAME_HOUSING_TYPE": ("Your housing situation", "Votre situation de logement"),
    "OCCUPATION_TYPE": ("Your occupation", "Votre profession"),
    "ORGANIZATION_TYPE": ("Your employer's sector", "Le secteur de votre employeur"),
    "NAME_TYPE_SUITE": (
        "Who accompanied you when applying",
        "La personne qui vous accompagnait lors de la demande",
    ),
    "WEEKDAY_APPR_PROCESS_START": (
        "The day of the week of the application",
        "Le jour de la semaine de la demande",
    ),
}
_CATEGORY_MISSING: dict[str, tuple[str, str]] = {
    "OCCUPATION_TYPE": ("No occupation was declared", "Aucune profession n'a été déclarée"),
    "ORGANIZATION_TYPE": ("No employer was declared", "Aucun employeur n'a été déclaré"),
    "NAME_TYPE_SUITE": (
        "Who accompanied you when applying is not known",
        "La personne qui vous accompagnait lors de la demande n'est pas connue",
    ),
}


def _category(column: str) -> Template:
    en_subject, fr_subject = _CATEGORY_SUBJECTS[column]

    def said(say: Say, value: object) -> Fact | None:
        if value is None or value == "XNA":
            missing = _CATEGORY_MISSING.get(column)
            return Fact(say.pick(*missing)) if missing else None
        shown = say.category(column, value)
        return Fact(say.pick(f"{en_subject} ({shown})", f"{fr_subject} ({shown})"), subject=True)

    return said


for _column in _CATEGORY_SUBJECTS:
    template(_column)(_category(_column))


# --- region, documents, contacts, enquiries, social circle ----------------


@template("REGION_RATING_CLIENT", "REGION_RATING_CLIENT_W_CITY", topic="region_rating")
def _region_rating(say: Say, value: object) -> Fact | None:
    rating = as_number(value)
    if rating is None:
        return None
    shown = format_number(rating, say.language, decimals=0)
    return Fact(
        say.pick(
            f"Our rating of the region where you live is {shown} on a scale of 1 to 3",
            f"Notre note de la région où vous vivez est de {shown} sur une échelle de 1 à 3",
        )
    )


@template("APP_DOCUMENT_COUNT")
def _documents(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    counted = say.count(count, ("document", "documents"), ("document", "documents"))
    return Fact(
        say.pick(
            f"You provided {counted} with the application",
            f"Vous avez fourni {counted} avec la demande",
        )
    )


@template("APP_BUREAU_ENQUIRIES_TOTAL")
def _enquiries(say: Say, value: object) -> Fact | None:
    count = say.number_of("APP_BUREAU_ENQUIRIES_TOTAL")
    if count is None:
        return Fact(
            say.pick(
                "No record of credit bureau enquiries about you is available",
                "Aucun relevé des consultations du bureau de crédit à votre sujet n'est disponible",
            )
        )
    if count == 0:
        return Fact(
            say.pick(
                "The credit bureau was not consulted about you in the year before the application",
                "Le bureau de crédit n'a pas été consulté à votre sujet dans l'année "
                "précédant la demande",
            )
        )
    times = say.count(count, ("time", "times"), ("fois", "fois"))
    return Fact(
        say.pick(
            f"The credit bureau was consulted about you {times} in the year before the application",
            f"Le bureau de crédit a été consulté {times} à votre sujet dans l'année "
            "précédant la demande",
        )
    )


def _social_circle(days: int) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        share = say.number_of(f"APP_SOCIAL_DEFAULT_{days}_SHARE")
        if share is None:
            return None
        return Fact(
            say.pick(
                f"{say.percent(share)} of the people observed in your social circle had a "
                f"payment default ({days} days past due)",
                f"{say.percent(share)} des personnes observées dans votre entourage ont eu un "
                f"défaut de paiement ({days} jours de retard)",
            )
        )

    return said


for _days in (30, 60):
    template(
        f"APP_SOCIAL_DEFAULT_{_days}_SHARE",
        f"DEF_{_days}_CNT_SOCIAL_CIRCLE",
        topic=f"social_circle_{_days}",
    )(_social_circle(_days))


# --- credit bureau history -------------------------------------------------


@template("BUREAU_COUNT")
def _bureau_count(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    counted = say.count(count, ("credit", "credits"), ("crédit", "crédits"))
    return Fact(
        say.pick(
            f"The credit bureau reports {counted} in your name",
            f"Le bureau de crédit recense {counted} à votre nom",
        )
    )


@template("BUREAU_ACTIVE_COUNT", "BUREAU_ACTIVE_SHARE", topic="bureau_active")
def _bureau_active(say: Say, value: object) -> Fact | None:
    count = say.number_of("BUREAU_ACTIVE_COUNT")
    if count is None:
        return None
    counted = say.count(count, ("credit", "credits"), ("crédit", "crédits"))
    return Fact(
        say.pick(
            f"You have {counted} still running according to the credit bureau",
            f"Vous avez {counted} en cours selon le bureau de crédit",
        )
    )


@template(
    "BUREAU_CREDIT_DAY_OVERDUE_MAX",
    "BUREAU_ACTIVE_CREDIT_DAY_OVERDUE_MAX",
    "BUREAU_OVERDUE_COUNT",
    "BUREAU_OVERDUE_SHARE",
    topic="bureau_overdue",
)
def _bureau_overdue(say: Say, value: object) -> Fact | None:
    days = say.number_of("BUREAU_CREDIT_DAY_OVERDUE_MAX")
    if days is None:
        return None
    if days <= 0:
        return Fact(
            say.pick(
                "None of your credits reported by the credit bureau is overdue",
                "Aucun de vos crédits déclarés au bureau de crédit n'est en retard",
            )
        )
    return Fact(
        say.pick(
            f"A credit reported by the credit bureau is {say.days(days)} overdue",
            f"Un crédit déclaré au bureau de crédit a {say.days(days)} de retard",
        )
    )


@template(
    "BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM",
    "BUREAU_AMT_CREDIT_SUM_OVERDUE_MAX",
    "BUREAU_ACTIVE_AMT_CREDIT_SUM_OVERDUE_SUM",
    "BUREAU_OVERDUE_TO_DEBT_TOTAL",
    topic="bureau_amount_overdue",
)
def _bureau_amount_overdue(say: Say, value: object) -> Fact | None:
    amount = say.number_of("BUREAU_AMT_CREDIT_SUM_OVERDUE_SUM")
    if amount is None:
        return None
    if amount <= 0:
        return Fact(
            say.pick(
                "Nothing is overdue on your credits reported by the credit bureau",
                "Rien n'est en retard de paiement sur vos crédits déclarés au bureau de crédit",
            )
        )
    return Fact(
        say.pick(
            f"An amount of {say.amount(amount)} is overdue on your credits reported by "
            "the credit bureau",
            f"Un montant de {say.amount(amount)} est en retard de paiement sur vos crédits "
            "déclarés au bureau de crédit",
        )
    )


@template(
    "BUREAU_DEBT_TO_CREDIT_TOTAL",
    "BUREAU_ACTIVE_DEBT_TO_CREDIT_TOTAL",
    topic="bureau_debt_share",
)
def _bureau_debt_share(say: Say, value: object) -> Fact | None:
    share = as_number(value)
    if share is None:
        return None
    return Fact(
        say.pick(
            f"Your outstanding debt is {say.percent(share)} of the amounts borrowed on "
            "your credits reported by the credit bureau",
            f"Votre dette restante représente {say.percent(share)} des montants empruntés "
            "sur vos crédits déclarés au bureau de crédit",
        )
    )


@template(
    "BUREAU_AMT_CREDIT_SUM_DEBT_SUM",
    "BUREAU_ACTIVE_AMT_CREDIT_SUM_DEBT_SUM",
    topic="bureau_debt",
)
def _bureau_debt(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"Your outstanding debt reported by the credit bureau totals {say.amount(amount)}",
            f"Votre dette restante déclarée au bureau de crédit s'élève à {say.amount(amount)}",
        )
    )


def _share_sentence(en: str, fr: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        share = as_number(value)
        if share is None:
            return None
        return Fact(
            say.pick(en.format(share=say.percent(share)), fr.format(share=say.percent(share)))
        )

    return said


template("BUREAU_DEBT_TO_CREDIT_MEAN", topic="bureau_debt_share_mean")(
    _share_sentence(
        "On average, {share} of the amount borrowed is still owed on your credits reported by "
        "the credit bureau",
        "En moyenne, {share} du montant emprunté reste dû sur vos crédits déclarés au bureau "
        "de crédit",
    )
)
template("BUREAU_ACTIVE_DEBT_TO_CREDIT_MEAN", topic="bureau_debt_share_mean_active")(
    _share_sentence(
        "On average, {share} of the amount borrowed is still owed on your running credits "
        "reported by the credit bureau",
        "En moyenne, {share} du montant emprunté reste dû sur vos crédits en cours déclarés au "
        "bureau de crédit",
    )
)
template(
    "BUREAU_DEBT_TO_CREDIT_MAX", "BUREAU_ACTIVE_DEBT_TO_CREDIT_MAX", topic="bureau_debt_share_max"
)(
    _share_sentence(
        "On one of your credits reported by the credit bureau, {share} of the amount borrowed "
        "is still owed",
        "Sur l'un de vos crédits déclarés au bureau de crédit, {share} du montant emprunté "
        "reste dû",
    )
)


@template("BUREAU_ACTIVE_DAYS_CREDIT_ENDDATE_MEAN", topic="bureau_planned_end")
def _bureau_planned_end(say: Say, value: object) -> Fact | None:
    days = as_number(value)
    if days is None:
        return None
    when = say.duration(days)
    if days > 0:
        return Fact(
            say.pick(
                f"Your running credits reported by the credit bureau are planned to end in "
                f"{when} on average",
                f"Vos crédits en cours déclarés au bureau de crédit doivent se terminer dans "
                f"{when} en moyenne",
            )
        )
    return Fact(
        say.pick(
            f"Your running credits reported by the credit bureau were planned to end {when} "
            "before the application on average",
            f"Vos crédits en cours déclarés au bureau de crédit devaient se terminer {when} "
            "avant la demande en moyenne",
        )
    )


def _bureau_opened(en: str, fr: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        ago = say.duration(days)
        return Fact(say.pick(f"{en} {ago} ago", f"{fr} il y a {ago}"))

    return said


template("BUREAU_DAYS_CREDIT_MAX", topic="bureau_latest")(
    _bureau_opened(
        "Your most recent credit reported by the credit bureau was opened",
        "Votre crédit le plus récent déclaré au bureau de crédit a été ouvert",
    )
)
template("BUREAU_DAYS_CREDIT_MIN", topic="bureau_oldest")(
    _bureau_opened(
        "Your oldest credit reported by the credit bureau was opened",
        "Votre plus ancien crédit déclaré au bureau de crédit a été ouvert",
    )
)
template("BUREAU_DAYS_CREDIT_MEAN", topic="bureau_mean_age")(
    _bureau_opened(
        "Your credits reported by the credit bureau were opened on average",
        "Vos crédits déclarés au bureau de crédit ont été ouverts en moyenne",
    )
)


@template(
    "BUREAU_BB_LATE_SHARE_MEAN",
    "BUREAU_BB_LATE_SHARE_MAX",
    "BUREAU_ACTIVE_BB_LATE_SHARE_MEAN",
    "BUREAU_CLOSED_BB_LATE_SHARE_MEAN",
    "BUREAU_BB_LATE_MONTHS_SUM",
    topic="bureau_late_months",
)
def _bureau_late_months(say: Say, value: object) -> Fact | None:
    months = say.number_of("BUREAU_BB_LATE_MONTHS_SUM")
    if months is None:
        return None
    if months == 0:
        return Fact(
            say.pick(
                "Your monthly credit bureau history shows no late payment",
                "Votre historique mensuel au bureau de crédit ne montre aucun retard de paiement",
            )
        )
    counted = say.count(months, ("month", "months"), ("mois", "mois"))
    return Fact(
        say.pick(
            f"Your monthly credit bureau history shows {counted} with late payments",
            f"Votre historique mensuel au bureau de crédit compte {counted} "
            "avec des retards de paiement",
        )
    )


# --- previous applications with us -----------------------------------------


@template("PREV_COUNT")
def _previous_count(say: Say, value: object) -> Fact | None:
    count = as_number(value)
    if count is None:
        return None
    counted = say.count(
        count, ("previous application", "previous applications"), ("demande", "demandes")
    )
    return Fact(
        say.pick(
            f"You have made {counted} with us",
            f"Vous avez fait {counted} de crédit précédemment chez nous",
        )
    )


def _previous_outcome(
    say: Say, count: float, total: float | None, words: tuple[str, str, str]
) -> Fact:
    """ "2 of your 5 previous applications with us were refused" (and the French)."""
    en, fr_one, fr_many = words
    if total == 1 and count == 1:
        return Fact(
            say.pick(
                f"Your only previous application with us was {en}",
                f"Votre unique demande précédente chez nous a été {fr_one}",
            )
        )
    shown = format_number(count, say.language)
    total_shown = f" {format_number(total, say.language)}" if total else ""
    return Fact(
        say.pick(
            f"{shown} of your{total_shown} previous applications with us "
            f"{'was' if count == 1 else 'were'} {en}",
            f"{shown} de vos{total_shown} demandes précédentes chez nous "
            f"{'a été ' + fr_one if count < 2 else 'ont été ' + fr_many}",
        )
    )


@template("PREV_REFUSED_COUNT", "PREV_REFUSED_SHARE", topic="previous_refused")
def _previous_refused(say: Say, value: object) -> Fact | None:
    refused = say.number_of("PREV_REFUSED_COUNT")
    total = say.number_of("PREV_COUNT")
    if refused is None:
        return None
    if refused == 0:
        return Fact(
            say.pick(
                "None of your previous applications with us was refused",
                "Aucune de vos demandes précédentes chez nous n'a été refusée",
            )
        )
    return _previous_outcome(say, refused, total, ("refused", "refusée", "refusées"))


@template("PREV_APPROVED_COUNT", "PREV_APPROVED_SHARE", topic="previous_approved")
def _previous_approved(say: Say, value: object) -> Fact | None:
    approved = say.number_of("PREV_APPROVED_COUNT")
    total = say.number_of("PREV_COUNT")
    if approved is None:
        return None
    return _previous_outcome(say, approved, total, ("approved", "acceptée", "acceptées"))


@template("PREV_DAYS_DECISION_MAX", topic="previous_latest")
def _previous_latest(say: Say, value: object) -> Fact | None:
    days = as_number(value)
    if days is None:
        return None
    ago = say.duration(days)
    return Fact(
        say.pick(
            f"Your last previous application with us was decided {ago} ago",
            f"Votre dernière demande précédente chez nous a été décidée il y a {ago}",
        )
    )


# --- repayment of previous loans with us ---------------------------------


def _late_share(share_feature: str, en_rows: str, fr_rows: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        share = say.number_of(share_feature)
        if share is None:
            return None
        if share == 0:
            return Fact(
                say.pick(
                    f"None of {en_rows} was paid late",
                    f"Aucune de {fr_rows} n'a été payée en retard",
                )
            )
        return Fact(
            say.pick(
                f"{say.percent(share)} of {en_rows} were paid late",
                f"{say.percent(share)} de {fr_rows} ont été payées en retard",
            )
        )

    return said


template("INST_LATE_SHARE", "INST_LATE_COUNT", topic="instalments_late")(
    _late_share(
        "INST_LATE_SHARE",
        "your instalments on previous loans with us",
        "vos échéances de prêts précédents chez nous",
    )
)
template("INST_365_LATE_SHARE", "INST_365_LATE_COUNT", topic="instalments_late_recent")(
    _late_share(
        "INST_365_LATE_SHARE",
        "your instalments of the last 12 months on loans with us",
        "vos échéances des 12 derniers mois sur des prêts chez nous",
    )
)
template("INST_LAST3_LATE_SHARE", topic="instalments_late_last")(
    _late_share(
        "INST_LAST3_LATE_SHARE",
        "the last 3 instalments of each of your loans with us",
        "les 3 dernières échéances de chacun de vos prêts chez nous",
    )
)


def _longest_delay(en_where: str, fr_where: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        if days <= 0:
            return Fact(
                say.pick(
                    f"You never paid late {en_where}",
                    f"Vous n'avez jamais payé en retard {fr_where}",
                )
            )
        return Fact(
            say.pick(
                f"Your longest payment delay {en_where} was {say.days(days)}",
                f"Votre plus long retard de paiement {fr_where} a été de {say.days(days)}",
            )
        )

    return said


template("INST_DPD_MAX", topic="instalments_delay")(
    _longest_delay("on previous loans with us", "sur vos prêts précédents chez nous")
)
template("INST_365_DPD_MAX", topic="instalments_delay_recent")(
    _longest_delay(
        "on loans with us in the last 12 months",
        "sur vos prêts chez nous au cours des 12 derniers mois",
    )
)
template("INST_LAST3_DPD_MAX", topic="instalments_delay_last")(
    _longest_delay(
        "on the last 3 instalments of your loans with us",
        "sur les 3 dernières échéances de vos prêts chez nous",
    )
)
template("POS_SK_DPD_MAX", "POS_SK_DPD_DEF_MAX", topic="pos_delay")(
    _longest_delay(
        "on previous point-of-sale or cash loans with us",
        "sur vos prêts point de vente ou personnels précédents chez nous",
    )
)
template("POS_RECENT_SK_DPD_MAX", "POS_RECENT_SK_DPD_DEF_MAX", topic="pos_delay_recent")(
    _longest_delay(
        "on point-of-sale or cash loans with us in the last 12 months",
        "sur vos prêts point de vente ou personnels chez nous au cours des 12 derniers mois",
    )
)
template("CC_SK_DPD_MAX", "CC_SK_DPD_DEF_MAX", topic="card_delay")(
    _longest_delay("on your credit cards with us", "sur vos cartes de crédit chez nous")
)
template("CC_RECENT_SK_DPD_MAX", topic="card_delay_recent")(
    _longest_delay(
        "on your credit cards with us in the last 12 months",
        "sur vos cartes de crédit chez nous au cours des 12 derniers mois",
    )
)


def _average_delay(en_where: str, fr_where: str) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        days = as_number(value)
        if days is None:
            return None
        shown = say.count(days, ("day", "days"), ("jour", "jours"))
        return Fact(
            say.pick(
                f"You paid {en_where} {shown} late on average",
                f"Vous avez payé {fr_where} avec {shown} de retard en moyenne",
            )
        )

    return said


template("INST_DPD_MEAN", topic="instalments_delay_mean")(
    _average_delay("your instalments on previous loans with us", "vos échéances précédentes")
)
template("INST_365_DPD_MEAN", topic="instalments_delay_mean_recent")(
    _average_delay("your instalments of the last 12 months", "vos échéances des 12 derniers mois")
)


@template("INST_DBD_MEAN", "INST_DBD_SUM", "INST_DBD_MAX", topic="early")
def _paid_early(say: Say, value: object) -> Fact | None:
    days = say.number_of("INST_DBD_MEAN")
    if days is None:
        return None
    shown = say.count(days, ("day", "days"), ("jour", "jours"))
    return Fact(
        say.pick(
            f"You paid your instalments on previous loans with us {shown} before the due date "
            "on average",
            f"Vous avez payé vos échéances de prêts précédents chez nous {shown} avant la date "
            "prévue en moyenne",
        )
    )


@template(
    "INST_UNDERPAID_SHARE",
    "INST_UNDERPAID_COUNT",
    topic="underpaid",
)
def _underpaid(say: Say, value: object) -> Fact | None:
    share = say.number_of("INST_UNDERPAID_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(
            say.pick(
                "You always paid the full amount due on your previous loans with us",
                "Vous avez toujours payé le montant dû en entier sur vos prêts précédents "
                "chez nous",
            )
        )
    return Fact(
        say.pick(
            f"{say.percent(share)} of your instalments on previous loans with us were paid "
            "short of the amount due",
            f"{say.percent(share)} de vos échéances de prêts précédents chez nous ont été "
            "payées en dessous du montant dû",
        )
    )


@template(
    "INST_PAYMENT_DIFF_SUM",
    "INST_PAYMENT_DIFF_MEAN",
    topic="unpaid_amount",
)
def _unpaid_amount(say: Say, value: object) -> Fact | None:
    total = say.number_of("INST_PAYMENT_DIFF_SUM")
    if total is None:
        return None
    if total <= 0:
        return Fact(
            say.pick(
                "You paid every amount due on your previous loans with us",
                "Vous avez payé tous les montants dus sur vos prêts précédents chez nous",
            )
        )
    return Fact(
        say.pick(
            f"In total, {say.amount(total)} due on your previous loans with us was not paid "
            "when due",
            f"Au total, {say.amount(total)} dus sur vos prêts précédents chez nous n'ont pas "
            "été payés à l'échéance",
        )
    )


@template(
    "POS_DPD_POSITIVE_SHARE",
    "POS_DPD_POSITIVE_COUNT",
    topic="pos_late_months",
)
def _pos_late_months(say: Say, value: object) -> Fact | None:
    share = say.number_of("POS_DPD_POSITIVE_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(
            say.pick(
                "Your point-of-sale and cash loans with us never showed a payment delay",
                "Vos prêts point de vente et personnels chez nous n'ont jamais eu de retard "
                "de paiement",
            )
        )
    return Fact(
        say.pick(
            f"Your point-of-sale and cash loans with us showed a payment delay in "
            f"{say.percent(share)} of the months",
            f"Vos prêts point de vente et personnels chez nous ont eu un retard de paiement "
            f"{say.percent(share)} des mois",
        )
    )


# --- credit cards with us ----------------------------------------------------


template("CC_UTILISATION_MEAN", topic="card_utilisation")(
    _share_sentence(
        "On average, the balance of your credit cards with us is {share} of their limit",
        "En moyenne, le solde de vos cartes de crédit chez nous représente {share} de leur plafond",
    )
)
template("CC_RECENT_UTILISATION_MEAN", topic="card_utilisation_recent")(
    _share_sentence(
        "Over the last 12 months, the balance of your credit cards with us was on average "
        "{share} of their limit",
        "Sur les 12 derniers mois, le solde de vos cartes de crédit chez nous a représenté en "
        "moyenne {share} de leur plafond",
    )
)
template("CC_RECENT_UTILISATION_MAX", topic="card_utilisation_peak_recent")(
    _share_sentence(
        "Over the last 12 months, your credit card balance with us reached up to {share} of "
        "its limit",
        "Sur les 12 derniers mois, le solde de votre carte de crédit chez nous a atteint "
        "jusqu'à {share} de son plafond",
    )
)
template("CC_UTILISATION_MAX", topic="card_utilisation_peak")(
    _share_sentence(
        "At its highest, your credit card balance with us reached {share} of its limit",
        "Au plus haut, le solde de votre carte de crédit chez nous a atteint {share} de son "
        "plafond",
    )
)
template("CC_LAST_UTILISATION_MEAN", topic="card_utilisation_now")(
    _share_sentence(
        "On the latest statement, your credit cards with us are used at {share} of their limit",
        "Au dernier relevé, vos cartes de crédit chez nous sont utilisées à {share} de leur "
        "plafond",
    )
)


@template("CC_BELOW_MIN_SHARE", "CC_RECENT_BELOW_MIN_SHARE", "CC_BELOW_MIN_COUNT", topic="card_min")
def _card_below_minimum(say: Say, value: object) -> Fact | None:
    share = say.number_of("CC_BELOW_MIN_SHARE")
    if share is None:
        return None
    if share == 0:
        return Fact(
            say.pick(
                "You always paid at least the minimum due on your credit cards with us",
                "Vous avez toujours payé au moins le minimum dû sur vos cartes de crédit chez nous",
            )
        )
    return Fact(
        say.pick(
            f"In {say.percent(share)} of the months you paid less than the minimum due on "
            "your credit cards with us",
            f"Pendant {say.percent(share)} des mois, vous avez payé moins que le minimum dû "
            "sur vos cartes de crédit chez nous",
        )
    )


@template("CC_AMT_DRAWINGS_ATM_CURRENT_MEAN", topic="card_cash")
def _card_cash(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        say.pick(
            f"You withdraw {say.amount(amount)} in cash per month on average with your credit "
            "card with us",
            f"Vous retirez en moyenne {say.amount(amount)} en espèces par mois avec votre carte "
            "de crédit chez nous",
        )
    )


# --- histories that do not exist --------------------------------------------

_NO_HISTORY: dict[str, tuple[str, str]] = {
    "BUREAU_": (
        "No credit history is known at the credit bureau",
        "Aucun historique de crédit n'est connu au bureau de crédit",
    ),
    "PREV_": (
        "You have no previous application with us",
        "Vous n'avez pas de demande de crédit précédente chez nous",
    ),
    "POS_": (
        "No previous point-of-sale or cash loan with us is known",
        "Aucun prêt point de vente ou personnel précédent chez nous n'est connu",
    ),
    "INST_": (
        "No repayment history of previous loans with us is known",
        "Aucun historique de remboursement de prêts précédents chez nous n'est connu",
    ),
    "CC_": (
        "No previous credit card with us is known",
        "Aucune carte de crédit précédente chez nous n'est connue",
    ),
}


# Sub-scopes of a history that exists but holds no row of that kind: (the count that is
# then 0, what to say).
_EMPTY_SCOPES: tuple[tuple[str, str, str, str], ...] = (
    (
        "BUREAU_ACTIVE_",
        "BUREAU_ACTIVE_COUNT",
        "None of your credits reported by the credit bureau is still running",
        "Aucun de vos crédits déclarés au bureau de crédit n'est encore en cours",
    ),
    (
        "BUREAU_CLOSED_",
        "BUREAU_CLOSED_COUNT",
        "None of your credits reported by the credit bureau is closed yet",
        "Aucun de vos crédits déclarés au bureau de crédit n'est encore clos",
    ),
    (
        "BUREAU_BB_",
        "BUREAU_BB_CREDITS_COUNT",
        "No month-by-month history of your credits is known at the credit bureau",
        "Aucun historique mois par mois de vos crédits n'est connu au bureau de crédit",
    ),
    (
        "PREV_APPROVED_",
        "PREV_APPROVED_COUNT",
        "None of your previous applications with us was approved",
        "Aucune de vos demandes précédentes chez nous n'a été acceptée",
    ),
    (
        "PREV_REFUSED_",
        "PREV_REFUSED_COUNT",
        "None of your previous applications with us was refused",
        "Aucune de vos demandes précédentes chez nous n'a été refusée",
    ),
    (
        "POS_RECENT_",
        "POS_RECENT_COUNT",
        "You had no point-of-sale or cash loan with us in the last 12 months",
        "Vous n'avez eu aucun prêt point de vente ou personnel chez nous au cours des "
        "12 derniers mois",
    ),
    (
        "INST_365_",
        "INST_365_COUNT",
        "No instalment of a loan with us was due in the last 12 months",
        "Aucune échéance de prêt chez nous n'était due au cours des 12 derniers mois",
    ),
    (
        "CC_RECENT_",
        "CC_RECENT_COUNT",
        "You did not use a credit card with us in the last 12 months",
        "Vous n'avez pas utilisé de carte de crédit chez nous au cours des 12 derniers mois",
    ),
)


def _empty_scope(feature: str, say: Say) -> tuple[Fact, str] | None:
    """Why a history aggregate is missing when the history exists: no row of its kind."""
    for prefix, count, en, fr in _EMPTY_SCOPES:
        if feature.startswith(prefix) or (prefix == "BUREAU_BB_" and "_BB_" in feature):
            if feature != count and not say.number_of(count):
                return Fact(say.pick(en, fr)), f"empty:{prefix}"
    return None


def _history_prefix(feature: str) -> str | None:
    return next((prefix for prefix in HISTORY_PREFIXES if feature.startswith(prefix)), None)


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------


def _effect(raising: bool, language: str) -> str:
    if language == "fr":
        return "augmente le risque" if raising else "réduit le risque"
    return "increases the risk" if raising else "lowers the risk"


def _sentence(fact: Fact, raising: bool, language: str) -> str:
    effect = _effect(raising, language)
    if fact.subject:
        return f"{fact.text} {effect}."
    which = "ce qui" if language == "fr" else "which"
    return f"{fact.text}, {which} {effect}."


def _generic(feature: str, value: object, raising: bool, language: str) -> str:
    """'<label>: <value> — this increases the risk.' for features without a template."""
    colon = f"{FRENCH_BEFORE_PUNCTUATION}:" if language == "fr" else ":"
    this = "cela" if language == "fr" else "this"
    if value is None and _history_prefix(feature) is not None:
        shown = "inconnu" if language == "fr" else "not known"  # computed, not asked for
    else:
        shown = format_value(feature, value, language)
    return f"{fl.label(feature, language)}{colon} {shown} — {this} {_effect(raising, language)}."


def explain_feature(
    feature: str,
    contribution: float,
    feature_values: Mapping[str, object],
    *,
    language: str,
) -> tuple[str, str]:
    """One sentence on `feature` and the topic it belongs to (said once per direction).

    A positive contribution raises the risk, a negative one lowers it.
    """
    language = fl.normalise_language(language)
    raising = contribution > 0
    say = Say(language, feature_values)
    value = feature_values.get(feature)
    if as_number(value) is None and not isinstance(value, str):
        value = None  # NaN, None, absent: all "missing"
    prefix = _history_prefix(feature)
    if value is None and prefix is not None:
        if say.number_of(HISTORY_COUNT[prefix]) is None:  # no row at all in the table
            return _sentence(Fact(say.pick(*_NO_HISTORY[prefix])), raising, language), (
                f"no_history:{prefix}"
            )
        empty = _empty_scope(feature, say)
        if empty is not None:
            fact, topic = empty
            return _sentence(fact, raising, language), topic
    topic = _TOPICS.get(feature, feature)
    maker = _TEMPLATES.get(feature)
    fact = maker(say, value) if maker is not None else None
    if fact is not None:
        return _sentence(fact, raising, language), topic
    return _generic(feature, value, raising, language), topic


def reasons_for(
    contributions: Mapping[str, float],
    feature_values: Mapping[str, object],
    *,
    language: str,
    top: int = 3,
) -> dict[str, list[str]]:
    """The `top` strongest reasons raising and lowering the risk, as sentences.

    `contributions`: feature -> SHAP contribution in log-odds (positive raises
    the risk); `feature_values`: feature -> the value the model saw (None for
    missing). Features in `OMITTED_FROM_REASONS` (gender) are never given as a
    reason (see the module docstring). Returns {"raising": [...], "lowering": [...]}.
    """
    language = fl.normalise_language(language)
    ranked = sorted(contributions.items(), key=lambda item: (-abs(item[1]), item[0]))
    said: dict[bool, list[str]] = {True: [], False: []}
    topics: dict[bool, set[str]] = {True: set(), False: set()}
    for feature, contribution in ranked:
        if abs(contribution) < MIN_CONTRIBUTION:
            break  # sorted: everything after is smaller
        if feature in OMITTED_FROM_REASONS:
            continue
        raising = contribution > 0
        if len(said[raising]) >= top:
            if len(said[not raising]) >= top:
                break
            continue
        sentence, topic = explain_feature(feature, contribution, feature_values, language=language)
        if topic in topics[raising] or sentence in said[raising]:
            continue
        topics[raising].add(topic)
        said[raising].append(sentence)
    return {"raising": said[True], "lowering": said[False]}

"""Reasons about the client and the household: income, children, age, home, car, the
region, the social circle, and the changes of registration, identity document and phone."""

from __future__ import annotations

import math

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.facts import members
from explanations.reasons.core import (
    Fact,
    Say,
    Template,
    category,
    fact_template,
    not_provided,
    template,
)
from formatting import DAYS_PER_YEAR, as_number, count_phrase, plural_number


@template("AMT_INCOME_TOTAL")
def _income(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(_("Your declared annual income is %(amount)s") % {"amount": say.amount(amount)})


@template("APP_INCOME_PER_PERSON")
def _income_per_person(say: Say, value: object) -> Fact | None:
    amount = as_number(value)
    if amount is None:
        return None
    return Fact(
        _("Your income per member of your household is %(amount)s") % {"amount": say.amount(amount)}
    )


@template("CNT_CHILDREN", "APP_CHILDREN_SHARE", topic="children")
def _children(say: Say, value: object) -> Fact | None:
    children = say.number_of("CNT_CHILDREN")
    if children is None:
        return None
    if children == 0:
        return Fact(_("You have no children"))
    return Fact(
        count_phrase(
            ngettext(
                "You have %(count)s child", "You have %(count)s children", plural_number(children)
            )
            % {"count": say.number(children)}
        )
    )


@template("CNT_FAM_MEMBERS")
def _family(say: Say, value: object) -> Fact | None:
    members = as_number(value)
    if members is None:
        return None
    return Fact(
        count_phrase(
            ngettext(
                "Your household has %(count)s person",
                "Your household has %(count)s people",
                plural_number(members),
            )
            % {"count": say.number(members)}
        )
    )


@template("DAYS_BIRTH", "APP_AGE_YEARS", topic="age")
def _age(say: Say, value: object) -> Fact | None:
    years = say.number_of("APP_AGE_YEARS")
    if years is None:
        days = say.number_of("DAYS_BIRTH")
        years = -days / DAYS_PER_YEAR if days is not None else None
    if years is None:
        return None
    age = math.floor(years)
    # "You are 24 years old" / "Vous avez 24 ans": the count and its word on one line.
    return Fact(_("You are %(age)s old") % {"age": say.year_count(age)})


def _days_ago_template(raw: str, on_the_day: Promise, before: Promise) -> Template:
    """`before` has a %(duration)s: "You last changed your phone %(duration)s before the
    application"."""

    def said(say: Say, value: object) -> Fact | None:
        days = say.number_of(raw)
        if days is None:
            return None
        if round(days) == 0:
            return Fact(str(on_the_day))
        return Fact(before % {"duration": say.duration(days)})

    return said


_registration = template("DAYS_REGISTRATION", "APP_REGISTRATION_TO_AGE", topic="registration")(
    _days_ago_template(
        "DAYS_REGISTRATION",
        gettext_lazy("You last changed your registration on the day of the application"),
        gettext_lazy("You last changed your registration %(duration)s before the application"),
    )
)
_id_document = template("DAYS_ID_PUBLISH", "APP_ID_PUBLISH_TO_AGE", topic="id_document")(
    _days_ago_template(
        "DAYS_ID_PUBLISH",
        gettext_lazy(
            "You changed the identity document used for this application on the day of the "
            "application"
        ),
        gettext_lazy(
            "You changed the identity document used for this application %(duration)s before "
            "the application"
        ),
    )
)
_phone = template("DAYS_LAST_PHONE_CHANGE", "APP_PHONE_CHANGE_TO_AGE", topic="phone")(
    _days_ago_template(
        "DAYS_LAST_PHONE_CHANGE",
        gettext_lazy("You last changed your phone on the day of the application"),
        gettext_lazy("You last changed your phone %(duration)s before the application"),
    )
)


@template("OWN_CAR_AGE", "APP_CAR_AGE_TO_AGE", "FLAG_OWN_CAR", topic="car")
def _car(say: Say, value: object) -> Fact | None:
    age = say.number_of("OWN_CAR_AGE")
    owns = say.values.get("FLAG_OWN_CAR")
    if owns == "N" or (age is None and owns is None):
        return Fact(_("You do not own a car"))
    if age is None:
        return Fact(_("You own a car"))
    if age < 1:  # "0 years old": a new car
        return Fact(_("Your car is less than a year old"))
    years = math.floor(age)
    return Fact(_("Your car is %(age)s old") % {"age": say.year_count(years)})


@template("FLAG_OWN_REALTY")
def _realty(say: Say, value: object) -> Fact | None:
    if value == "Y":
        return Fact(_("You own your home"))
    if value == "N":
        return Fact(_("You do not own your home"))
    return None


category(
    "NAME_EDUCATION_TYPE",
    gettext_lazy("Your education level (%(value)s)"),
    fact="education",
    unknown=gettext_lazy("Your education level"),
)
category(
    "NAME_FAMILY_STATUS",
    gettext_lazy("Your family status (%(value)s)"),
    fact="family_status",
    unknown=gettext_lazy("Your family status"),
)
category("NAME_HOUSING_TYPE", gettext_lazy("Your housing situation (%(value)s)"))


@template("REGION_RATING_CLIENT", "REGION_RATING_CLIENT_W_CITY", topic="region_rating")
def _region_rating(say: Say, value: object) -> Fact | None:
    rating = as_number(value)
    if rating is None:
        return None
    return Fact(
        _("Our rating of the region where you live is %(rating)s on a scale of 1 to 3")
        % {"rating": say.number(rating, decimals=0)}
    )


def _social_circle(days: int) -> Template:
    def said(say: Say, value: object) -> Fact | None:
        share = say.number_of(f"APP_SOCIAL_DEFAULT_{days}_SHARE")
        if share is None:
            return None
        return Fact(
            _(
                "%(share)s of the people observed in your social circle had a payment default "
                "(%(days)s days past due)"
            )
            % {"share": say.percent(share), "days": days}
        )

    return said


for _days in (30, 60):
    template(
        f"APP_SOCIAL_DEFAULT_{_days}_SHARE",
        f"DEF_{_days}_CNT_SOCIAL_CIRCLE",
        topic=f"social_circle_{_days}",
    )(_social_circle(_days))


# ---------------------------------------------------------------------------
# The client facts of the household (explanations/facts.py)
# ---------------------------------------------------------------------------


@fact_template("income")
def _income_fact(say: Say) -> Fact:
    income = say.number_of("AMT_INCOME_TOTAL")
    per_person = say.number_of("APP_INCOME_PER_PERSON")
    if income is None:
        return not_provided(_("Your annual income"))
    if per_person is None:
        return Fact(_("Your declared annual income is %(amount)s") % {"amount": say.amount(income)})
    return Fact(
        _("Your declared annual income is %(amount)s, %(per_person)s per member of your household")
        % {"amount": say.amount(income), "per_person": say.amount(per_person)}
    )


@fact_template("household")
def _household(say: Say) -> Fact:
    children = say.number_of("CNT_CHILDREN")
    people = say.number_of("CNT_FAM_MEMBERS")
    if people is None:
        return _children(say, None) or not_provided(_("The size of your household"))
    household = count_phrase(
        ngettext("%(count)s person", "%(count)s people", plural_number(people))
        % {"count": say.number(people)}
    )
    if children is None:
        return _family(say, people) or not_provided(_("The size of your household"))
    if children == 0:
        return Fact(_("You have no children, in a household of %(people)s") % {"people": household})
    return Fact(
        _("You have %(children)s, in a household of %(people)s")
        % {
            "children": count_phrase(
                ngettext("%(count)s child", "%(count)s children", plural_number(children))
                % {"count": say.number(children)}
            ),
            "people": household,
        }
    )


@fact_template("age")
def _age_fact(say: Say) -> Fact:
    return _age(say, None) or not_provided(_("Your age"))


@fact_template("registration")
def _registration_fact(say: Say) -> Fact:
    return _registration(say, None) or not_provided(_("When you last changed your registration"))


@fact_template("id_document")
def _id_document_fact(say: Say) -> Fact:
    return _id_document(say, None) or not_provided(
        _("When you changed the identity document used for this application")
    )


@fact_template("phone_change")
def _phone_fact(say: Say) -> Fact:
    return _phone(say, None) or not_provided(_("When you last changed your phone"))


@fact_template("car")
def _car_fact(say: Say) -> Fact:
    owns = say.values.get("FLAG_OWN_CAR")
    if owns not in ("Y", "N") and say.number_of("OWN_CAR_AGE") is None:
        return not_provided(_("Whether you own a car"))
    return _car(say, None) or not_provided(_("Whether you own a car"))


@fact_template("housing")
def _housing(say: Say) -> Fact:
    housing = say.values.get("NAME_HOUSING_TYPE")
    owns = say.values.get("FLAG_OWN_REALTY")
    if not isinstance(housing, str) or housing == "XNA":
        return _realty(say, owns) or not_provided(_("Your housing situation"))
    said = {"value": say.category("NAME_HOUSING_TYPE", housing)}
    if owns == "Y":
        return Fact(_("Your housing situation (%(value)s), as an owner of your home") % said, True)
    if owns == "N":
        return Fact(_("Your housing situation (%(value)s), without owning your home") % said, True)
    return Fact(_("Your housing situation (%(value)s)") % said, subject=True)


@fact_template("region")
def _region(say: Say) -> Fact:
    rating = say.number_of("REGION_RATING_CLIENT")
    if rating is None:
        rating = say.number_of("REGION_RATING_CLIENT_W_CITY")
    return _region_rating(say, rating) or not_provided(_("The rating of the region where you live"))


@fact_template("social_circle")
def _social_circle_fact(say: Say) -> Fact:
    observed = say.number_of("OBS_30_CNT_SOCIAL_CIRCLE")
    if observed == 0:
        return Fact(_("No one in your social circle has a credit history we could observe"))
    for days in (30, 60):
        stated = _social_circle(days)(say, None)
        if stated is not None:
            return stated
    return not_provided(_("Your social circle"))


@fact_template("building")
def _building(say: Say) -> Fact:
    details = [feature for feature in members("building")]
    given = sum(
        1
        for feature in details
        if say.number_of(feature) is not None or isinstance(say.values.get(feature), str)
    )
    if not given:
        return not_provided(_("The details of the building where you live"))
    return Fact(
        ngettext(
            "You gave %(count)s of the %(total)s details we ask about the building where you live",
            "You gave %(count)s of the %(total)s details we ask about the building where you live",
            plural_number(given),
        )
        % {"count": say.number(given), "total": say.number(len(details))}
    )


@fact_template("addresses")
def _addresses(say: Say) -> Fact:
    differences = say.number_of("APP_ADDRESS_MISMATCH_COUNT")
    if differences is None:
        return not_provided(_("Your registered, home and work addresses"))
    if differences == 0:
        return Fact(
            _(
                "None of the 6 comparisons of your registered, home and work addresses "
                "(region, city) shows a difference"
            )
        )
    return Fact(
        ngettext(
            "%(count)s of the 6 comparisons of your registered, home and work addresses "
            "(region, city) shows a difference",
            "%(count)s of the 6 comparisons of your registered, home and work addresses "
            "(region, city) show a difference",
            plural_number(differences),
        )
        % {"count": say.number(differences)}
    )


@fact_template("contacts")
def _contacts(say: Say) -> Fact:
    given = say.number_of("APP_CONTACT_COUNT")
    if given is None:
        return not_provided(_("Your phones and e-mail"))
    if given == 0:
        return Fact(_("You gave none of the 6 ways of reaching you we ask for (phones, e-mail)"))
    return Fact(
        ngettext(
            "You gave %(count)s of the 6 ways of reaching you we ask for (phones, e-mail)",
            "You gave %(count)s of the 6 ways of reaching you we ask for (phones, e-mail)",
            plural_number(given),
        )
        % {"count": say.number(given)}
    )

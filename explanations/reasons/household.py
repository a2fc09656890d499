"""Reasons about the client and the household: income, children, age, home, car, the
region, the social circle, and the changes of registration, identity document and phone."""

from __future__ import annotations

import math

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from explanations.reasons.core import Fact, Say, Template, category, template
from formatting import DAYS_PER_YEAR, as_number, plural_number


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
        ngettext("You have %(count)s child", "You have %(count)s children", plural_number(children))
        % {"count": say.number(children)}
    )


@template("CNT_FAM_MEMBERS")
def _family(say: Say, value: object) -> Fact | None:
    members = as_number(value)
    if members is None:
        return None
    return Fact(
        ngettext(
            "Your household has %(count)s person",
            "Your household has %(count)s people",
            plural_number(members),
        )
        % {"count": say.number(members)}
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
    return Fact(
        ngettext("You are %(age)s year old", "You are %(age)s years old", plural_number(age))
        % {"age": age}
    )


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


template("DAYS_REGISTRATION", "APP_REGISTRATION_TO_AGE", topic="registration")(
    _days_ago_template(
        "DAYS_REGISTRATION",
        gettext_lazy("You last changed your registration on the day of the application"),
        gettext_lazy("You last changed your registration %(duration)s before the application"),
    )
)
template("DAYS_ID_PUBLISH", "APP_ID_PUBLISH_TO_AGE", topic="id_document")(
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
template("DAYS_LAST_PHONE_CHANGE", "APP_PHONE_CHANGE_TO_AGE", topic="phone")(
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
    years = math.floor(age)
    return Fact(
        ngettext(
            "Your car is %(count)s year old",
            "Your car is %(count)s years old",
            plural_number(years),
        )
        % {"count": say.number(years)}
    )


@template("FLAG_OWN_REALTY")
def _realty(say: Say, value: object) -> Fact | None:
    if value == "Y":
        return Fact(_("You own your home"))
    if value == "N":
        return Fact(_("You do not own your home"))
    return None


category("NAME_EDUCATION_TYPE", gettext_lazy("Your education level (%(value)s)"))
category("NAME_FAMILY_STATUS", gettext_lazy("Your family status (%(value)s)"))
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

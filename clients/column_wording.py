"""The wording of the Kaggle columns and of their categorical values, in English.

Our own wording, written from the facts of the official
`HomeCredit_columns_description.csv` and committed with the code (nothing is
read from outside the repository at run time); read through
`clients.field_descriptions`. The English here is the source: every text is
marked for translation and its other languages live in
`locale/*/LC_MESSAGES/django.po` (edit here, then run the catalogue refresh of
locale/README.md and translate the new entries). Every column of `ml.schema`
has an entry (a test checks it).

Column labels take the context "column" (a label like "Income" may be worded
otherwise in a sentence of the pages); a value takes its column as context,
because the same level reads differently by column in some languages ("Other"
accompanying person, "Other" type of organisation).
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Column(NamedTuple):
    label: Promise
    description: Promise


# table -> column -> its label and description.
COLUMNS: dict[str, dict[str, Column]] = {
    "application": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the credit application, i.e. of the client, in our data."),
        ),
        "TARGET": Column(
            pgettext_lazy("column", "Payment difficulties"),
            _(
                "1 when the client was late beyond a set number of days on at least one of the "
                "first instalments of this loan, 0 otherwise."
            ),
        ),
        "NAME_CONTRACT_TYPE": Column(
            pgettext_lazy("column", "Contract type"),
            _("Whether the loan asked for is a cash loan or a revolving credit line."),
        ),
        "CODE_GENDER": Column(
            pgettext_lazy("column", "Gender"),
            _("Gender declared by the client."),
        ),
        "FLAG_OWN_CAR": Column(
            pgettext_lazy("column", "Owns a car"),
            _("Whether the client owns a car."),
        ),
        "FLAG_OWN_REALTY": Column(
            pgettext_lazy("column", "Owns a home"),
            _("Whether the client owns a house or a flat."),
        ),
        "CNT_CHILDREN": Column(
            pgettext_lazy("column", "Children"),
            _("Number of children the client has."),
        ),
        "AMT_INCOME_TOTAL": Column(
            pgettext_lazy("column", "Income"),
            _("Total income declared by the client."),
        ),
        "AMT_CREDIT": Column(
            pgettext_lazy("column", "Credit amount"),
            _("Amount of the loan applied for."),
        ),
        "AMT_ANNUITY": Column(
            pgettext_lazy("column", "Annuity"),
            _("Regular repayment due on the loan."),
        ),
        "AMT_GOODS_PRICE": Column(
            pgettext_lazy("column", "Goods price"),
            _("For a consumer loan, the price of the goods the loan pays for."),
        ),
        "NAME_TYPE_SUITE": Column(
            pgettext_lazy("column", "Accompanied by"),
            _("Who came with the client when they applied."),
        ),
        "NAME_INCOME_TYPE": Column(
            pgettext_lazy("column", "Income type"),
            _(
                "Where the client's income comes from (employee, pensioner, civil servant, "
                "business...)."
            ),
        ),
        "NAME_EDUCATION_TYPE": Column(
            pgettext_lazy("column", "Education"),
            _("Highest level of education the client reached."),
        ),
        "NAME_FAMILY_STATUS": Column(
            pgettext_lazy("column", "Family status"),
            _("Marital or family situation of the client."),
        ),
        "NAME_HOUSING_TYPE": Column(
            pgettext_lazy("column", "Housing"),
            _("How the client is housed (owner, tenant, with parents...)."),
        ),
        "REGION_POPULATION_RELATIVE": Column(
            pgettext_lazy("column", "Region population"),
            _("Normalised population of the client's region: the higher, the more populated."),
        ),
        "DAYS_BIRTH": Column(
            pgettext_lazy("column", "Age"),
            _("Client's age at the application, stored as a negative number of days."),
        ),
        "DAYS_EMPLOYED": Column(
            pgettext_lazy("column", "Employment length"),
            _(
                "Time since the client started their current job, counted back from the "
                "application; a special value marks pensioners and people without a job."
            ),
        ),
        "DAYS_REGISTRATION": Column(
            pgettext_lazy("column", "Registration change"),
            _("Days between the client's last change of registration and the application."),
        ),
        "DAYS_ID_PUBLISH": Column(
            pgettext_lazy("column", "Identity document change"),
            _(
                "Days between the change of the identity document used to apply and the "
                "application."
            ),
        ),
        "OWN_CAR_AGE": Column(
            pgettext_lazy("column", "Car age"),
            _("Age of the client's car."),
        ),
        "FLAG_MOBIL": Column(
            pgettext_lazy("column", "Mobile phone given"),
            _("Whether the client gave a mobile phone number (1 yes, 0 no)."),
        ),
        "FLAG_EMP_PHONE": Column(
            pgettext_lazy("column", "Employer phone given"),
            _("Whether the client gave their employer's phone number (1 yes, 0 no)."),
        ),
        "FLAG_WORK_PHONE": Column(
            pgettext_lazy("column", "Work phone given"),
            _("Whether the client gave a work phone number (1 yes, 0 no)."),
        ),
        "FLAG_CONT_MOBILE": Column(
            pgettext_lazy("column", "Mobile reachable"),
            _("Whether the client's mobile phone could be reached (1 yes, 0 no)."),
        ),
        "FLAG_PHONE": Column(
            pgettext_lazy("column", "Home phone given"),
            _("Whether the client gave a home phone number (1 yes, 0 no)."),
        ),
        "FLAG_EMAIL": Column(
            pgettext_lazy("column", "Email given"),
            _("Whether the client gave an email address (1 yes, 0 no)."),
        ),
        "OCCUPATION_TYPE": Column(
            pgettext_lazy("column", "Occupation"),
            _("Kind of work the client does."),
        ),
        "CNT_FAM_MEMBERS": Column(
            pgettext_lazy("column", "Family members"),
            _("Number of people in the client's family."),
        ),
        "REGION_RATING_CLIENT": Column(
            pgettext_lazy("column", "Region rating"),
            _("Our rating of the region where the client lives (1, 2 or 3)."),
        ),
        "REGION_RATING_CLIENT_W_CITY": Column(
            pgettext_lazy("column", "Region rating with city"),
            _("Our rating of the client's region, taking the city into account (1, 2 or 3)."),
        ),
        "WEEKDAY_APPR_PROCESS_START": Column(
            pgettext_lazy("column", "Application weekday"),
            _("Day of the week on which the client applied."),
        ),
        "HOUR_APPR_PROCESS_START": Column(
            pgettext_lazy("column", "Application hour"),
            _("Hour of the day, rounded, at which the client applied."),
        ),
        "REG_REGION_NOT_LIVE_REGION": Column(
            pgettext_lazy("column", "Lives outside registered region"),
            _("1 when the permanent address and the contact address are in different regions."),
        ),
        "REG_REGION_NOT_WORK_REGION": Column(
            pgettext_lazy("column", "Works outside registered region"),
            _("1 when the permanent address and the work address are in different regions."),
        ),
        "LIVE_REGION_NOT_WORK_REGION": Column(
            pgettext_lazy("column", "Works outside home region"),
            _("1 when the contact address and the work address are in different regions."),
        ),
        "REG_CITY_NOT_LIVE_CITY": Column(
            pgettext_lazy("column", "Lives outside registered city"),
            _("1 when the permanent address and the contact address are in different cities."),
        ),
        "REG_CITY_NOT_WORK_CITY": Column(
            pgettext_lazy("column", "Works outside registered city"),
            _("1 when the permanent address and the work address are in different cities."),
        ),
        "LIVE_CITY_NOT_WORK_CITY": Column(
            pgettext_lazy("column", "Works outside home city"),
            _("1 when the contact address and the work address are in different cities."),
        ),
        "ORGANIZATION_TYPE": Column(
            pgettext_lazy("column", "Employer type"),
            _("Kind of organisation the client works for."),
        ),
        "EXT_SOURCE_1": Column(
            pgettext_lazy("column", "External score 1"),
            _("Normalised score (0 to 1) from external data source number 1."),
        ),
        "EXT_SOURCE_2": Column(
            pgettext_lazy("column", "External score 2"),
            _("Normalised score (0 to 1) from external data source number 2."),
        ),
        "EXT_SOURCE_3": Column(
            pgettext_lazy("column", "External score 3"),
            _("Normalised score (0 to 1) from external data source number 3."),
        ),
        "APARTMENTS_AVG": Column(
            pgettext_lazy("column", "Building: apartment size (average)"),
            _(
                "Normalised information on the building where the client lives: apartment size, "
                "average value."
            ),
        ),
        "BASEMENTAREA_AVG": Column(
            pgettext_lazy("column", "Building: basement area (average)"),
            _(
                "Normalised information on the building where the client lives: basement area, "
                "average value."
            ),
        ),
        "YEARS_BEGINEXPLUATATION_AVG": Column(
            pgettext_lazy("column", "Building: years in use (average)"),
            _(
                "Normalised information on the building where the client lives: years in use, "
                "average value."
            ),
        ),
        "YEARS_BUILD_AVG": Column(
            pgettext_lazy("column", "Building: building age (average)"),
            _(
                "Normalised information on the building where the client lives: building age, "
                "average value."
            ),
        ),
        "COMMONAREA_AVG": Column(
            pgettext_lazy("column", "Building: common area (average)"),
            _(
                "Normalised information on the building where the client lives: common area, "
                "average value."
            ),
        ),
        "ELEVATORS_AVG": Column(
            pgettext_lazy("column", "Building: elevators (average)"),
            _(
                "Normalised information on the building where the client lives: elevators, "
                "average value."
            ),
        ),
        "ENTRANCES_AVG": Column(
            pgettext_lazy("column", "Building: entrances (average)"),
            _(
                "Normalised information on the building where the client lives: entrances, "
                "average value."
            ),
        ),
        "FLOORSMAX_AVG": Column(
            pgettext_lazy("column", "Building: highest floor (average)"),
            _(
                "Normalised information on the building where the client lives: highest floor, "
                "average value."
            ),
        ),
        "FLOORSMIN_AVG": Column(
            pgettext_lazy("column", "Building: lowest floor (average)"),
            _(
                "Normalised information on the building where the client lives: lowest floor, "
                "average value."
            ),
        ),
        "LANDAREA_AVG": Column(
            pgettext_lazy("column", "Building: land area (average)"),
            _(
                "Normalised information on the building where the client lives: land area, "
                "average value."
            ),
        ),
        "LIVINGAPARTMENTS_AVG": Column(
            pgettext_lazy("column", "Building: living apartments (average)"),
            _(
                "Normalised information on the building where the client lives: living "
                "apartments, average value."
            ),
        ),
        "LIVINGAREA_AVG": Column(
            pgettext_lazy("column", "Building: living area (average)"),
            _(
                "Normalised information on the building where the client lives: living area, "
                "average value."
            ),
        ),
        "NONLIVINGAPARTMENTS_AVG": Column(
            pgettext_lazy("column", "Building: non-residential units (average)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "units, average value."
            ),
        ),
        "NONLIVINGAREA_AVG": Column(
            pgettext_lazy("column", "Building: non-residential area (average)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "area, average value."
            ),
        ),
        "APARTMENTS_MODE": Column(
            pgettext_lazy("column", "Building: apartment size (most frequent)"),
            _(
                "Normalised information on the building where the client lives: apartment size, "
                "most frequent value."
            ),
        ),
        "BASEMENTAREA_MODE": Column(
            pgettext_lazy("column", "Building: basement area (most frequent)"),
            _(
                "Normalised information on the building where the client lives: basement area, "
                "most frequent value."
            ),
        ),
        "YEARS_BEGINEXPLUATATION_MODE": Column(
            pgettext_lazy("column", "Building: years in use (most frequent)"),
            _(
                "Normalised information on the building where the client lives: years in use, "
                "most frequent value."
            ),
        ),
        "YEARS_BUILD_MODE": Column(
            pgettext_lazy("column", "Building: building age (most frequent)"),
            _(
                "Normalised information on the building where the client lives: building age, "
                "most frequent value."
            ),
        ),
        "COMMONAREA_MODE": Column(
            pgettext_lazy("column", "Building: common area (most frequent)"),
            _(
                "Normalised information on the building where the client lives: common area, most "
                "frequent value."
            ),
        ),
        "ELEVATORS_MODE": Column(
            pgettext_lazy("column", "Building: elevators (most frequent)"),
            _(
                "Normalised information on the building where the client lives: elevators, most "
                "frequent value."
            ),
        ),
        "ENTRANCES_MODE": Column(
            pgettext_lazy("column", "Building: entrances (most frequent)"),
            _(
                "Normalised information on the building where the client lives: entrances, most "
                "frequent value."
            ),
        ),
        "FLOORSMAX_MODE": Column(
            pgettext_lazy("column", "Building: highest floor (most frequent)"),
            _(
                "Normalised information on the building where the client lives: highest floor, "
                "most frequent value."
            ),
        ),
        "FLOORSMIN_MODE": Column(
            pgettext_lazy("column", "Building: lowest floor (most frequent)"),
            _(
                "Normalised information on the building where the client lives: lowest floor, "
                "most frequent value."
            ),
        ),
        "LANDAREA_MODE": Column(
            pgettext_lazy("column", "Building: land area (most frequent)"),
            _(
                "Normalised information on the building where the client lives: land area, most "
                "frequent value."
            ),
        ),
        "LIVINGAPARTMENTS_MODE": Column(
            pgettext_lazy("column", "Building: living apartments (most frequent)"),
            _(
                "Normalised information on the building where the client lives: living "
                "apartments, most frequent value."
            ),
        ),
        "LIVINGAREA_MODE": Column(
            pgettext_lazy("column", "Building: living area (most frequent)"),
            _(
                "Normalised information on the building where the client lives: living area, most "
                "frequent value."
            ),
        ),
        "NONLIVINGAPARTMENTS_MODE": Column(
            pgettext_lazy("column", "Building: non-residential units (most frequent)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "units, most frequent value."
            ),
        ),
        "NONLIVINGAREA_MODE": Column(
            pgettext_lazy("column", "Building: non-residential area (most frequent)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "area, most frequent value."
            ),
        ),
        "APARTMENTS_MEDI": Column(
            pgettext_lazy("column", "Building: apartment size (median)"),
            _(
                "Normalised information on the building where the client lives: apartment size, "
                "median value."
            ),
        ),
        "BASEMENTAREA_MEDI": Column(
            pgettext_lazy("column", "Building: basement area (median)"),
            _(
                "Normalised information on the building where the client lives: basement area, "
                "median value."
            ),
        ),
        "YEARS_BEGINEXPLUATATION_MEDI": Column(
            pgettext_lazy("column", "Building: years in use (median)"),
            _(
                "Normalised information on the building where the client lives: years in use, "
                "median value."
            ),
        ),
        "YEARS_BUILD_MEDI": Column(
            pgettext_lazy("column", "Building: building age (median)"),
            _(
                "Normalised information on the building where the client lives: building age, "
                "median value."
            ),
        ),
        "COMMONAREA_MEDI": Column(
            pgettext_lazy("column", "Building: common area (median)"),
            _(
                "Normalised information on the building where the client lives: common area, "
                "median value."
            ),
        ),
        "ELEVATORS_MEDI": Column(
            pgettext_lazy("column", "Building: elevators (median)"),
            _(
                "Normalised information on the building where the client lives: elevators, median "
                "value."
            ),
        ),
        "ENTRANCES_MEDI": Column(
            pgettext_lazy("column", "Building: entrances (median)"),
            _(
                "Normalised information on the building where the client lives: entrances, median "
                "value."
            ),
        ),
        "FLOORSMAX_MEDI": Column(
            pgettext_lazy("column", "Building: highest floor (median)"),
            _(
                "Normalised information on the building where the client lives: highest floor, "
                "median value."
            ),
        ),
        "FLOORSMIN_MEDI": Column(
            pgettext_lazy("column", "Building: lowest floor (median)"),
            _(
                "Normalised information on the building where the client lives: lowest floor, "
                "median value."
            ),
        ),
        "LANDAREA_MEDI": Column(
            pgettext_lazy("column", "Building: land area (median)"),
            _(
                "Normalised information on the building where the client lives: land area, median "
                "value."
            ),
        ),
        "LIVINGAPARTMENTS_MEDI": Column(
            pgettext_lazy("column", "Building: living apartments (median)"),
            _(
                "Normalised information on the building where the client lives: living "
                "apartments, median value."
            ),
        ),
        "LIVINGAREA_MEDI": Column(
            pgettext_lazy("column", "Building: living area (median)"),
            _(
                "Normalised information on the building where the client lives: living area, "
                "median value."
            ),
        ),
        "NONLIVINGAPARTMENTS_MEDI": Column(
            pgettext_lazy("column", "Building: non-residential units (median)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "units, median value."
            ),
        ),
        "NONLIVINGAREA_MEDI": Column(
            pgettext_lazy("column", "Building: non-residential area (median)"),
            _(
                "Normalised information on the building where the client lives: non-residential "
                "area, median value."
            ),
        ),
        "FONDKAPREMONT_MODE": Column(
            pgettext_lazy("column", "Building: repair fund"),
            _(
                "Normalised information on the building where the client lives: kind of fund for "
                "major repairs."
            ),
        ),
        "HOUSETYPE_MODE": Column(
            pgettext_lazy("column", "Building: house type"),
            _("Normalised information on the building where the client lives: kind of house."),
        ),
        "TOTALAREA_MODE": Column(
            pgettext_lazy("column", "Building: total area"),
            _("Normalised information on the building where the client lives: total area."),
        ),
        "WALLSMATERIAL_MODE": Column(
            pgettext_lazy("column", "Building: wall material"),
            _(
                "Normalised information on the building where the client lives: material of the "
                "walls."
            ),
        ),
        "EMERGENCYSTATE_MODE": Column(
            pgettext_lazy("column", "Building: unsafe state"),
            _(
                "Normalised information on the building where the client lives: whether the "
                "building is reported unsafe."
            ),
        ),
        "OBS_30_CNT_SOCIAL_CIRCLE": Column(
            pgettext_lazy("column", "Social circle observed (30 days)"),
            _(
                "Number of people around the client whose repayments were observed with 30 days "
                "past due."
            ),
        ),
        "DEF_30_CNT_SOCIAL_CIRCLE": Column(
            pgettext_lazy("column", "Social circle defaults (30 days)"),
            _("Number of people around the client who defaulted with 30 days past due."),
        ),
        "OBS_60_CNT_SOCIAL_CIRCLE": Column(
            pgettext_lazy("column", "Social circle observed (60 days)"),
            _(
                "Number of people around the client whose repayments were observed with 60 days "
                "past due."
            ),
        ),
        "DEF_60_CNT_SOCIAL_CIRCLE": Column(
            pgettext_lazy("column", "Social circle defaults (60 days)"),
            _("Number of people around the client who defaulted with 60 days past due."),
        ),
        "DAYS_LAST_PHONE_CHANGE": Column(
            pgettext_lazy("column", "Phone change"),
            _("Days between the client's last change of phone and the application."),
        ),
        "FLAG_DOCUMENT_2": Column(
            pgettext_lazy("column", "Document 2 provided"),
            _("Whether the client provided document number 2 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_3": Column(
            pgettext_lazy("column", "Document 3 provided"),
            _("Whether the client provided document number 3 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_4": Column(
            pgettext_lazy("column", "Document 4 provided"),
            _("Whether the client provided document number 4 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_5": Column(
            pgettext_lazy("column", "Document 5 provided"),
            _("Whether the client provided document number 5 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_6": Column(
            pgettext_lazy("column", "Document 6 provided"),
            _("Whether the client provided document number 6 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_7": Column(
            pgettext_lazy("column", "Document 7 provided"),
            _("Whether the client provided document number 7 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_8": Column(
            pgettext_lazy("column", "Document 8 provided"),
            _("Whether the client provided document number 8 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_9": Column(
            pgettext_lazy("column", "Document 9 provided"),
            _("Whether the client provided document number 9 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_10": Column(
            pgettext_lazy("column", "Document 10 provided"),
            _("Whether the client provided document number 10 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_11": Column(
            pgettext_lazy("column", "Document 11 provided"),
            _("Whether the client provided document number 11 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_12": Column(
            pgettext_lazy("column", "Document 12 provided"),
            _("Whether the client provided document number 12 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_13": Column(
            pgettext_lazy("column", "Document 13 provided"),
            _("Whether the client provided document number 13 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_14": Column(
            pgettext_lazy("column", "Document 14 provided"),
            _("Whether the client provided document number 14 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_15": Column(
            pgettext_lazy("column", "Document 15 provided"),
            _("Whether the client provided document number 15 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_16": Column(
            pgettext_lazy("column", "Document 16 provided"),
            _("Whether the client provided document number 16 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_17": Column(
            pgettext_lazy("column", "Document 17 provided"),
            _("Whether the client provided document number 17 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_18": Column(
            pgettext_lazy("column", "Document 18 provided"),
            _("Whether the client provided document number 18 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_19": Column(
            pgettext_lazy("column", "Document 19 provided"),
            _("Whether the client provided document number 19 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_20": Column(
            pgettext_lazy("column", "Document 20 provided"),
            _("Whether the client provided document number 20 (1 yes, 0 no)."),
        ),
        "FLAG_DOCUMENT_21": Column(
            pgettext_lazy("column", "Document 21 provided"),
            _("Whether the client provided document number 21 (1 yes, 0 no)."),
        ),
        "AMT_REQ_CREDIT_BUREAU_HOUR": Column(
            pgettext_lazy("column", "Bureau enquiries (last hour)"),
            _(
                "Number of enquiries to the credit bureau about the client in the hour before the "
                "application."
            ),
        ),
        "AMT_REQ_CREDIT_BUREAU_DAY": Column(
            pgettext_lazy("column", "Bureau enquiries (last day)"),
            _(
                "Number of enquiries to the credit bureau about the client in the day before the "
                "application, last hour excluded."
            ),
        ),
        "AMT_REQ_CREDIT_BUREAU_WEEK": Column(
            pgettext_lazy("column", "Bureau enquiries (last week)"),
            _(
                "Number of enquiries to the credit bureau about the client in the week before the "
                "application, last day excluded."
            ),
        ),
        "AMT_REQ_CREDIT_BUREAU_MON": Column(
            pgettext_lazy("column", "Bureau enquiries (last month)"),
            _(
                "Number of enquiries to the credit bureau about the client in the month before "
                "the application, last week excluded."
            ),
        ),
        "AMT_REQ_CREDIT_BUREAU_QRT": Column(
            pgettext_lazy("column", "Bureau enquiries (last 3 months)"),
            _(
                "Number of enquiries to the credit bureau about the client in the three months "
                "before the application, last month excluded."
            ),
        ),
        "AMT_REQ_CREDIT_BUREAU_YEAR": Column(
            pgettext_lazy("column", "Bureau enquiries (last year)"),
            _(
                "Number of enquiries to the credit bureau about the client in the year before the "
                "application, last three months excluded."
            ),
        ),
    },
    "bureau": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the current application (the client) this row belongs to."),
        ),
        "SK_ID_BUREAU": Column(
            pgettext_lazy("column", "Bureau credit ID"),
            _("Identifier of a credit reported by the credit bureau."),
        ),
        "CREDIT_ACTIVE": Column(
            pgettext_lazy("column", "Status"),
            _("Status of the credit reported by the credit bureau (active, closed, sold...)."),
        ),
        "CREDIT_CURRENCY": Column(
            pgettext_lazy("column", "Currency"),
            _("Currency of the credit, recoded."),
        ),
        "DAYS_CREDIT": Column(
            pgettext_lazy("column", "Opened (days before)"),
            _("Days before the current application when the client applied for this credit."),
        ),
        "CREDIT_DAY_OVERDUE": Column(
            pgettext_lazy("column", "Days overdue"),
            _("Days past due on this credit when the client made the current application."),
        ),
        "DAYS_CREDIT_ENDDATE": Column(
            pgettext_lazy("column", "Remaining duration (days)"),
            _("Days left on this credit when the client made the current application."),
        ),
        "DAYS_ENDDATE_FACT": Column(
            pgettext_lazy("column", "Ended (days before)"),
            _("For a closed credit: days between its end and the current application."),
        ),
        "AMT_CREDIT_MAX_OVERDUE": Column(
            pgettext_lazy("column", "Highest amount overdue"),
            _("Largest amount ever overdue on this credit, up to the current application."),
        ),
        "CNT_CREDIT_PROLONG": Column(
            pgettext_lazy("column", "Extensions"),
            _("How many times this credit was extended."),
        ),
        "AMT_CREDIT_SUM": Column(
            pgettext_lazy("column", "Credit amount"),
            _("Current amount of this credit."),
        ),
        "AMT_CREDIT_SUM_DEBT": Column(
            pgettext_lazy("column", "Current debt"),
            _("Amount still owed on this credit."),
        ),
        "AMT_CREDIT_SUM_LIMIT": Column(
            pgettext_lazy("column", "Card limit"),
            _("Current limit of a credit card reported by the bureau."),
        ),
        "AMT_CREDIT_SUM_OVERDUE": Column(
            pgettext_lazy("column", "Amount overdue"),
            _("Amount currently overdue on this credit."),
        ),
        "CREDIT_TYPE": Column(
            pgettext_lazy("column", "Credit type"),
            _("Kind of credit (consumer credit, credit card, car loan, mortgage...)."),
        ),
        "DAYS_CREDIT_UPDATE": Column(
            pgettext_lazy("column", "Last update (days before)"),
            _("Days before the current application when the bureau last updated this credit."),
        ),
        "AMT_ANNUITY": Column(
            pgettext_lazy("column", "Annuity"),
            _("Regular repayment due on this credit."),
        ),
    },
    "bureau_balance": {
        "SK_ID_BUREAU": Column(
            pgettext_lazy("column", "Bureau credit ID"),
            _("Identifier of the credit bureau's credit this month belongs to."),
        ),
        "MONTHS_BALANCE": Column(
            pgettext_lazy("column", "Month"),
            _("Month of the balance, counted back from the application (-1 is the most recent)."),
        ),
        "STATUS": Column(
            pgettext_lazy("column", "Monthly status"),
            _(
                "Status of the bureau credit in the month: C closed, X unknown, 0 no delay, 1 to "
                "5 growing delay (1: 1-30 days ... 5: over 120 days, sold or written off)."
            ),
        ),
    },
    "previous_application": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the current application (the client) this row belongs to."),
        ),
        "SK_ID_PREV": Column(
            pgettext_lazy("column", "Previous credit ID"),
            _("Identifier of an earlier credit or application of the client with us."),
        ),
        "NAME_CONTRACT_TYPE": Column(
            pgettext_lazy("column", "Product"),
            _("Kind of product asked for earlier (cash loan, consumer loan, revolving credit)."),
        ),
        "AMT_ANNUITY": Column(
            pgettext_lazy("column", "Annuity"),
            _("Regular repayment of the earlier application."),
        ),
        "AMT_APPLICATION": Column(
            pgettext_lazy("column", "Amount asked"),
            _("Amount the client asked for earlier."),
        ),
        "AMT_CREDIT": Column(
            pgettext_lazy("column", "Amount granted"),
            _("Final amount of the earlier credit; it can differ from the amount asked."),
        ),
        "AMT_DOWN_PAYMENT": Column(
            pgettext_lazy("column", "Down payment"),
            _("Down payment on the earlier application."),
        ),
        "AMT_GOODS_PRICE": Column(
            pgettext_lazy("column", "Goods price"),
            _("Price of the goods asked for, when there were any."),
        ),
        "WEEKDAY_APPR_PROCESS_START": Column(
            pgettext_lazy("column", "Application weekday"),
            _("Day of the week of the earlier application."),
        ),
        "HOUR_APPR_PROCESS_START": Column(
            pgettext_lazy("column", "Application hour"),
            _("Hour of the day, rounded, of the earlier application."),
        ),
        "FLAG_LAST_APPL_PER_CONTRACT": Column(
            pgettext_lazy("column", "Last application of the contract"),
            _(
                "Whether this was the last application for its contract (duplicates happen by "
                "mistake)."
            ),
        ),
        "NFLAG_LAST_APPL_IN_DAY": Column(
            pgettext_lazy("column", "Last application of the day"),
            _("Whether this was the client's last application that day."),
        ),
        "RATE_DOWN_PAYMENT": Column(
            pgettext_lazy("column", "Down payment rate"),
            _("Normalised share of the down payment."),
        ),
        "RATE_INTEREST_PRIMARY": Column(
            pgettext_lazy("column", "Interest rate"),
            _("Normalised interest rate of the earlier credit."),
        ),
        "RATE_INTEREST_PRIVILEGED": Column(
            pgettext_lazy("column", "Preferential interest rate"),
            _("Normalised preferential interest rate of the earlier credit."),
        ),
        "NAME_CASH_LOAN_PURPOSE": Column(
            pgettext_lazy("column", "Loan purpose"),
            _("What the cash loan was for."),
        ),
        "NAME_CONTRACT_STATUS": Column(
            pgettext_lazy("column", "Outcome"),
            _("Outcome of the earlier application (approved, refused, cancelled, unused offer)."),
        ),
        "DAYS_DECISION": Column(
            pgettext_lazy("column", "Decided (days before)"),
            _("Days before the current application when the earlier one was decided."),
        ),
        "NAME_PAYMENT_TYPE": Column(
            pgettext_lazy("column", "Payment method"),
            _("How the client chose to repay the earlier credit."),
        ),
        "CODE_REJECT_REASON": Column(
            pgettext_lazy("column", "Rejection reason"),
            _("Why the earlier application was refused (coded)."),
        ),
        "NAME_TYPE_SUITE": Column(
            pgettext_lazy("column", "Accompanied by"),
            _("Who came with the client for the earlier application."),
        ),
        "NAME_CLIENT_TYPE": Column(
            pgettext_lazy("column", "Client type"),
            _("Whether the client was new or returning at the earlier application."),
        ),
        "NAME_GOODS_CATEGORY": Column(
            pgettext_lazy("column", "Goods category"),
            _("Kind of goods the earlier application was for."),
        ),
        "NAME_PORTFOLIO": Column(
            pgettext_lazy("column", "Portfolio"),
            _("Product family of the earlier application (cash, point of sale, car, cards)."),
        ),
        "NAME_PRODUCT_TYPE": Column(
            pgettext_lazy("column", "Sale type"),
            _("Whether the earlier application came from cross-selling or from a walk-in client."),
        ),
        "CHANNEL_TYPE": Column(
            pgettext_lazy("column", "Sales channel"),
            _("Channel through which the client came for the earlier application."),
        ),
        "SELLERPLACE_AREA": Column(
            pgettext_lazy("column", "Seller area"),
            _("Selling area of the seller of the earlier application."),
        ),
        "NAME_SELLER_INDUSTRY": Column(
            pgettext_lazy("column", "Seller industry"),
            _("Industry of the seller."),
        ),
        "CNT_PAYMENT": Column(
            pgettext_lazy("column", "Term (instalments)"),
            _("Number of instalments planned for the earlier credit."),
        ),
        "NAME_YIELD_GROUP": Column(
            pgettext_lazy("column", "Interest level"),
            _("Interest rate of the earlier credit, grouped into low, medium and high."),
        ),
        "PRODUCT_COMBINATION": Column(
            pgettext_lazy("column", "Product combination"),
            _("Detailed product combination of the earlier application."),
        ),
        "DAYS_FIRST_DRAWING": Column(
            pgettext_lazy("column", "First drawing (days)"),
            _(
                "When the first money of the earlier credit was paid out, relative to the current "
                "application."
            ),
        ),
        "DAYS_FIRST_DUE": Column(
            pgettext_lazy("column", "First due date (days)"),
            _(
                "When the first instalment of the earlier credit was due, relative to the current "
                "application."
            ),
        ),
        "DAYS_LAST_DUE_1ST_VERSION": Column(
            pgettext_lazy("column", "Last due date, first plan (days)"),
            _(
                "When the last instalment was due in the first payment plan, relative to the "
                "current application."
            ),
        ),
        "DAYS_LAST_DUE": Column(
            pgettext_lazy("column", "Last due date (days)"),
            _(
                "When the last instalment of the earlier credit was due, relative to the current "
                "application."
            ),
        ),
        "DAYS_TERMINATION": Column(
            pgettext_lazy("column", "Expected end (days)"),
            _("When the earlier credit was expected to end, relative to the current application."),
        ),
        "NFLAG_INSURED_ON_APPROVAL": Column(
            pgettext_lazy("column", "Insurance requested"),
            _("Whether the client asked for insurance with the earlier credit."),
        ),
    },
    "POS_CASH_balance": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the current application (the client) this row belongs to."),
        ),
        "SK_ID_PREV": Column(
            pgettext_lazy("column", "Previous credit ID"),
            _("Identifier of an earlier credit or application of the client with us."),
        ),
        "MONTHS_BALANCE": Column(
            pgettext_lazy("column", "Month"),
            _("Month of the snapshot, counted back from the application (-1 is the most recent)."),
        ),
        "CNT_INSTALMENT": Column(
            pgettext_lazy("column", "Term (instalments)"),
            _("Number of instalments of the earlier credit; it can change over time."),
        ),
        "CNT_INSTALMENT_FUTURE": Column(
            pgettext_lazy("column", "Instalments left"),
            _("Instalments still to pay on the earlier credit."),
        ),
        "NAME_CONTRACT_STATUS": Column(
            pgettext_lazy("column", "Status"),
            _("Status of the contract during the month."),
        ),
        "SK_DPD": Column(
            pgettext_lazy("column", "Days past due"),
            _("Days past due on the earlier credit during the month."),
        ),
        "SK_DPD_DEF": Column(
            pgettext_lazy("column", "Days past due (tolerance)"),
            _("Days past due during the month, ignoring debts of small amounts."),
        ),
    },
    "installments_payments": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the current application (the client) this row belongs to."),
        ),
        "SK_ID_PREV": Column(
            pgettext_lazy("column", "Previous credit ID"),
            _("Identifier of an earlier credit or application of the client with us."),
        ),
        "NUM_INSTALMENT_VERSION": Column(
            pgettext_lazy("column", "Payment plan version"),
            _(
                "Version of the payment plan (0 for a credit card); a change means the plan was "
                "modified."
            ),
        ),
        "NUM_INSTALMENT_NUMBER": Column(
            pgettext_lazy("column", "Instalment number"),
            _("Which instalment the payment is for."),
        ),
        "DAYS_INSTALMENT": Column(
            pgettext_lazy("column", "Due date (days)"),
            _("When the instalment was due, relative to the current application."),
        ),
        "DAYS_ENTRY_PAYMENT": Column(
            pgettext_lazy("column", "Payment date (days)"),
            _("When the instalment was actually paid, relative to the current application."),
        ),
        "AMT_INSTALMENT": Column(
            pgettext_lazy("column", "Amount due"),
            _("Amount due for this instalment."),
        ),
        "AMT_PAYMENT": Column(
            pgettext_lazy("column", "Amount paid"),
            _("Amount the client actually paid for this instalment."),
        ),
    },
    "credit_card_balance": {
        "SK_ID_CURR": Column(
            pgettext_lazy("column", "Client ID"),
            _("Identifier of the current application (the client) this row belongs to."),
        ),
        "SK_ID_PREV": Column(
            pgettext_lazy("column", "Previous credit ID"),
            _("Identifier of an earlier credit or application of the client with us."),
        ),
        "MONTHS_BALANCE": Column(
            pgettext_lazy("column", "Month"),
            _("Month of the balance, counted back from the application (-1 is the most recent)."),
        ),
        "AMT_BALANCE": Column(
            pgettext_lazy("column", "Balance"),
            _("Balance of the card during the month."),
        ),
        "AMT_CREDIT_LIMIT_ACTUAL": Column(
            pgettext_lazy("column", "Card limit"),
            _("Limit of the card during the month."),
        ),
        "AMT_DRAWINGS_ATM_CURRENT": Column(
            pgettext_lazy("column", "Cash withdrawals"),
            _("Amount withdrawn at cash machines during the month."),
        ),
        "AMT_DRAWINGS_CURRENT": Column(
            pgettext_lazy("column", "Drawings"),
            _("Total amount drawn during the month."),
        ),
        "AMT_DRAWINGS_OTHER_CURRENT": Column(
            pgettext_lazy("column", "Other drawings"),
            _("Amount of other drawings during the month."),
        ),
        "AMT_DRAWINGS_POS_CURRENT": Column(
            pgettext_lazy("column", "Purchases"),
            _("Amount spent on purchases during the month."),
        ),
        "AMT_INST_MIN_REGULARITY": Column(
            pgettext_lazy("column", "Minimum instalment"),
            _("Minimum instalment due for the month."),
        ),
        "AMT_PAYMENT_CURRENT": Column(
            pgettext_lazy("column", "Payment"),
            _("Amount the client paid during the month."),
        ),
        "AMT_PAYMENT_TOTAL_CURRENT": Column(
            pgettext_lazy("column", "Total payment"),
            _("Total amount the client paid during the month."),
        ),
        "AMT_RECEIVABLE_PRINCIPAL": Column(
            pgettext_lazy("column", "Principal receivable"),
            _("Principal still to be repaid."),
        ),
        "AMT_RECIVABLE": Column(
            pgettext_lazy("column", "Receivable"),
            _("Amount still to be received."),
        ),
        "AMT_TOTAL_RECEIVABLE": Column(
            pgettext_lazy("column", "Total receivable"),
            _("Total amount still to be received."),
        ),
        "CNT_DRAWINGS_ATM_CURRENT": Column(
            pgettext_lazy("column", "Cash withdrawals (count)"),
            _("Number of cash machine withdrawals during the month."),
        ),
        "CNT_DRAWINGS_CURRENT": Column(
            pgettext_lazy("column", "Drawings (count)"),
            _("Number of drawings during the month."),
        ),
        "CNT_DRAWINGS_OTHER_CURRENT": Column(
            pgettext_lazy("column", "Other drawings (count)"),
            _("Number of other drawings during the month."),
        ),
        "CNT_DRAWINGS_POS_CURRENT": Column(
            pgettext_lazy("column", "Purchases (count)"),
            _("Number of purchases during the month."),
        ),
        "CNT_INSTALMENT_MATURE_CUM": Column(
            pgettext_lazy("column", "Instalments paid"),
            _("Number of instalments paid so far."),
        ),
        "NAME_CONTRACT_STATUS": Column(
            pgettext_lazy("column", "Status"),
            _("Status of the card contract during the month."),
        ),
        "SK_DPD": Column(
            pgettext_lazy("column", "Days past due"),
            _("Days past due on the earlier credit during the month."),
        ),
        "SK_DPD_DEF": Column(
            pgettext_lazy("column", "Days past due (tolerance)"),
            _("Days past due during the month, ignoring debts of small amounts."),
        ),
    },
}

# column -> Kaggle value -> its wording, in the order the values are offered.
VALUES: dict[str, dict[str, Promise]] = {
    "NAME_CONTRACT_TYPE": {
        "Cash loans": pgettext_lazy("value of NAME_CONTRACT_TYPE", "Cash loan"),
        "Revolving loans": pgettext_lazy("value of NAME_CONTRACT_TYPE", "Revolving credit"),
        "Consumer loans": pgettext_lazy("value of NAME_CONTRACT_TYPE", "Consumer loan"),
        "XNA": pgettext_lazy("value of NAME_CONTRACT_TYPE", "Not given"),
    },
    "CODE_GENDER": {
        "F": pgettext_lazy("value of CODE_GENDER", "Female"),
        "M": pgettext_lazy("value of CODE_GENDER", "Male"),
        "XNA": pgettext_lazy("value of CODE_GENDER", "Not given"),
    },
    "FLAG_OWN_CAR": {
        "Y": pgettext_lazy("value of FLAG_OWN_CAR", "Yes"),
        "N": pgettext_lazy("value of FLAG_OWN_CAR", "No"),
        "XNA": pgettext_lazy("value of FLAG_OWN_CAR", "Not given"),
    },
    "FLAG_OWN_REALTY": {
        "Y": pgettext_lazy("value of FLAG_OWN_REALTY", "Yes"),
        "N": pgettext_lazy("value of FLAG_OWN_REALTY", "No"),
        "XNA": pgettext_lazy("value of FLAG_OWN_REALTY", "Not given"),
    },
    "NAME_INCOME_TYPE": {
        "Working": pgettext_lazy("value of NAME_INCOME_TYPE", "Employee"),
        "Commercial associate": pgettext_lazy("value of NAME_INCOME_TYPE", "Commercial associate"),
        "Pensioner": pgettext_lazy("value of NAME_INCOME_TYPE", "Pensioner"),
        "State servant": pgettext_lazy("value of NAME_INCOME_TYPE", "Civil servant"),
        "Unemployed": pgettext_lazy("value of NAME_INCOME_TYPE", "Unemployed"),
        "Student": pgettext_lazy("value of NAME_INCOME_TYPE", "Student"),
        "Businessman": pgettext_lazy("value of NAME_INCOME_TYPE", "Business owner"),
        "Maternity leave": pgettext_lazy("value of NAME_INCOME_TYPE", "Maternity leave"),
        "XNA": pgettext_lazy("value of NAME_INCOME_TYPE", "Not given"),
    },
    "NAME_EDUCATION_TYPE": {
        "Secondary / secondary special": pgettext_lazy("value of NAME_EDUCATION_TYPE", "Secondary"),
        "Higher education": pgettext_lazy("value of NAME_EDUCATION_TYPE", "Higher education"),
        "Incomplete higher": pgettext_lazy(
            "value of NAME_EDUCATION_TYPE", "Incomplete higher education"
        ),
        "Lower secondary": pgettext_lazy("value of NAME_EDUCATION_TYPE", "Lower secondary"),
        "Academic degree": pgettext_lazy("value of NAME_EDUCATION_TYPE", "Academic degree"),
        "XNA": pgettext_lazy("value of NAME_EDUCATION_TYPE", "Not given"),
    },
    "NAME_FAMILY_STATUS": {
        "Married": pgettext_lazy("value of NAME_FAMILY_STATUS", "Married"),
        "Single / not married": pgettext_lazy("value of NAME_FAMILY_STATUS", "Single"),
        "Civil marriage": pgettext_lazy("value of NAME_FAMILY_STATUS", "Civil partnership"),
        "Separated": pgettext_lazy("value of NAME_FAMILY_STATUS", "Separated"),
        "Widow": pgettext_lazy("value of NAME_FAMILY_STATUS", "Widowed"),
        "XNA": pgettext_lazy("value of NAME_FAMILY_STATUS", "Not given"),
    },
    "NAME_HOUSING_TYPE": {
        "House / apartment": pgettext_lazy("value of NAME_HOUSING_TYPE", "House or flat"),
        "With parents": pgettext_lazy("value of NAME_HOUSING_TYPE", "With parents"),
        "Municipal apartment": pgettext_lazy("value of NAME_HOUSING_TYPE", "Municipal housing"),
        "Rented apartment": pgettext_lazy("value of NAME_HOUSING_TYPE", "Rented flat"),
        "Office apartment": pgettext_lazy("value of NAME_HOUSING_TYPE", "Company housing"),
        "Co-op apartment": pgettext_lazy("value of NAME_HOUSING_TYPE", "Co-op flat"),
        "XNA": pgettext_lazy("value of NAME_HOUSING_TYPE", "Not given"),
    },
    "NAME_TYPE_SUITE": {
        "Unaccompanied": pgettext_lazy("value of NAME_TYPE_SUITE", "Alone"),
        "Family": pgettext_lazy("value of NAME_TYPE_SUITE", "Family"),
        "Spouse, partner": pgettext_lazy("value of NAME_TYPE_SUITE", "Spouse or partner"),
        "Children": pgettext_lazy("value of NAME_TYPE_SUITE", "Children"),
        "Other_A": pgettext_lazy("value of NAME_TYPE_SUITE", "Other (A)"),
        "Other_B": pgettext_lazy("value of NAME_TYPE_SUITE", "Other (B)"),
        "Group of people": pgettext_lazy("value of NAME_TYPE_SUITE", "Group of people"),
        "XNA": pgettext_lazy("value of NAME_TYPE_SUITE", "Not given"),
    },
    "WEEKDAY_APPR_PROCESS_START": {
        "MONDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Monday"),
        "TUESDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Tuesday"),
        "WEDNESDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Wednesday"),
        "THURSDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Thursday"),
        "FRIDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Friday"),
        "SATURDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Saturday"),
        "SUNDAY": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Sunday"),
        "XNA": pgettext_lazy("value of WEEKDAY_APPR_PROCESS_START", "Not given"),
    },
    "CREDIT_ACTIVE": {
        "Active": pgettext_lazy("value of CREDIT_ACTIVE", "Active"),
        "Closed": pgettext_lazy("value of CREDIT_ACTIVE", "Closed"),
        "Sold": pgettext_lazy("value of CREDIT_ACTIVE", "Sold"),
        "Bad debt": pgettext_lazy("value of CREDIT_ACTIVE", "Bad debt"),
        "XNA": pgettext_lazy("value of CREDIT_ACTIVE", "Not given"),
    },
    "CREDIT_TYPE": {
        "Consumer credit": pgettext_lazy("value of CREDIT_TYPE", "Consumer credit"),
        "Credit card": pgettext_lazy("value of CREDIT_TYPE", "Credit card"),
        "Car loan": pgettext_lazy("value of CREDIT_TYPE", "Car loan"),
        "Mortgage": pgettext_lazy("value of CREDIT_TYPE", "Mortgage"),
        "Microloan": pgettext_lazy("value of CREDIT_TYPE", "Microloan"),
        "Loan for business development": pgettext_lazy(
            "value of CREDIT_TYPE", "Business development loan"
        ),
        "Another type of loan": pgettext_lazy("value of CREDIT_TYPE", "Other loan"),
        "Unknown type of loan": pgettext_lazy("value of CREDIT_TYPE", "Unknown loan type"),
        "Loan for working capital replenishment": pgettext_lazy(
            "value of CREDIT_TYPE", "Working capital loan"
        ),
        "Cash loan (non-earmarked)": pgettext_lazy("value of CREDIT_TYPE", "Cash loan"),
        "Real estate loan": pgettext_lazy("value of CREDIT_TYPE", "Real estate loan"),
        "Loan for the purchase of equipment": pgettext_lazy(
            "value of CREDIT_TYPE", "Equipment loan"
        ),
        "Interbank credit": pgettext_lazy("value of CREDIT_TYPE", "Interbank credit"),
        "Loan for purchase of shares (margin lending)": pgettext_lazy(
            "value of CREDIT_TYPE", "Margin loan"
        ),
        "Mobile operator loan": pgettext_lazy("value of CREDIT_TYPE", "Mobile operator loan"),
        "XNA": pgettext_lazy("value of CREDIT_TYPE", "Not given"),
    },
    "NAME_CONTRACT_STATUS": {
        "Approved": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Approved"),
        "Refused": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Refused"),
        "Canceled": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Cancelled"),
        "Unused offer": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Unused offer"),
        "Active": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Active"),
        "Completed": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Completed"),
        "Signed": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Signed"),
        "Demand": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Formal demand"),
        "Returned to the store": pgettext_lazy(
            "value of NAME_CONTRACT_STATUS", "Returned to the store"
        ),
        "Amortized debt": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Amortised debt"),
        "Sent proposal": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Proposal sent"),
        "XNA": pgettext_lazy("value of NAME_CONTRACT_STATUS", "Not given"),
    },
    # The lender's own codes (the Kaggle files do not document them): said in words, the
    # code kept beside them (dashboard's reject_reason) so that a colleague can look it up.
    "CODE_REJECT_REASON": {
        "XAP": pgettext_lazy("value of CODE_REJECT_REASON", "Not refused"),
        "HC": pgettext_lazy("value of CODE_REJECT_REASON", "Our own lending rules"),
        "LIMIT": pgettext_lazy("value of CODE_REJECT_REASON", "Credit limit reached"),
        "SCO": pgettext_lazy("value of CODE_REJECT_REASON", "Credit score too low"),
        "SCOFR": pgettext_lazy("value of CODE_REJECT_REASON", "Score: suspected fraud"),
        "CLIENT": pgettext_lazy("value of CODE_REJECT_REASON", "Withdrawn by the client"),
        "VERIF": pgettext_lazy("value of CODE_REJECT_REASON", "Information not verified"),
        "SYSTEM": pgettext_lazy("value of CODE_REJECT_REASON", "Technical reason"),
        "XNA": pgettext_lazy("value of CODE_REJECT_REASON", "Not given"),
    },
    "NAME_CLIENT_TYPE": {
        "New": pgettext_lazy("value of NAME_CLIENT_TYPE", "New"),
        "Repeater": pgettext_lazy("value of NAME_CLIENT_TYPE", "Returning"),
        "Refreshed": pgettext_lazy("value of NAME_CLIENT_TYPE", "Refreshed"),
        "XNA": pgettext_lazy("value of NAME_CLIENT_TYPE", "Not given"),
    },
    "OCCUPATION_TYPE": {
        "Accountants": pgettext_lazy("value of OCCUPATION_TYPE", "Accountant"),
        "Cleaning staff": pgettext_lazy("value of OCCUPATION_TYPE", "Cleaning staff"),
        "Cooking staff": pgettext_lazy("value of OCCUPATION_TYPE", "Cook"),
        "Core staff": pgettext_lazy("value of OCCUPATION_TYPE", "Core staff"),
        "Drivers": pgettext_lazy("value of OCCUPATION_TYPE", "Driver"),
        "HR staff": pgettext_lazy("value of OCCUPATION_TYPE", "HR staff"),
        "High skill tech staff": pgettext_lazy("value of OCCUPATION_TYPE", "Skilled technician"),
        "IT staff": pgettext_lazy("value of OCCUPATION_TYPE", "IT staff"),
        "Laborers": pgettext_lazy("value of OCCUPATION_TYPE", "Labourer"),
        "Low-skill Laborers": pgettext_lazy("value of OCCUPATION_TYPE", "Low-skill labourer"),
        "Managers": pgettext_lazy("value of OCCUPATION_TYPE", "Manager"),
        "Medicine staff": pgettext_lazy("value of OCCUPATION_TYPE", "Medical staff"),
        "Private service staff": pgettext_lazy("value of OCCUPATION_TYPE", "Private service staff"),
        "Realty agents": pgettext_lazy("value of OCCUPATION_TYPE", "Estate agent"),
        "Sales staff": pgettext_lazy("value of OCCUPATION_TYPE", "Sales staff"),
        "Secretaries": pgettext_lazy("value of OCCUPATION_TYPE", "Secretary"),
        "Security staff": pgettext_lazy("value of OCCUPATION_TYPE", "Security staff"),
        "Waiters/barmen staff": pgettext_lazy("value of OCCUPATION_TYPE", "Waiter or bartender"),
        "XNA": pgettext_lazy("value of OCCUPATION_TYPE", "Not given"),
    },
    "ORGANIZATION_TYPE": {
        "Advertising": pgettext_lazy("value of ORGANIZATION_TYPE", "Advertising"),
        "Agriculture": pgettext_lazy("value of ORGANIZATION_TYPE", "Agriculture"),
        "Bank": pgettext_lazy("value of ORGANIZATION_TYPE", "Bank"),
        "Cleaning": pgettext_lazy("value of ORGANIZATION_TYPE", "Cleaning"),
        "Construction": pgettext_lazy("value of ORGANIZATION_TYPE", "Construction"),
        "Culture": pgettext_lazy("value of ORGANIZATION_TYPE", "Culture"),
        "Electricity": pgettext_lazy("value of ORGANIZATION_TYPE", "Electricity"),
        "Emergency": pgettext_lazy("value of ORGANIZATION_TYPE", "Emergency services"),
        "Government": pgettext_lazy("value of ORGANIZATION_TYPE", "Government"),
        "Hotel": pgettext_lazy("value of ORGANIZATION_TYPE", "Hotel"),
        "Housing": pgettext_lazy("value of ORGANIZATION_TYPE", "Housing"),
        "Insurance": pgettext_lazy("value of ORGANIZATION_TYPE", "Insurance"),
        "Kindergarten": pgettext_lazy("value of ORGANIZATION_TYPE", "Kindergarten"),
        "Legal Services": pgettext_lazy("value of ORGANIZATION_TYPE", "Legal services"),
        "Medicine": pgettext_lazy("value of ORGANIZATION_TYPE", "Medicine"),
        "Military": pgettext_lazy("value of ORGANIZATION_TYPE", "Military"),
        "Mobile": pgettext_lazy("value of ORGANIZATION_TYPE", "Mobile telephony"),
        "Other": pgettext_lazy("value of ORGANIZATION_TYPE", "Other"),
        "Police": pgettext_lazy("value of ORGANIZATION_TYPE", "Police"),
        "Postal": pgettext_lazy("value of ORGANIZATION_TYPE", "Postal services"),
        "Realtor": pgettext_lazy("value of ORGANIZATION_TYPE", "Estate agency"),
        "Religion": pgettext_lazy("value of ORGANIZATION_TYPE", "Religion"),
        "Restaurant": pgettext_lazy("value of ORGANIZATION_TYPE", "Restaurant"),
        "School": pgettext_lazy("value of ORGANIZATION_TYPE", "School"),
        "Security": pgettext_lazy("value of ORGANIZATION_TYPE", "Security"),
        "Security Ministries": pgettext_lazy("value of ORGANIZATION_TYPE", "Security ministries"),
        "Self-employed": pgettext_lazy("value of ORGANIZATION_TYPE", "Self-employed"),
        "Services": pgettext_lazy("value of ORGANIZATION_TYPE", "Services"),
        "Telecom": pgettext_lazy("value of ORGANIZATION_TYPE", "Telecommunications"),
        "University": pgettext_lazy("value of ORGANIZATION_TYPE", "University"),
        "Business Entity Type 1": pgettext_lazy("value of ORGANIZATION_TYPE", "Business, type 1"),
        "Business Entity Type 2": pgettext_lazy("value of ORGANIZATION_TYPE", "Business, type 2"),
        "Business Entity Type 3": pgettext_lazy("value of ORGANIZATION_TYPE", "Business, type 3"),
        "Industry: type 1": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 1"),
        "Industry: type 2": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 2"),
        "Industry: type 3": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 3"),
        "Industry: type 4": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 4"),
        "Industry: type 5": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 5"),
        "Industry: type 6": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 6"),
        "Industry: type 7": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 7"),
        "Industry: type 8": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 8"),
        "Industry: type 9": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 9"),
        "Industry: type 10": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 10"),
        "Industry: type 11": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 11"),
        "Industry: type 12": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 12"),
        "Industry: type 13": pgettext_lazy("value of ORGANIZATION_TYPE", "Industry, type 13"),
        "Trade: type 1": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 1"),
        "Trade: type 2": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 2"),
        "Trade: type 3": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 3"),
        "Trade: type 4": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 4"),
        "Trade: type 5": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 5"),
        "Trade: type 6": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 6"),
        "Trade: type 7": pgettext_lazy("value of ORGANIZATION_TYPE", "Trade, type 7"),
        "Transport: type 1": pgettext_lazy("value of ORGANIZATION_TYPE", "Transport, type 1"),
        "Transport: type 2": pgettext_lazy("value of ORGANIZATION_TYPE", "Transport, type 2"),
        "Transport: type 3": pgettext_lazy("value of ORGANIZATION_TYPE", "Transport, type 3"),
        "Transport: type 4": pgettext_lazy("value of ORGANIZATION_TYPE", "Transport, type 4"),
        "XNA": pgettext_lazy("value of ORGANIZATION_TYPE", "Not given"),
    },
}

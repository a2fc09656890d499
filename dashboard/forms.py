"""The advisor's forms: the portfolio's search, filters and sort (a GET form: every state is
a URL), and on a client's page the what-if simulation and the final decision."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

import formatting
from clients import field_descriptions
from clients.models import Application
from dashboard.selectors import DEFAULT_SORT, NOT_SCORED, PortfolioFilters
from formatting.forms import LocalNumberField
from ml import levels as kaggle_levels
from scoring.decisions import (
    MIN_JUSTIFICATION_WORDS,
    justification_rule,
    justification_word_count,
)
from scoring.loan_terms import ANNUITY, CREDIT, GOODS_PRICE, TERM, InvalidChange
from scoring.models import Decision, ReviewRequest
from scoring.reviews import CORRECTABLE_FACTS
from scoring.risk_bands import RISK_BANDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The Kaggle values offered in the filters: fixed lists (ml/levels.py's), so that
# drawing the form never runs a SELECT DISTINCT over every client.
CONTRACT_TYPES = kaggle_levels.CONTRACT_TYPES
GENDERS = ("F", "M")
INCOME_TYPES = kaggle_levels.levels("application", "NAME_INCOME_TYPE")

SORT_CHOICES = (
    ("id", _("Client ID, ascending")),
    ("-id", _("Client ID, descending")),
    ("income", _("Income, lowest first")),
    ("-income", _("Income, highest first")),
    ("credit", _("Credit amount, lowest first")),
    ("-credit", _("Credit amount, highest first")),
    ("age", _("Age, youngest first")),
    ("-age", _("Age, oldest first")),
    ("risk", _("Probability of default, lowest first")),
    ("-risk", _("Probability of default, highest first")),
)

DECISION_CHOICES = (
    ("", _("All")),
    (Decision.GRANTED, _("Granted by the model")),
    (Decision.REFUSED, _("Refused by the model")),
    (NOT_SCORED, _("Not scored yet")),
)
RISK_BAND_CHOICES = (("", _("All")), *((band.key, band.label) for band in RISK_BANDS))


def _value_choices(column: str, values: tuple[str, ...]) -> list[tuple[str, StrOrPromise]]:
    """("", "All") then each Kaggle value with its label in the active language."""
    lang = formatting.active_language()
    return [("", _("All"))] + [
        (value, field_descriptions.value_label(column, value, lang)) for value in values
    ]


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "A client ID (or its first digits), or a word of an income type, employer type "
            "or occupation."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    contract_type = forms.ChoiceField(label=_("Contract type"), required=False)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    income_type = forms.ChoiceField(label=_("Income type"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), required=False, choices=DECISION_CHOICES)
    risk_band = forms.ChoiceField(
        label=_("Risk band"),
        required=False,
        choices=RISK_BAND_CHOICES,
        # The bounds are explained under the filters (templates/dashboard/portfolio.html).
        widget=forms.Select(attrs={"aria-describedby": "risk-band-help"}),
    )
    pending_review = forms.BooleanField(label=_("Pending review only"), required=False)
    awaiting_decision = forms.BooleanField(
        label=_("No final decision recorded yet"), required=False
    )
    # Sorting is done with the column headers; the hidden field carries it across searches.
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=SORT_CHOICES, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per request: the labels follow the language of the request.
        for name, column, values in (
            ("contract_type", "NAME_CONTRACT_TYPE", CONTRACT_TYPES),
            ("gender", "CODE_GENDER", GENDERS),
            ("income_type", "NAME_INCOME_TYPE", INCOME_TYPES),
        ):
            cast(forms.ChoiceField, self.fields[name]).choices = _value_choices(column, values)
        for bound_field in self.visible_fields():
            if isinstance(bound_field.field, forms.BooleanField):
                css = "form-check-input"
            elif isinstance(bound_field.field, forms.ChoiceField):
                css = "form-select"
            else:
                css = "form-control"
            bound_field.field.widget.attrs.setdefault("class", css)

    # The template draws the filters in two rows: the client's data, then the scores.
    def client_filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("contract_type", "gender", "income_type")]

    def score_filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("decision", "risk_band")]

    def workflow_filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("pending_review", "awaiting_decision")]

    def filters(self) -> PortfolioFilters:
        """The filters asked for; an invalid field is ignored rather than failing the page."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {}) or {}
        return PortfolioFilters(
            q=data.get("q") or "",
            contract_type=data.get("contract_type") or "",
            gender=data.get("gender") or "",
            income_type=data.get("income_type") or "",
            decision=data.get("decision") or "",
            risk_band=data.get("risk_band") or "",
            pending_review=bool(data.get("pending_review")),
            awaiting_decision=bool(data.get("awaiting_decision")),
            sort=data.get("sort") or DEFAULT_SORT,
        )


# Form field -> the what-if service's field, and how close a submitted value may be
# to the current one and still count as "unchanged" (the form shows amounts rounded
# to the unit and the term to a tenth of a month).
WHAT_IF_FIELDS: dict[str, tuple[str, float]] = {
    "amt_credit": (CREDIT, 0.5),
    "amt_annuity": (ANNUITY, 0.5),
    "amt_goods_price": (GOODS_PRICE, 0.5),
    "term_months": (TERM, 0.05),
}


def _number_field(label: StrOrPromise, help_text: StrOrPromise) -> LocalNumberField:
    return LocalNumberField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


# What stays fixed when the amount changes (the term, by default: the instalment follows).
KEEP_TERM = "term"
KEEP_INSTALMENT = "instalment"


class WhatIfForm(forms.Form):
    """Other loan terms to simulate; a field left at its current value is not a change.

    The term and the instalment fix each other (term = credit / instalment), so
    the advisor chooses which one stays as typed when the amount changes: the
    term (by default; the instalment is recomputed) or the instalment (the term
    is recomputed). The other field is shown recomputed and never sent to the
    service, so the inputs shown always agree with each other. Bounds are the
    what-if service's (`scoring.loan_terms.validate_changes`): its
    `InvalidChange` is shown next to the field it names.
    """

    amt_credit = _number_field(gettext_lazy("Credit amount"), gettext_lazy("The amount lent."))
    keep = forms.ChoiceField(
        label=gettext_lazy("When the amount changes, keep"),
        choices=[
            (KEEP_TERM, gettext_lazy("the term: the instalment is recomputed")),
            (KEEP_INSTALMENT, gettext_lazy("the instalment: the term is recomputed")),
        ],
        initial=KEEP_TERM,
        required=False,
        widget=forms.RadioSelect,
    )
    term_months = _number_field(
        gettext_lazy("Term (months)"),
        gettext_lazy(
            "Used when the term is kept; otherwise the credit amount divided by the instalment."
        ),
    )
    amt_annuity = _number_field(
        gettext_lazy("Monthly instalment"),
        gettext_lazy(
            "Used when the instalment is kept; otherwise the credit amount divided by the term."
        ),
    )
    amt_goods_price = _number_field(
        gettext_lazy("Price of the goods"),
        gettext_lazy("For consumer loans. It changes only if you change it."),
    )

    def __init__(
        self,
        *args: Any,
        current: dict[str, float | None],
        shown: dict[str, float | None] | None = None,
        keep: str = KEEP_TERM,
        **kwargs: Any,
    ) -> None:
        """`current`: the application's values; `shown`: the values to fill in (the
        current ones by default, a simulated scenario's after a simulation)."""
        initial = {name: _rounded(name, value) for name, value in (shown or current).items()}
        kwargs.setdefault("initial", {**initial, "keep": keep})
        super().__init__(*args, **kwargs)
        self.current = current
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's form carries the token
        # static/js/dashboard.js marks the recomputed field read-only and recomputes it as
        # the advisor types; without JavaScript the server ignores it all the same.
        self.fields["term_months"].widget.attrs["data-what-if"] = "term"
        self.fields["amt_annuity"].widget.attrs["data-what-if"] = "instalment"
        self.fields["amt_credit"].widget.attrs["data-what-if"] = "credit"

    @staticmethod
    def current_of(application: Application) -> dict[str, float | None]:
        """The application's current values of the form's fields (None when unknown)."""
        credit, annuity = application.amt_credit, application.amt_annuity
        term = credit / annuity if credit and annuity else None
        return {
            "amt_credit": credit,
            "amt_annuity": annuity,
            "amt_goods_price": application.amt_goods_price,
            "term_months": term,
        }

    @staticmethod
    def shown_of(inputs: dict[str, float | None]) -> dict[str, float | None]:
        """The form's values for the service's loan terms (a what-if's "after" inputs)."""
        return {
            name: inputs.get(service_field)
            for name, (service_field, _tol) in WHAT_IF_FIELDS.items()
        }

    @property
    def kept(self) -> str:
        """What stays fixed when the amount changes (valid form only)."""
        return self.cleaned_data.get("keep") or KEEP_TERM

    def _changed(self, name: str) -> float | None:
        """The value of `name` if it differs from the current one, else None."""
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        current = self.current.get(name)
        tolerance = WHAT_IF_FIELDS[name][1]
        if current is not None and math.isfinite(current) and abs(value - current) < tolerance:
            return None
        return value

    def changes(self) -> dict[str, float]:
        """The changed fields as the what-if service names them (valid form only).

        Only the kept one of term and instalment is read; keeping the
        instalment while the amount changes sends the instalment even when it
        is unchanged, which is what makes the service keep it (the term follows).
        """
        changed: dict[str, float] = {}
        credit = self._changed("amt_credit")
        if credit is not None:
            changed[CREDIT] = credit
        if self.kept == KEEP_INSTALMENT:
            annuity = self._changed("amt_annuity")
            if annuity is None and credit is not None:
                annuity = self.current.get("amt_annuity")  # unchanged: exactly as stored
            if annuity is not None:
                changed[ANNUITY] = annuity
        else:
            term = self._changed("term_months")
            if term is not None:
                changed[TERM] = term
        goods = self._changed("amt_goods_price")
        if goods is not None:
            changed[GOODS_PRICE] = goods
        return changed

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not self.errors and not self.changes():
            raise forms.ValidationError(gettext("Change at least one value to simulate."))
        return cleaned

    def add_service_error(self, error: InvalidChange) -> None:
        """Show the service's refusal next to the field it names."""
        field = error.field.lower()
        self.add_error(field if field in self.fields else None, error.reason)


def _rounded(name: str, value: float | None) -> str | None:
    """The current value as the form shows it: amounts to the unit, the term to a tenth."""
    if value is None or not math.isfinite(value):
        return None
    decimals = 1 if name == "term_months" else 0
    return formatting.number(value, decimals=decimals)


class CreditDecisionForm(forms.Form):
    """The final decision: follow the model, or override it with a written justification.

    The rule (a number of different words, `scoring.decisions`) is said in the
    field's help, before typing; the form opens on the decision last recorded,
    else on the model's.
    """

    outcome = forms.ChoiceField(
        label=gettext_lazy("Final decision"),
        choices=[
            (Decision.GRANTED.value, gettext_lazy("Grant the credit")),
            (Decision.REFUSED.value, gettext_lazy("Refuse the credit")),
        ],
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, model_decision: str, recorded_outcome: str = "", **kwargs: Any
    ) -> None:
        outcome = recorded_outcome or model_decision
        if outcome:
            kwargs.setdefault("initial", {"outcome": outcome})
        super().__init__(*args, **kwargs)
        self.model_decision = model_decision
        # Built per request: the rule in the page's language.
        self.fields["justification"].help_text = " ".join(
            (
                justification_rule(),
                gettext("The client, the supervisor and the regulator may ask why."),
            )
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @property
    def is_override(self) -> bool:
        return self.cleaned_data.get("outcome") != self.model_decision

    def clean(self) -> dict[str, Any]:
        # The service refuses the same thing (scoring.decisions): this says it in the
        # page's language, next to the field, with the count so far.
        super().clean()
        cleaned = self.cleaned_data
        outcome = cleaned.get("outcome")
        words = justification_word_count(cleaned.get("justification") or "")
        if outcome and outcome != self.model_decision and words < MIN_JUSTIFICATION_WORDS:
            self.add_error(
                "justification",
                " ".join(
                    (
                        justification_rule(),
                        ngettext(
                            "So far: %(count)s different word.",
                            "So far: %(count)s different words.",
                            words,
                        )
                        % {"count": words},
                    )
                ),
            )
        return cleaned


class ReviewCorrectionForm(forms.Form):
    """The facts of a review request the advisor corrects (the client's claims prefilled).

    A field left empty or at the recorded value is no change; the bounds are the
    service's (`scoring.reviews.facts_clean`), whose errors come back next to the field.
    """

    def __init__(self, *args: Any, claimed: dict[str, float], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                fact.key.lower(): formatting.number(claimed[fact.key], decimals=1)
                for fact in CORRECTABLE_FACTS
                if fact.key in claimed
            },
        )
        super().__init__(*args, **kwargs)
        for fact in CORRECTABLE_FACTS:
            self.fields[fact.key.lower()] = LocalNumberField(
                label=str(fact.label),
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def values(self) -> dict[str, float]:
        """The facts given, keyed as the service names them (valid form only)."""
        return {
            fact.key: self.cleaned_data[fact.key.lower()]
            for fact in CORRECTABLE_FACTS
            if self.cleaned_data.get(fact.key.lower()) is not None
        }

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            field = key.lower() if key.lower() in self.fields else None
            for message in messages:
                self.add_error(field, message)


class ReviewAnswerForm(forms.Form):
    """The advisor's written answer to the client's request."""

    answer = forms.CharField(
        label=gettext_lazy("Your answer to the client"),
        max_length=ReviewRequest.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "The client reads it in their space: say what you checked, what you corrected "
            "and what you decided, in plain words."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ClientInvitationForm(forms.Form):
    """The client's e-mail address, where the portal's activation link goes."""

    email = forms.EmailField(
        label=_("Client's e-mail address"),
        max_length=150,
        error_messages={"required": _("Give the client's e-mail address.")},
    )

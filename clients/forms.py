"""The portfolio's search, filter and sort form (a GET form: every state is a URL)."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clients import field_descriptions
from clients.selectors import DEFAULT_SORT, NOT_SCORED, PortfolioFilters
from scoring.models import Decision
from scoring.risk_bands import RISK_BANDS

# The Kaggle values offered in the filters: fixed lists, so that drawing the
# form never runs a SELECT DISTINCT over every client.
CONTRACT_TYPES = ("Cash loans", "Revolving loans")
GENDERS = ("F", "M")
INCOME_TYPES = (
    "Working",
    "Commercial associate",
    "Pensioner",
    "State servant",
    "Unemployed",
    "Student",
    "Businessman",
    "Maternity leave",
)

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


def _value_choices(column: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """("", "All") then each Kaggle value with its label in the active language."""
    lang = get_language() or "fr"
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
        # The bounds are explained under the filters (templates/clients/portfolio.html).
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
        self.fields["contract_type"].choices = _value_choices("NAME_CONTRACT_TYPE", CONTRACT_TYPES)
        self.fields["gender"].choices = _value_choices("CODE_GENDER", GENDERS)
        self.fields["income_type"].choices = _value_choices("NAME_INCOME_TYPE", INCOME_TYPES)
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

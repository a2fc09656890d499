"""What-if and counterfactual on a client's page: re-scored with other loan terms, unsaved."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import formatting
from accounts.access import access_rule
from accounts.throttle import limit_exceeded
from audit.models import AuditEvent
from audit.services import audit_event_record
from dashboard import wording
from dashboard.access import CLIENT_PAGES, get_staff_application, is_htmx
from dashboard.forms import KEEP_TERM, WhatIfForm
from dashboard.views.responses import render_fragment_or_page
from scoring.counterfactual import counterfactual
from scoring.governance import manual_review_on
from scoring.loan_terms import ANNUITY, CREDIT, GOODS_PRICE, TERM, InvalidChange
from scoring.registry import NoActiveModel
from scoring.what_if import what_if

# Changed factors listed under a what-if result.
WHAT_IF_FACTORS = 5
_LOAN_FIELDS = ("sk_id_curr", "amt_credit", "amt_annuity", "amt_goods_price")


def _too_many_simulations(request: HttpRequest) -> HttpResponse | None:
    """429 once a person asked for more than SIMULATIONS_PER_MINUTE simulations in a minute.

    Each what-if scores the client again, each counterfactual a grid of scenarios (CPU in
    the web process): one person in a loop must not take the web workers from the others.
    """
    if not limit_exceeded(
        scope="simulations",
        key=str(request.user.pk),
        limit=settings.SIMULATIONS_PER_MINUTE,
        window=60,
    ):
        return None
    response = HttpResponse(
        format_html(
            '<div class="alert alert-warning" role="alert" data-testid="too-many-simulations">'
            "{}</div>",
            _("Too many simulations in one minute: wait a moment, then try again."),
        ),
        status=429,
    )
    response["Retry-After"] = "60"
    return response


@require_POST
@access_rule(CLIENT_PAGES)
def what_if_simulate(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """Re-score the client with other loan terms; nothing is saved.

    Who: staff who see the client (advisors: their own clients; supervisors and
    risk staff: all); not the client. Invalid values come back next to their
    field (status 200 for htmx, which swaps the panel; 400 for a plain POST).
    """
    application = get_staff_application(request, sk_id_curr, fields=_LOAN_FIELDS)
    if (refused := _too_many_simulations(request)) is not None:
        return refused
    form = WhatIfForm(request.POST, current=WhatIfForm.current_of(application))
    result = None
    if form.is_valid():
        try:
            result = what_if(
                application=application,
                changes=form.changes(),
                language=wording.language(),
                top=WHAT_IF_FACTORS,
            )
        except InvalidChange as error:
            form.add_service_error(error)
        except NoActiveModel:
            form.add_error(None, _("Scoring is unavailable: no model is active."))
    if result is not None:
        audit_event_record(
            actor=request.user,
            action=AuditEvent.Action.EXPLANATION_VIEWED,
            application_id=application.pk,
            model_version=result["model_version"],
            detail={"view": "what_if", "changes": result["changes"]},
        )
    if result is not None:
        # The form now shows the simulated terms, the recomputed one included, formatted
        # like the page (what is shown is what was scored; submitting it again changes nothing).
        form = WhatIfForm(
            current=form.current,
            shown=WhatIfForm.shown_of(result["inputs"]["after"]),
            keep=form.kept,
        )
    context = {
        "application": application,
        "what_if_form": form,
        "what_if": result,
        "what_if_view": _what_if_view(result) if result else None,
    }
    status = 200 if result is not None or is_htmx(request) else 400
    return render_fragment_or_page(
        request, "dashboard/client_what_if_panel.html", context, title=_("What if"), status=status
    )


def _what_if_view(result: dict) -> dict:
    before, after = result["before"], result["after"]
    # The difference of the two percentages as shown (to a tenth of a point), so that
    # "12.0% -> 11.0%" reads "-1.0 points", never the unrounded "-0.9".
    shown_delta = (
        formatting.rounded(100 * after["probability"], 1)
        - formatting.rounded(100 * before["probability"], 1)
    ) / 100
    return {
        "before_percent": wording.percent(before["probability"]),
        "after_percent": wording.percent(after["probability"]),
        # Said after "The decision would change/stay:": the decision's own words.
        "before_label": wording.decision_outcome(before["decision"]),
        "after_label": wording.decision_outcome(after["decision"]),
        "delta_points": wording.points(shown_delta),
        "direction": "up" if shown_delta > 0 else ("down" if shown_delta < 0 else "same"),
        "threshold_percent": wording.percent(result["threshold"]),
        "terms": _loan_terms_rows(result),
        # A factor whose effect moved by less than the tenth of a point shown is not listed.
        "factors": [
            factor
            for factor in result["factors"]
            if factor["points_change"] is None or abs(factor["points_change"]) >= 0.05
        ],
        "sentence": (
            wording.advisory_sentence(
                probability=after["probability"], threshold=result["threshold"]
            )
            if manual_review_on()
            else wording.decision_sentence(
                probability=after["probability"],
                threshold=result["threshold"],
                decision=after["decision"],
            )
        ),
    }


def _loan_terms_rows(result: dict) -> list[dict]:
    """The loan terms before and after, each saying whether it was typed or recomputed."""
    before, after, changes = (
        result["inputs"]["before"],
        result["inputs"]["after"],
        result["changes"],
    )
    rows = []
    for field, label, is_money in (
        (CREDIT, _("Credit amount"), True),
        (TERM, _("Term"), False),
        (ANNUITY, _("Monthly instalment"), True),
        (GOODS_PRICE, _("Price of the goods"), True),
    ):
        shown = formatting.money if is_money else _months
        changed = _differs(before[field], after[field])
        rows.append(
            {
                "field": field.lower(),
                "label": label,
                "before": shown(before[field]),
                "after": shown(after[field]),
                "changed": changed,
                # Moved without being asked: the term or the instalment following the amount.
                "recomputed": changed and field not in changes,
            }
        )
    return rows


def _differs(before: float | None, after: float | None) -> bool:
    if before is None or after is None:
        return before is not after
    return not math.isclose(before, after, rel_tol=1e-9)


def _months(value: float | None) -> str:
    return formatting.month_count(round(value, 1)) if value is not None else formatting.MISSING


@require_GET
@access_rule(CLIENT_PAGES)
def counterfactual_suggestion(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """The smallest change of amount and/or term that would turn a refusal into a grant.

    Who: staff who see the client (advisors: their own clients; supervisors and
    risk staff: all); not the client. Loaded by htmx once the page is shown (a
    whole grid of scenarios is scored), or followed as a link without JavaScript.
    """
    application = get_staff_application(request, sk_id_curr, fields=_LOAN_FIELDS)
    if (refused := _too_many_simulations(request)) is not None:
        return refused
    try:
        result = counterfactual(application=application, language=wording.language())
    except NoActiveModel:
        result = None
    context: dict[str, Any] = {"application": application, "counterfactual": result}
    if result is not None and result["suggestion"] is not None:
        suggestion = result["suggestion"]
        context["suggestion_sentence"] = _(
            "%(reason)s Probability of default %(probability)s, under the threshold of "
            "%(threshold)s."
        ) % {
            "reason": result["reason"],
            "probability": wording.percent(suggestion["probability"]),
            "threshold": wording.percent(result["threshold"]),
        }
        # The other ways to a grant: the amount alone, the term alone (when they differ).
        context["alternative_sentences"] = [
            _("%(reason)s Probability of default %(probability)s.")
            % {
                "reason": alternative["reason"],
                "probability": wording.percent(alternative["probability"]),
            }
            for alternative in result["alternatives"]
        ]
        # The suggestion as what-if fields, written as the page writes numbers, so that the
        # advisor can run it and see its factors; the term stays as typed (or as it is).
        context["suggestion_fields"] = {
            form_field: formatting.number(suggestion["changes"][service_field], decimals)
            for form_field, service_field, decimals in (
                ("amt_credit", CREDIT, 0),
                ("amt_goods_price", GOODS_PRICE, 0),
                ("term_months", TERM, 1),
            )
            if service_field in suggestion["changes"]
        } | {"keep": KEEP_TERM}
    return render_fragment_or_page(
        request,
        "dashboard/client_counterfactual.html",
        context,
        title=_("What would change the decision"),
    )

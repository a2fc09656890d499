"""Explanation and population fragments of a client's page, reloaded when the advisor asks.

* GET /clients/<id>/explanation?top=N                the waterfall with N factors (5/10/15/20)
* GET /clients/<id>/charts/distribution?feature=F    the client's value among repaid/defaulted
* GET /clients/<id>/charts/bivariate?x=F&y=G          the population scatter with the client

Each explains the client's latest successful score with the model version
that computed it. htmx swaps the fragment in place; without JavaScript the
selects submit to the same URLs and get the fragment in a full page. Each
view is an audit event (`explanation.viewed`, with what was looked at).

Who, for all three: staff who see the client (advisors: their own clients;
supervisors and risk staff: all). A client gets 403 on their own record, 404
on others' (the scoping rule answers first); no role: 403; anonymous: login.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.access import access_rule
from audit.models import AuditEvent
from audit.services import audit_event_record
from dashboard import page_context
from dashboard.access import CLIENT_PAGES, get_staff_application
from dashboard.views.responses import render_fragment_or_page
from explanations import population
from scoring.explanations import score_feature_values
from scoring.selectors import score_latest_done


def _scored(request: HttpRequest, sk_id_curr: int):
    """The client (scoped, staff only) and its latest successful score; 404 when unscored."""
    application = get_staff_application(request, sk_id_curr)
    score = score_latest_done(application=application)
    if score is None:
        raise Http404("This client has no score yet.")
    return application, score


def _audit(request: HttpRequest, score, **detail) -> None:
    audit_event_record(
        actor=request.user,
        action=AuditEvent.Action.EXPLANATION_VIEWED,
        application_id=score.application_id,
        model_version=score.model_version.version,
        detail={"score": str(score.pk), **detail},
    )


@require_GET
@access_rule(CLIENT_PAGES)
def explanation_factors(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """The local explanation with the number of factors asked for (`top`).

    Who: see the module docstring.
    """
    application, score = _scored(request, sk_id_curr)
    top = page_context.parse_top(request.GET.get("top"))
    context = {
        "application": application,
        "score": score,
        "top": top,
        "top_choices": page_context.TOP_CHOICES,
        "decision_support": True,
        **page_context.explanation_context(score=score, top=top),
    }
    _audit(request, score, view="explanation", top=top)
    return render_fragment_or_page(
        request, "dashboard/client_explanation_body.html", context, title=_("Explanation")
    )


@require_GET
@access_rule(CLIENT_PAGES)
def distribution_chart(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """The distribution of one feature among repaid and defaulted clients, the client marked.

    Who: see the module docstring. `feature` must be one of the comparable
    features offered on the page (400 otherwise).
    """
    application, score = _scored(request, sk_id_curr)
    version = score.model_version
    features = page_context.comparable_features(version)
    feature = request.GET.get("feature", "")
    if feature not in {row["feature"] for row in features}:
        return HttpResponse(_("Unknown feature."), status=400, content_type="text/plain")
    chart = page_context.distribution_chart(
        version=version, feature=feature, values=score_feature_values(score)
    )
    _audit(request, score, view="distribution", feature=feature)
    context = {
        "application": application,
        "distribution": chart,
        "population": {"features": features, "feature": feature},
    }
    return render_fragment_or_page(
        request,
        "dashboard/client_population_distribution.html",
        context,
        title=_("Client vs population"),
    )


@require_GET
@access_rule(CLIENT_PAGES)
def bivariate_chart(request: HttpRequest, sk_id_curr: int) -> HttpResponse:
    """A scatter of the population on two numeric features, coloured by outcome, the client starred.

    Who: see the module docstring. `x` and `y` must be comparable numeric
    features (400 otherwise).
    """
    application, score = _scored(request, sk_id_curr)
    version = score.model_version
    features = page_context.comparable_features(version)
    numeric = [row for row in features if row["kind"] == population.NUMERIC]
    allowed = {row["feature"] for row in numeric}
    x, y = request.GET.get("x", ""), request.GET.get("y", "")
    if x not in allowed or y not in allowed:
        return HttpResponse(
            _("Choose two numeric features."), status=400, content_type="text/plain"
        )
    chart = page_context.scatter_chart(
        version=version, x=x, y=y, values=score_feature_values(score)
    )
    _audit(request, score, view="bivariate", x=x, y=y)
    context = {
        "application": application,
        "scatter": chart,
        "population": {"numeric_features": numeric, "x": x, "y": y},
    }
    return render_fragment_or_page(
        request,
        "dashboard/client_population_scatter.html",
        context,
        title=_("Client vs population"),
    )

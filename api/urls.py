"""Routes of the API (included under /api/ by creditscore/urls.py).

/api/v1/...      the API, version 1 (see each view's docstring: who, what, codes)
/api/schema/     its OpenAPI 3 schema (drf-spectacular)
/api/docs/       Swagger UI over that schema (assets from drf-spectacular-sidecar)
"""

from __future__ import annotations

from django.urls import path

from api import applications, batches, docs, model_versions, predict, scores, tokens

# drf-spectacular's extensions register themselves when their module is imported. Here,
# with the routes the schema is generated from, rather than in AppConfig.ready(): there
# they cost every management command and worker about 0.3 s of start-up (drf-spectacular's
# plumbing) for a schema only a web request or `manage.py spectacular` ever builds.
from api import schema  # noqa: F401, E402  isort: skip

app_name = "api"

urlpatterns = [
    path("v1/auth/token", tokens.TokenView.as_view(), name="token"),
    path("v1/applications", applications.ApplicationListView.as_view(), name="applications"),
    path(
        "v1/applications/<int:sk_id_curr>",
        applications.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "v1/applications/<int:sk_id_curr>/score",
        applications.ApplicationScoreView.as_view(),
        name="application-score",
    ),
    path(
        "v1/applications/<int:sk_id_curr>/explanation",
        applications.ApplicationExplanationView.as_view(),
        name="application-explanation",
    ),
    path("v1/scores/<uuid:score_id>", scores.ScoreDetailView.as_view(), name="score-detail"),
    path("v1/predict", predict.PredictView.as_view(), name="predict"),
    path("v1/batches", batches.BatchListView.as_view(), name="batches"),
    path("v1/batches/<uuid:batch_id>", batches.BatchDetailView.as_view(), name="batch-detail"),
    path(
        "v1/batches/<uuid:batch_id>/results",
        batches.BatchResultsView.as_view(),
        name="batch-results",
    ),
    path("v1/models/active", model_versions.ActiveModelView.as_view(), name="model-active"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.DocsView.as_view(url_name="api:schema"), name="docs"),
]

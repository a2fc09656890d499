"""The REST API (DRF), version 1: one module per resource.

    urls.py            every route, /api/v1/... plus the schema and the docs
    permissions.py     who may call what (built on accounts/roles.py)
    throttling.py      rate limits read at request time
    serializers/       input and output per resource, generated from ml.schema
    tokens.py          POST/DELETE /api/v1/auth/token
    applications.py    /api/v1/applications[/{id}[/score|/explanation]]
    scores.py          /api/v1/scores/{id}
    predict.py         /api/v1/predict (stateless)
    model_versions.py  /api/v1/models/active
    batches.py         /api/v1/batches[/{id}[/results]] (batch scoring)

Views stay thin: reads go through `scoring.selectors` and
`scoring.explanations`, writes through the services of `clients` and
`scoring`. /healthz lives in creditscore/health.py.
"""

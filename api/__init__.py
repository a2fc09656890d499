"""The REST API (DRF), version 1: one module per resource.

    urls.py            every route, /api/v1/... plus the schema and the docs
    permissions.py     who may call what (built on accounts/roles.py)
    authentication.py  a 401 naming the Token scheme for "Bearer ..." and the like
    negotiation.py     one language per response (?lang=, Accept-Language)
    throttling.py      rate limits read at request time
    exceptions.py      errors with their own status codes (503, 409)
    serializers/       input and output per resource, generated from ml.schema and
                       ml.levels (required fields, enums), with the Swagger examples
    schema.py          drf-spectacular extensions
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

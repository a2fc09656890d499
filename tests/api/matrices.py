"""Expected status codes shared by several endpoints (callers as in tests/api/conftest.py)."""

from __future__ import annotations

# Reading one object scoped through its application (an application, its score,
# its explanation): the scope hides what is not one's own behind a 404.
READ_WITHIN_SCOPE = {
    "anonymous": 401,
    "integration": 200,
    "advisor": 200,
    "colleague": 404,
    "supervisor": 200,
    # A client reads their file in the portal, never through the API (which shows the
    # model's output before a person decided): 403, their own record or not.
    "client_own": 403,
    "client_other": 403,
    "staff": 200,
    "stranger": 403,
}

"""/api/schema/ and /api/docs/: the OpenAPI schema and its Swagger UI (drf-spectacular).

Who: anyone: they describe the API, not its data (every operation still asks
for its own rule).
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.permissions import API_DOCS, FollowsAccessRule


class SchemaView(SpectacularAPIView):
    access_rule = API_DOCS
    permission_classes = [FollowsAccessRule]


class DocsView(SpectacularSwaggerView):
    access_rule = API_DOCS
    permission_classes = [FollowsAccessRule]

"""/api/schema/ and /api/docs/: the OpenAPI schema and its Swagger UI (drf-spectacular).

Who: anyone: they describe the API, not its data (every operation still asks
for its own rule).
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.permissions import API_DOCS, FollowsAccessRule


class SchemaView(SpectacularAPIView):
    access_rule = API_DOCS
    permission_classes = [FollowsAccessRule]


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI, its start-up script served from its own URL (`?script`): no inline script,
    so the site's Content-Security-Policy applies unchanged to scripts. Swagger UI's page
    and bundle set inline styles: this page alone allows them."""

    access_rule = API_DOCS
    permission_classes = [FollowsAccessRule]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Read by django-csp. Replaced, not added to: beside a hash, browsers ignore
        # 'unsafe-inline'.
        response._csp_replace = {
            "style-src": [SELF, UNSAFE_INLINE],
            "style-src-elem": [SELF, UNSAFE_INLINE],
        }
        return response

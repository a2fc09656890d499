"""The API's pages: `?page=N`, N a whole number from 1 (or "last")."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, but a `page` that is no number (even empty) is a 400 naming it.

    DRF read an empty `page=` as the first page and anything else as a missing
    page (404): the fuzzer (tests/api/test_fuzz.py) found the schema's integer
    accepted as any string. A number past the last page stays a 404.
    """

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not raw.isdigit() and raw not in self.last_page_strings:
            raise ValidationError(
                {self.page_query_param: [gettext("must be a whole number from 1.")]}
            )
        return super().get_page_number(request, paginator)

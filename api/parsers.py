"""Request bodies the API reads, with a size cap: a body over `API_BODY_MAX_BYTES` is a 413.

Django caps the bodies it reads itself (`DATA_UPLOAD_MAX_MEMORY_SIZE`), but DRF's
JSON and form parsers read the request stream directly, past that check: a
caller could make a worker hold a body of any size in memory. These parsers
refuse it from its declared length, or, without one (chunked), after reading
one byte more than the cap, never the rest. A JSON application is a few
kilobytes; the cap leaves a wide margin. Batch files come as multipart, under
their own limit (`BATCH_UPLOAD_MAX_BYTES`, enforced while the file streams in).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.translation import gettext
from rest_framework import parsers, status
from rest_framework.exceptions import APIException


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _bounded(stream, parser_context) -> io.BytesIO:
    """The body, read up to the cap: 413 beyond it (from Content-Length when declared)."""
    limit = settings.API_BODY_MAX_BYTES
    too_large = RequestTooLarge(
        gettext("The request body is larger than %(size)s kB: the API reads no more.")
        % {"size": limit // 1024}
    )
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    try:
        if declared and int(declared) > limit:
            raise too_large
    except ValueError:
        pass  # an unreadable length: the read below still stops at the cap
    data = stream.read(limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise too_large
    return io.BytesIO(data)


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_bounded(stream, parser_context), media_type, parser_context)


class BoundedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return super().parse(_bounded(stream, parser_context), media_type, parser_context)

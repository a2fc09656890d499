"""An upload handler that refuses a body over `UPLOAD_MAX_BYTES` before storing any of it.

Django's own handlers write an upload to memory or a temporary file whatever
its size; a size check in the view comes after the whole file is on disk. This
handler, first in `FILE_UPLOAD_HANDLERS`, looks at the declared length before a
byte is read and, as a second guard, counts the bytes as they stream in. Over
the limit, nothing is kept and the request carries `upload_refused` (the limit
in bytes): the view answers 413 naming the limit (api/batches.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def _refuse(self) -> None:
        if self.request is not None:
            # Read back by the view (getattr): HttpRequest declares no such attribute.
            setattr(self.request, "upload_refused", settings.UPLOAD_MAX_BYTES)  # noqa: B010

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.UPLOAD_MAX_BYTES:
            self._refuse()
            # An empty form and no file: the body is never read, nothing is written.
            return QueryDict(encoding=encoding), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
            # The parser closes (and so deletes) what the other handlers wrote so far.
            raise StopUpload(connection_reset=False)
        return raw_data  # the next handlers (memory, then temporary file) store it

    def file_complete(self, file_size: int):
        return None

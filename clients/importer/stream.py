"""The bytes of a file as COPY receives them, and where a record sits (for error messages).

COPY is handed the file's own bytes whenever Postgres knows its encoding (UTF-8,
Windows and Latin code pages): no Python work per value, which is what keeps an
import close to a raw COPY. Only encodings Postgres cannot read (UTF-16 from
Excel's "Unicode text") are converted to UTF-8 on the way.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from pathlib import Path

from . import dialect as dialects
from .dialect import Dialect, Encoding, ReadOptions, Sample, detect_encoding
from .errors import HomeCreditImportError
from .files import open_binary

# Bytes handed to COPY at a time; large enough that Python is not the bottleneck.
CHUNK_BYTES = 1 << 20


def _read(stream: io.BufferedIOBase, size: int, *, file_name: str) -> bytes:
    try:
        return stream.read(size)
    except (OSError, EOFError) as error:  # a damaged or truncated .gz
        raise HomeCreditImportError(f"cannot be read: {error}", file_name=file_name) from error


def read_sample(path: Path, *, options: ReadOptions) -> Sample:
    """The first SAMPLE_BYTES of a file, BOM skipped and converted as COPY will receive them."""
    file_name = path.name
    with open_binary(path) as raw:
        first = _read(raw, dialects.SAMPLE_BYTES, file_name=file_name)
        complete = not _read(raw, 1, file_name=file_name)
    if not first.strip():
        raise HomeCreditImportError("the file is empty (no header line)", file_name=file_name)
    encoding = detect_encoding(first, options=options, file_name=file_name)
    data = first[len(encoding.bom) :]
    if encoding.postgres is None:
        decoder = codecs.getincrementaldecoder(encoding.name)("replace")
        data = decoder.decode(data, final=complete).encode("utf-8")
    return Sample(data=data, complete=complete, encoding=encoding)


def stream_chunks(
    path: Path, encoding: Encoding, *, chunk_bytes: int | None = None
) -> Iterator[bytes]:
    """The whole file as COPY reads it: BOM skipped, converted to UTF-8 if need be."""
    file_name = path.name
    size = chunk_bytes or CHUNK_BYTES
    decoder = None
    if encoding.postgres is None:
        decoder = codecs.getincrementaldecoder(encoding.name)("strict")
    with open_binary(path) as raw:
        skip = len(encoding.bom)
        while True:
            chunk = _read(raw, size, file_name=file_name)
            at_end = not chunk
            if skip:
                chunk, skip = chunk[skip:], max(skip - len(chunk), 0)
            if decoder is not None:
                try:
                    chunk = decoder.decode(chunk, final=at_end).encode("utf-8")
                except UnicodeDecodeError as error:
                    raise HomeCreditImportError(
                        f"not valid {encoding.name} text ({error.reason}); give the file's "
                        "encoding with --encoding",
                        file_name=file_name,
                    ) from error
            if chunk:
                yield chunk
            if at_end:
                return


def data_chunks(path: Path, dialect: Dialect, *, chunk_bytes: int | None = None) -> Iterator[bytes]:
    """The lines after line 1, in chunks, without blank lines at the very end.

    Editors often leave an empty last line; COPY would read it as a row of
    missing fields.
    """
    skip = dialect.header_bytes
    held_newlines = b""
    for chunk in stream_chunks(path, dialect.encoding, chunk_bytes=chunk_bytes):
        if skip:
            chunk, skip = chunk[skip:], max(skip - len(chunk), 0)
            if not chunk:
                continue
        body = chunk.rstrip(b"\r\n")
        if not body:
            held_newlines += chunk
            continue
        if held_newlines:
            yield held_newlines
        yield body
        held_newlines = chunk[len(body) :]
    if held_newlines:
        yield b"\r\n" if held_newlines.startswith(b"\r\n") else held_newlines[:1]


class NotFiniteWatch:
    """Watches the bytes sent to COPY for anything a float column could read as NaN or ±infinity.

    COPY reads "NaN", "Infinity" and "inf" (any case, signed) into a float column;
    nothing else gives a number that is not finite. A file none of whose bytes
    spell "nan" or "inf" needs no check of its floats in the database (0.4 s for
    195,000 application rows, 2 s for a million bureau rows on a loaded machine
    here); a file where they appear, even inside a text such as "Information",
    is checked there. Case folding and two substring scans per 1 MB chunk cost
    about a millisecond.
    """

    _TOKENS = (b"nan", b"inf")

    def __init__(self) -> None:
        self.seen = False
        self._tail = b""

    def __call__(self, chunk: bytes) -> None:
        if self.seen:
            return
        # The end of the previous chunk, for a token split across two chunks.
        text = self._tail + chunk.lower()
        self.seen = any(token in text for token in self._TOKENS)
        self._tail = text[-2:]


# --- Where things are, for error messages only ---------------------------------------------


def _line_end(dialect: Dialect, path: Path) -> bytes:
    """b"\\n", or b"\\r" for a file from an old Mac (no line feed anywhere in its start)."""
    for chunk in stream_chunks(path, dialect.encoding):
        if b"\n" in chunk:
            return b"\n"
        if b"\r" in chunk:
            return b"\r"
    return b"\n"


def physical_lines(path: Path, dialect: Dialect) -> Iterator[bytes]:
    """The lines of the file as bytes (line ends removed), line 1 first."""
    end = _line_end(dialect, path)
    pending = b""
    for chunk in stream_chunks(path, dialect.encoding):
        lines = (pending + chunk).split(end)
        pending = lines.pop()
        for line in lines:
            yield line.rstrip(b"\r")
    if pending:
        yield pending.rstrip(b"\r")


def record_line(path: Path, dialect: Dialect, record: int) -> int:
    """The line where data record `record` starts (record 1 follows line 1).

    Equal to record + 1 unless quoted fields span lines; counted here, when an
    error needs it, so that loading never pays for it.
    """
    quote = dialect.quote.encode()
    inside = False
    records_ended = 0  # line 1 (the header) is the first record to end
    for number, line in enumerate(physical_lines(path, dialect), start=1):
        if line.count(quote) % 2:
            inside = not inside
        if not inside:
            records_ended += 1
            if records_ended == record:
                return number + 1
    return record + 1


def line_is_blank(path: Path, dialect: Dialect, line: int) -> bool:
    for number, text in enumerate(physical_lines(path, dialect), start=1):
        if number == line:
            return not text.strip()
    return False


def line_of_unclosed_quote(path: Path, dialect: Dialect) -> int | None:
    """The line where a quoted field opens and never closes."""
    quote = dialect.quote.encode()
    inside = False
    opened_at = None
    for number, line in enumerate(physical_lines(path, dialect), start=1):
        if line.count(quote) % 2:  # an odd count opens or closes a field spanning lines
            inside = not inside
            opened_at = number if inside else None
    return opened_at

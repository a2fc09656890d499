"""How a file is written, read off its first lines; and where each of its columns goes.

Files come from Kaggle, from partners' extracts, from pandas, R and spreadsheets.
The first `SAMPLE_BYTES` of a file tell its encoding (a byte-order mark, or bytes
that are not UTF-8), its delimiter (the one that splits line 1 into the most
names of the Kaggle table), its quote character, its decimal mark (a comma in
numbers, where the delimiter is not a comma), which missing-value tokens it
writes (`NA` from R, `NaN`, `null`, …) and whether its first column is a row
number written by pandas or R. Each guess can be overridden by an option
(`ReadOptions`); what was decided is described in one line before the file loads.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from ml import schema

from .errors import HomeCreditImportError, columns_phrase

# Enough for a few hundred lines of the widest table (the 122-column application).
SAMPLE_BYTES = 1 << 18
SAMPLE_ROWS = 2_000

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
# Read as missing besides the empty field: R writes NA, numpy and pandas NaN or nan,
# JSON-minded exports null, Python None, Excel #N/A.
DEFAULT_NA_VALUES = ("NA", "N/A", "#N/A", "NaN", "nan", "null", "NULL", "None")

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Python codec name -> the ENCODING COPY reads. Any other codec is converted to
# UTF-8 on the way (UTF-16 "Unicode text" from Excel, for instance).
POSTGRES_ENCODINGS = {
    "utf-8": "UTF8",
    "ascii": "UTF8",
    "cp1252": "WIN1252",
    "iso8859-1": "LATIN1",
    "iso8859-15": "LATIN9",
    "cp1250": "WIN1250",
    "cp1251": "WIN1251",
    "iso8859-2": "LATIN2",
}
# Bytes cp1252 leaves undefined: a file holding them is Latin-1.
_CP1252_HOLES = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# A well-formed multi-byte UTF-8 character: seen beside invalid bytes, the file is
# damaged UTF-8 rather than a Windows export.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
DECIMAL_COMMA = re.compile(r"^\s*[+-]?(\d+,\d*|,\d+)\s*$")
_INDEX_NAMES = ("", "UNNAMED: 0")

ROW_INDEX = "row_index"  # staging column of a pandas/R row-number column
# Staging column of a last column without a name: lines ending with a delimiter.
TRAILING = "trailing_empty"


@dataclass(frozen=True)
class ReadOptions:
    """What the person said about the files; None leaves it to detection."""

    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None
    na_values: tuple[str, ...] | None = None
    ignore_unknown_columns: bool = False

    def __post_init__(self) -> None:
        if self.delimiter is not None and self.delimiter not in DELIMITERS:
            raise ValueError(f"unknown delimiter {self.delimiter!r}")
        if self.decimal not in (None, ".", ","):
            raise ValueError(f"the decimal mark is '.' or ',', not {self.decimal!r}")
        if self.encoding is not None:
            codecs.lookup(self.encoding)  # LookupError for a name Python does not know


@dataclass(frozen=True)
class Encoding:
    name: str  # Python's codec name: "utf-8", "cp1252", "utf-16-le"
    bom: bytes = b""
    guessed_from: str = ""  # why, when it is not UTF-8 and nobody said so

    @property
    def postgres(self) -> str | None:
        """COPY's ENCODING, or None when the bytes are converted to UTF-8 before COPY."""
        return POSTGRES_ENCODINGS.get(self.name)

    @property
    def stream_codec(self) -> str:
        """The codec of the bytes COPY receives (after conversion, if any)."""
        return self.name if self.postgres else "utf-8"

    @property
    def label(self) -> str:
        """The name people know: UTF-8, UTF-16, cp1252, iso8859-1."""
        return self.name.upper() if self.name.startswith("utf") else self.name

    def describe(self) -> str:
        text = self.name
        if self.bom:
            text += " (BOM)"
        if self.guessed_from:
            text += f" ({self.guessed_from}; --encoding to change)"
        return text


@dataclass(frozen=True)
class Dialect:
    encoding: Encoding
    delimiter: str
    quote: str
    decimal: str
    # Tokens read as missing besides the empty field, and those the first lines hold.
    na_values: tuple[str, ...]
    na_seen: tuple[str, ...]
    # The one missing-value marker a plain COPY can take for this file, or None when
    # the file needs more (several tokens, decimal commas): see staging.
    copy_null: str | None
    # Bytes of line 1 and its line end, as COPY's input stream holds them.
    header_bytes: int

    def describe(self) -> str:
        missing = ", ".join(["''", *self.na_seen])
        text = (
            f"delimiter {DELIMITER_NAMES[self.delimiter]}, decimal '{self.decimal}', "
            f"encoding {self.encoding.describe()}, missing values: {missing}"
        )
        if self.quote != '"':
            text += f", quote {self.quote}"
        return text


@dataclass(frozen=True)
class ColumnPlan:
    """Where each field of a line goes, in file order."""

    staging: tuple[str, ...]  # staging column of each field
    kaggle: tuple[str | None, ...]  # its Kaggle column, None for a field left out
    left_out: tuple[str, ...] = ()  # names of unknown columns left out (the option)
    # A first column without a name counting rows from 0 (pandas) or 1 (R), left out.
    row_index_base: int | None = None
    # A last column without a name (every line ends with a delimiter), left out if empty.
    trailing_empty: bool = False


@dataclass
class Sample:
    """The start of a file as COPY would receive it (BOM skipped, converted to UTF-8)."""

    data: bytes
    complete: bool  # the whole file fits in the sample
    encoding: Encoding


def detect_encoding(raw: bytes, *, options: ReadOptions, file_name: str) -> Encoding:
    """The encoding of a file from its first bytes (`raw`), or the one the person gave."""
    bom, bom_codec = b"", None
    for mark, codec in BOMS:
        if raw.startswith(mark):
            bom, bom_codec = mark, codec
            break
    if options.encoding is not None:
        name = codecs.lookup(options.encoding).name
        # A UTF-8 BOM is skipped when the person says utf-8; any other codec reads its own.
        return Encoding(name=name, bom=bom if bom_codec == "utf-8" and name == "utf-8" else b"")
    if bom_codec is not None:
        return Encoding(name=bom_codec, bom=bom)
    body = raw[: _last_line_end(raw)] if len(raw) >= SAMPLE_BYTES else raw
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        if _UTF8_MULTIBYTE.search(body):
            raise HomeCreditImportError(
                f"not valid UTF-8 text (byte 0x{body[error.start]:02x}), though other lines are "
                "UTF-8: the file may be damaged; if it was saved in another encoding, give it "
                "with --encoding (e.g. --encoding cp1252 for Excel on Windows)",
                file_name=file_name,
                line=line,
            ) from error
        # Not UTF-8 and no UTF-8 character anywhere: a Windows or Latin-1 export.
        name = "iso8859-1" if _CP1252_HOLES.search(body) else "cp1252"
        return Encoding(name=name, guessed_from=f"not UTF-8, line {line}")
    return Encoding(name="utf-8")


def _last_line_end(data: bytes) -> int:
    """Where the last complete line of `data` ends (0 if none does)."""
    return max(data.rfind(b"\n"), data.rfind(b"\r"), 0)


def header_end(data: bytes, *, quote: bytes = b'"') -> tuple[int, int] | None:
    """(end of line 1, length of its line end) in `data`, or None if line 1 does not end there."""
    inside = False
    for position, byte in enumerate(data):
        char = data[position : position + 1]
        if char == quote:
            inside = not inside
        elif not inside and byte in (0x0A, 0x0D):
            if data[position : position + 2] == b"\r\n":
                return position, 2
            return position, 1
    return None


def normalise(name: str) -> str:
    """A column name as matched: no surrounding blanks or stray quotes, upper case."""
    name = name.strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
        name = name[1:-1].strip()
    return name.upper()


def _split(line: str, delimiter: str, quote: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar=quote, strict=False), [])


def _pick_delimiter(header: str, rows_text: str, known: set[str]) -> str:
    """The delimiter that splits line 1 into the most Kaggle names (then into the most fields)."""

    def score(delimiter: str) -> tuple[int, int, int]:
        names = _split(header, delimiter, '"')
        matches = sum(normalise(name) in known for name in names)
        # Without any known name, trust a delimiter that splits the next lines alike.
        first_rows = rows_text.splitlines()[:20]
        alike = sum(len(_split(row, delimiter, '"')) == len(names) for row in first_rows)
        return matches, alike if len(names) > 1 else 0, len(names)

    return max(DELIMITERS, key=score)


def _pick_quote(header: str, delimiter: str) -> str:
    names = header.split(delimiter)
    single = sum(len(n.strip()) >= 2 and n.strip()[0] == n.strip()[-1] == "'" for n in names)
    return "'" if names and single > len(names) / 2 else '"'


def _row_index_base(header: list[str], rows: list[list[str]]) -> int | None:
    """0 or 1 when the first column has no name and counts the rows (pandas, R); else None."""
    if len(header) < 2 or normalise(header[0]) not in _INDEX_NAMES:
        return None
    firsts = [row[0].strip() if row else "" for row in rows]
    for base in (0, 1):
        if all(value == str(base + n) for n, value in enumerate(firsts)):
            return base
    return None


def detect_dialect(
    sample: Sample, *, table: schema.Table, options: ReadOptions, file_name: str
) -> tuple[Dialect, ColumnPlan]:
    """The dialect of a file from its sample, and the plan of its columns (line 1 checked)."""
    encoding = sample.encoding
    codec = encoding.stream_codec
    end = header_end(sample.data)
    if end is None:
        if not sample.complete:
            raise HomeCreditImportError(
                f"line 1 does not end within the first {SAMPLE_BYTES // 1024} KB: "
                "is this a CSV file?",
                file_name=file_name,
                line=1,
            )
        end = (len(sample.data), 0)
    header_text = sample.data[: end[0]].decode(codec, errors="replace")
    if not header_text.strip():
        raise HomeCreditImportError("the file is empty (no header line)", file_name=file_name)
    rest = sample.data[end[0] + end[1] :]
    if not sample.complete:  # the last line of the sample may be cut: leave it out
        rest = rest[: _last_line_end(rest)]
    rows_text = rest.decode(codec, errors="replace")

    known = set(table.column_names)
    delimiter = options.delimiter or _pick_delimiter(header_text, rows_text, known)
    quote = _pick_quote(header_text, delimiter)
    header = [name.strip() for name in _split(header_text, delimiter, quote)]
    rows = list(
        csv.reader(io.StringIO(rows_text), delimiter=delimiter, quotechar=quote, strict=False)
    )[:SAMPLE_ROWS]
    if not sample.complete and rows:
        rows.pop()  # a quoted field spanning lines may have been cut with the sample
    rows = [row for row in rows if row]  # blank lines are COPY's to judge

    plan = plan_columns(
        header,
        delimiter=delimiter,
        table=table,
        options=options,
        row_index_base=_row_index_base(header, rows),
        file_name=file_name,
    )
    decimal = _pick_decimal(rows, plan=plan, table=table, delimiter=delimiter, options=options)
    na_values = options.na_values if options.na_values is not None else DEFAULT_NA_VALUES
    na_seen, copy_null = _missing_values(rows, plan=plan, table=table, na_values=na_values)
    dialect = Dialect(
        encoding=encoding,
        delimiter=delimiter,
        quote=quote,
        decimal=decimal,
        na_values=tuple(na_values),
        na_seen=na_seen,
        copy_null=None if decimal == "," else copy_null,
        header_bytes=end[0] + end[1],
    )
    return dialect, plan


def _pick_decimal(
    rows: list[list[str]],
    *,
    plan: ColumnPlan,
    table: schema.Table,
    delimiter: str,
    options: ReadOptions,
) -> str:
    if options.decimal is not None:
        return options.decimal
    if delimiter == ",":
        return "."
    floats = [
        position
        for position, name in enumerate(plan.kaggle)
        if name is not None and table.column(name).kind == schema.FLOAT
    ]
    for row in rows:
        for position in floats:
            if position < len(row) and DECIMAL_COMMA.match(row[position]):
                return ","
    return "."


def _missing_values(
    rows: list[list[str]], *, plan: ColumnPlan, table: schema.Table, na_values: tuple[str, ...]
) -> tuple[tuple[str, ...], str | None]:
    """(the tokens of `na_values` the sample holds, the one marker a plain COPY can use).

    A plain COPY knows one marker for missing: the empty field by default, or
    `NA` for a file from R. NaN in a float column needs none (Postgres reads it as
    a number, turned into a missing value afterwards). A file writing missing
    values in two ways needs the slower reading (None).
    """
    tokens = set(na_values)
    kinds = [None if name is None else table.column(name).kind for name in plan.kaggle]
    seen: set[str] = set()
    markers: set[str] = set()
    for row in rows:
        for kind, value in zip(kinds, row, strict=False):
            if kind is None:
                continue
            if value == "":
                markers.add("")
            elif value in tokens:
                seen.add(value)
                if not (kind == schema.FLOAT and value.lower() == "nan"):
                    markers.add(value)
    ordered = tuple(token for token in na_values if token in seen)
    if len(markers) > 1:
        return ordered, None
    return ordered, next(iter(markers), "")


def plan_columns(
    header: list[str],
    *,
    delimiter: str,
    table: schema.Table,
    options: ReadOptions,
    row_index_base: int | None,
    file_name: str,
) -> ColumnPlan:
    """Match line 1 with the Kaggle table: every problem named in one message."""

    def fail(message: str) -> HomeCreditImportError:
        return HomeCreditImportError(message, file_name=file_name, line=1)

    known = set(table.column_names)
    staging: list[str] = []
    kaggle: list[str | None] = []
    unknown: list[str] = []
    positions: dict[str, list[int]] = {}
    trailing = len(header) > 2 and not header[-1].strip()
    for position, written in enumerate(header, start=1):
        if position == 1 and row_index_base is not None:
            staging.append(ROW_INDEX)
            kaggle.append(None)
            continue
        if trailing and position == len(header):
            staging.append(TRAILING)
            kaggle.append(None)
            continue
        name = normalise(written)
        if name in known:
            positions.setdefault(name, []).append(position)
            staging.append(table.column(name).field_name)
            kaggle.append(name)
        else:
            unknown.append(written or f"(unnamed column {position})")
            staging.append(f"left_out_{len(unknown)}")
            kaggle.append(None)

    repeated = [name for name, at in positions.items() if len(at) > 1]
    if repeated:
        raise fail(f"repeated {columns_phrase(sorted(repeated))}")
    if not positions:
        shown = header[0] if len(header) == 1 else ", ".join(header[:3]) + ", …"
        raise fail(
            f"no column name of line 1 is a column of the Kaggle {table.name} table (line 1 "
            f"read with delimiter {DELIMITER_NAMES[delimiter]} as: {shown[:100]}): is it the "
            "right file? If its delimiter is not the one above, give it with --delimiter"
        )
    if unknown and not options.ignore_unknown_columns:
        them = "it" if len(unknown) == 1 else "them"
        count = f"{len(unknown)} " if len(unknown) > 1 else ""
        raise fail(
            f"{count}unknown {columns_phrase(unknown)} (not in the Kaggle {table.name} "
            f"table): remove {them} from the file, or pass --ignore-unknown-columns to import "
            f"the known columns and leave {them} out"
        )
    missing = [
        name
        for name in table.column_names
        if name not in positions and name not in table.optional_columns
    ]
    keys = [name for name in missing if name in key_columns(table)]
    if keys:
        raise fail(
            f"missing key {columns_phrase(keys)}: it identifies each row (or its parent) "
            "and cannot be left out"
            if len(keys) == 1
            else f"missing key {columns_phrase(keys)}: they identify each row (or its parent) "
            "and cannot be left out"
        )
    if missing:
        raise fail(
            f"missing {columns_phrase(missing)}: every column of the Kaggle {table.name} table "
            "must be in line 1 (its values may be empty)"
        )
    return ColumnPlan(
        staging=tuple(staging),
        kaggle=tuple(kaggle),
        left_out=tuple(unknown),
        row_index_base=row_index_base,
        trailing_empty=trailing,
    )


def key_columns(table: schema.Table) -> set[str]:
    """The Kaggle columns that identify a row or its parent: never empty, never absent."""
    keys = set(table.natural_key or ())
    if table.parent is not None:
        keys.add(table.parent[0])
    return keys

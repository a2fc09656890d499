"""The one error of the importer: what is wrong, in which file, line and column."""

from __future__ import annotations


class HomeCreditImportError(Exception):
    """A file cannot be imported; the message names the file, line and column."""

    def __init__(
        self, message: str, *, file_name: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.file_name = file_name
        self.line = line
        self.column = column  # the Kaggle column name, e.g. "AMT_CREDIT_SUM"
        self.reason = message
        where = file_name
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {message}")


def columns_phrase(names: list[str]) -> str:
    """'column A' or 'columns A, B'."""
    return ("column " if len(names) == 1 else "columns ") + ", ".join(names)

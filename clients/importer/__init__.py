"""Import the Kaggle Home Credit CSV files into the client tables.

Files come as Kaggle wrote them, or as partners, pandas, R and spreadsheets
re-wrote them: how each is written (encoding, delimiter, quoting, decimal mark,
missing-value tokens, a pandas index column) is read off its first lines
(`dialect`), and can be told by options instead.

Every row is read by Postgres' own CSV reader (`COPY`), which checks numbers
and field counts itself. A plain file bound for an empty table is COPYed
straight into it and checked there in set-based SQL (`direct`); any other file
is streamed into a temporary staging table typed like its target (`staging`),
then one `INSERT ... SELECT` moves the new rows into the real table
(`loading`). A table that was empty gets its indexes rebuilt in one go. No row
goes through the ORM, nor through Python.
The whole run is one transaction: a bad file anywhere leaves the database
exactly as it was, including the files of the same run that loaded fine
before it, and every bad value is named by file, line and column.
"""

from .dialect import DEFAULT_NA_VALUES, DELIMITERS, ReadOptions
from .errors import HomeCreditImportError
from .service import FileReport, ImportReport, describe_file_report, import_homecredit_dir
from .staging import SQL_TYPE_FOR_KIND

__all__ = [
    "DEFAULT_NA_VALUES",
    "DELIMITERS",
    "FileReport",
    "HomeCreditImportError",
    "ImportReport",
    "ReadOptions",
    "SQL_TYPE_FOR_KIND",
    "describe_file_report",
    "import_homecredit_dir",
]

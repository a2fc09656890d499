"""Batch scoring of an uploaded CSV in the Kaggle application schema.

The rows are read by the worker only (issue 11). The request only streams
the upload to storage and reads its first line: a file that is not a CSV, or
whose header lacks SK_ID_CURR or names unknown columns, is refused at once
(nothing is stored or queued). A file of any size costs the web process the
same. The worker then reads the stored file twice, READ_CHUNK_ROWS rows at a
time, never whole: first it checks every row (a bad row fails the batch with
the line and column of each problem in its `error`, in the language of the
request that sent it, and nothing is scored); then it scores the rows in
chunks, one model call per CHUNK_ROWS rows, writing progress to the job row
after each chunk and appending the results to a temporary file stored at the
end.

Why twice rather than once: the whole file as a DataFrame of strings does not
fit a worker. Parsed whole, 200,000 rows of 122 columns took the worker from
383 MB (Django and the model) to a peak of 1,712 MB (a 500,000-row file, the
limit, would need about 3.7 GB); read in chunks, 450 MB, for 10% more time
(21.8 s -> 24.1 s, the second read). Results identical
(benchmarks/batch_memory_bench.py, benchmarks/RESULTS.md).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import IO

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_event_record
from formatting import number
from ml import schema
from ml.dataset import coerce_table
from ml.levels import levels
from scoring.models import BatchJob
from scoring.queueing import task_send_on_commit
from scoring.registry import active_model_version, scoring_model_for

# Rows a model call scores (progress is saved after each).
CHUNK_ROWS = 2000
# Rows read from the file at a time, as text, in both passes: the worker's peak grew by
# 65 MB on a 200,000-row file (benchmarks/RESULTS.md). Chunks of 2,000 rows took 50% more
# time (pandas' fixed cost per call and per column, 122 columns).
READ_CHUNK_ROWS = 20_000
MAX_ROWS = 500_000
# Errors listed before the message stops counting: enough to fix a file.
MAX_ERRORS_LISTED = 20
# The header of application_test.csv is about 3 kB: a first line past this is no CSV of ours.
HEADER_MAX_BYTES = 64 * 1024


class BatchFileError(ValueError):
    """The uploaded file cannot be scored; `errors` lists each problem found."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def _text_chunks(source: IO[bytes], *, file_name: str) -> Iterator[pd.DataFrame]:
    """The file's rows as text, READ_CHUNK_ROWS at a time, each indexed from 0.

    A header alone gives one empty chunk (its columns). A file pandas cannot
    read, wherever the fault is, raises BatchFileError.
    """
    try:
        with pd.read_csv(
            source, dtype=str, keep_default_na=False, na_values=[""], chunksize=READ_CHUNK_ROWS
        ) as reader:
            for chunk in reader:
                yield chunk.reset_index(drop=True)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        message = gettext("%(file)s: not a readable CSV file (%(error)s)")
        raise BatchFileError([message % {"file": file_name, "error": error}]) from error


class _RowErrors:
    """The problems of the rows, kept in the order of one whole-file check.

    That order is column by column (schema order), then missing ids, then
    repeated ids, each in file order; at most MAX_ERRORS_LISTED of each kind
    are kept, so a file with a bad value in every row costs no more memory
    than a good one. The ids already seen are kept to find repeats across chunks.
    """

    def __init__(self, *, file_name: str) -> None:
        self.file_name = file_name
        self.by_column: dict[str, list[str]] = {}
        self.missing: list[str] = []
        self.duplicated: list[str] = []
        self.ids_seen: set[object] = set()

    def at(self, line: int, column: str) -> dict[str, object]:
        return {"file": self.file_name, "line": line, "column": column}

    def add(self, kind: list[str], message: str) -> None:
        if len(kind) < MAX_ERRORS_LISTED:
            kind.append(message)

    def check(self, text: pd.DataFrame, *, first_line: int) -> None:
        """Check one chunk whose first row is on line `first_line` of the file."""
        for column in schema.APPLICATION.columns:
            if column.name not in text.columns:
                continue
            values = text[column.name]
            found = self.by_column.setdefault(column.name, [])
            extra: dict[str, str] = {}
            if column.kind == schema.STR:
                allowed = levels(schema.APPLICATION.name, column.name)
                bad = values.notna() & ~values.isin(allowed)
                message = gettext(
                    "%(file)s, line %(line)s, column %(column)s: %(value)s is not a level of the "
                    "column; allowed: %(allowed)s"
                )
                extra["allowed"] = ", ".join(repr(level) for level in allowed)
            else:
                parsed = pd.to_numeric(values, errors="coerce")
                bad = values.notna() & parsed.isna()
                if column.kind == schema.INT:
                    bad |= parsed.notna() & (parsed != np.round(parsed))
                    message = gettext(
                        "%(file)s, line %(line)s, column %(column)s: %(value)s is not an integer"
                    )
                else:
                    message = gettext(
                        "%(file)s, line %(line)s, column %(column)s: %(value)s is not a number"
                    )
            for position in self._first(bad, found):
                self.add(
                    found,
                    message
                    % {
                        **self.at(first_line + position, column.name),
                        "value": repr(values.iloc[position]),
                        **extra,
                    },
                )
        ids = pd.to_numeric(text["SK_ID_CURR"], errors="coerce")
        missing = ids.isna() & text["SK_ID_CURR"].isna()
        for position in self._first(missing, self.missing):
            self.add(
                self.missing,
                gettext("%(file)s, line %(line)s, column %(column)s: missing")
                % self.at(first_line + position, "SK_ID_CURR"),
            )
        # Repeated within the chunk, or an id of an earlier chunk.
        seen = np.fromiter(
            (value in self.ids_seen for value in ids.tolist()), dtype=bool, count=len(ids)
        )
        duplicated = (ids.duplicated() | seen) & ids.notna()
        for position in self._first(duplicated, self.duplicated):
            self.add(
                self.duplicated,
                gettext("%(file)s, line %(line)s, column %(column)s: %(value)s appears twice")
                % {
                    **self.at(first_line + position, "SK_ID_CURR"),
                    "value": text["SK_ID_CURR"].iloc[position],
                },
            )
        self.ids_seen.update(ids.dropna().tolist())

    @staticmethod
    def _first(bad: pd.Series, found: list[str]) -> list[int]:
        """The positions of the first `bad` rows, as many as `found` still has room for."""
        room = MAX_ERRORS_LISTED - len(found)
        return np.flatnonzero(bad.to_numpy())[: max(room, 0)].tolist()

    def listed(self) -> list[str]:
        """The first MAX_ERRORS_LISTED problems, in the order of a whole-file check."""
        every = [message for found in self.by_column.values() for message in found]
        return (every + self.missing + self.duplicated)[:MAX_ERRORS_LISTED]


def validate_batch_csv(source: IO[bytes], *, file_name: str) -> int:
    """The number of rows of the uploaded file, or BatchFileError listing its problems.

    Columns are those of application_test.csv; any may be absent (missing
    values are NaN, as the model was trained to handle) except SK_ID_CURR.
    Unknown columns, bad numbers, text outside its column's levels (ml.levels)
    and duplicate ids are refused. The file is read READ_CHUNK_ROWS rows at a time
    (never whole in memory); each problem names its line (the row's position
    in the file + 2, after the header). Messages go through gettext: the API
    answers in its caller's language.
    """
    header: list[str] | None = None
    rows = 0
    row_errors = _RowErrors(file_name=file_name)
    for text in _text_chunks(source, file_name=file_name):
        if header is None:
            header = _header_errors([str(name) for name in text.columns], file_name=file_name)
        if not header:  # a header of ours: its rows can be read
            row_errors.check(text, first_line=rows + 2)
        rows += len(text)
        if rows > MAX_ROWS:
            break
    errors = list(header or [])
    if rows == 0:
        errors.append(gettext("%(file)s: no rows") % {"file": file_name})
    if rows > MAX_ROWS:
        errors.append(
            gettext("%(file)s: more than %(rows)s rows; split the file")
            % {"file": file_name, "rows": number(MAX_ROWS, 0)}
        )
    if errors:
        raise BatchFileError(errors)
    errors = row_errors.listed()
    if errors:
        raise BatchFileError(errors)
    return rows


def _application_chunks(source: IO[bytes], *, file_name: str) -> Iterator[pd.DataFrame]:
    """The rows of a checked file as the model's application table, CHUNK_ROWS at a time."""
    for text in _text_chunks(source, file_name=file_name):
        text = text.reindex(columns=schema.APPLICATION.column_names)  # absent -> NaN
        rows = coerce_table(schema.APPLICATION, text, source=file_name)
        for start in range(0, len(rows), CHUNK_ROWS):
            yield rows.iloc[start : start + CHUNK_ROWS].reset_index(drop=True)


def _header_errors(columns: list[str], *, file_name: str) -> list[str]:
    """What is wrong with the column names (the first line), or nothing."""
    known = set(schema.APPLICATION.column_names)
    errors: list[str] = []
    unknown = [name for name in columns if name not in known or name == "TARGET"]
    if unknown:
        errors.append(
            gettext("%(file)s: unknown column(s) %(columns)s")
            % {"file": file_name, "columns": ", ".join(map(str, unknown))}
        )
    if "SK_ID_CURR" not in columns:
        errors.append(gettext("%(file)s: column SK_ID_CURR is required") % {"file": file_name})
    return errors


def batch_header_check(uploaded: UploadedFile, *, file_name: str) -> None:
    """Refuse (BatchFileError) a file whose first line is not a CSV header of ours.

    Only the first line is read, whatever the file's size: the rows are the
    worker's (`validate_batch_csv`). The file is left at its start, to be stored.
    """
    uploaded.seek(0)
    line = uploaded.readline(HEADER_MAX_BYTES + 1)
    uploaded.seek(0)
    unreadable = gettext("%(file)s: not a readable CSV file (%(error)s)")
    if len(line) > HEADER_MAX_BYTES:
        reason = gettext("its first line is longer than %(size)s kB") % {
            "size": HEADER_MAX_BYTES // 1024
        }
        raise BatchFileError([unreadable % {"file": file_name, "error": reason}])
    try:
        # utf-8-sig: a byte-order mark (spreadsheets write one) is no part of the first name.
        text = line.decode("utf-8-sig") if isinstance(line, bytes) else line
    except UnicodeDecodeError:
        reason = gettext("its first line is not UTF-8 text")
        raise BatchFileError([unreadable % {"file": file_name, "error": reason}]) from None
    try:
        columns = next(csv.reader([text.rstrip("\r\n")]), [])
    except csv.Error as error:
        raise BatchFileError([unreadable % {"file": file_name, "error": error}]) from error
    if not any(name.strip() for name in columns):
        reason = gettext("its first line names no columns")
        raise BatchFileError([unreadable % {"file": file_name, "error": reason}])
    errors = _header_errors(columns, file_name=file_name)
    if errors:
        raise BatchFileError(errors)


@transaction.atomic
def batch_job_create(*, uploaded: UploadedFile, created_by: User) -> BatchJob:
    """Check the file's header, store the file and queue its parsing and scoring.

    The rows are counted and checked by the worker: `total_rows` is 0 until then.
    """
    name = uploaded.name or "batch.csv"
    batch_header_check(uploaded, file_name=name)
    version = active_model_version()
    job = BatchJob(
        created_by=created_by,
        model_version=version,
        # The worker's messages (a bad row) are read by the caller: in the caller's language.
        language=translation.get_language() or "",
    )
    # Copied chunk by chunk, never whole in memory. A folder per job keeps the caller's
    # file name (the worker's messages name it) where two uploads share a name.
    job.source.save(f"{job.id}/{name}", uploaded, save=False)
    job.save()
    audit_event_record(
        actor=created_by,
        action=AuditEvent.Action.BATCH_SUBMITTED,
        model_version=version.version,
        detail={"job": str(job.id), "bytes": uploaded.size},
    )
    from scoring.tasks import score_batch_task

    job_id = str(job.id)
    task_send_on_commit(score_batch_task, job_id)
    return job


def batch_job_run(*, job_id: str) -> BatchJob:
    """Check every row of the job's file, then score them in chunks; progress after each chunk.

    The file is read twice, CHUNK_ROWS rows at a time (see the module docstring):
    first checked whole (a bad row anywhere fails the batch before any is scored),
    then scored, each chunk's results appended to a temporary file that is stored
    at the end.
    """
    job = BatchJob.objects.select_related("model_version").get(pk=job_id)
    if job.status == BatchJob.Status.DONE:
        return job
    BatchJob.objects.filter(pk=job.pk).update(
        status=BatchJob.Status.RUNNING, started_at=timezone.now(), processed_rows=0
    )
    language = job.language or settings.LANGUAGE_CODE
    file_name = _uploaded_name(job)
    with job.source.open("rb") as source, translation.override(language):
        try:
            total = validate_batch_csv(source, file_name=file_name)
        except BatchFileError as error:
            # The caller's data, not a failure of ours: no traceback, no retry. One
            # problem a line, each naming its line and column, for the caller to mend.
            return _batch_job_refuse(job, errors=error.errors)
    BatchJob.objects.filter(pk=job.pk).update(total_rows=total)
    version = job.model_version
    if version is None:  # every job is created with the active model; the column is nullable
        raise ValueError(f"batch {job.pk} names no model version")
    model = scoring_model_for(version)
    processed = 0
    with job.source.open("rb") as source, tempfile.TemporaryFile() as results:
        for chunk in _application_chunks(source, file_name=file_name):
            features = model.features({schema.APPLICATION.name: chunk})
            prediction = model.predict(features)
            part = pd.DataFrame(
                {
                    "SK_ID_CURR": chunk["SK_ID_CURR"].to_numpy(),
                    "probability": prediction.probability,
                    "decision": prediction.decision,
                    "threshold": model.threshold,
                    "model_version": version.version,
                }
            )
            results.write(part.to_csv(index=False, header=processed == 0).encode())
            processed += len(chunk)
            BatchJob.objects.filter(pk=job.pk).update(processed_rows=processed)
        job.refresh_from_db()
        # Copied to storage block by block, like the upload.
        job.results.save(f"{job.id}.csv", File(results, name=f"{job.id}.csv"), save=False)
    job.status = BatchJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["results", "status", "finished_at"])
    return job


def _uploaded_name(job: BatchJob) -> str:
    """The name the caller gave the file (stored as batch/in/<job id>/<name>)."""
    return PurePosixPath(job.source.name).name if job.source.name else "batch.csv"


def _batch_job_refuse(job: BatchJob, *, errors: list[str]) -> BatchJob:
    BatchJob.objects.filter(pk=job.pk).update(
        status=BatchJob.Status.FAILED, error="\n".join(errors), finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def batch_job_fail(*, job_id: str, error: str) -> None:
    BatchJob.objects.filter(pk=job_id).exclude(status=BatchJob.Status.DONE).update(
        status=BatchJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def batch_files_purge(*, now: datetime | None = None) -> int:
    """Delete the uploaded and result files of batches older than the retention period.

    The files hold applicants' data (the uploaded rows; their ids and scores):
    they are kept `BATCH_FILE_RETENTION_DAYS` days (default 30) after the batch was
    submitted, for the partner to download the results, then deleted from storage. The
    job's row stays (who submitted how many rows, when, with which model): its
    results answer 410 from then on. A batch still running is left alone. Returns the
    number of batches whose files were deleted.
    """
    days = settings.BATCH_FILE_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = (
        BatchJob.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[BatchJob.Status.PENDING, BatchJob.Status.RUNNING])
        .exclude(source="", results="")
    )
    purged = 0
    for job in stale.iterator():
        for field in (job.source, job.results):
            if field.name:
                field.storage.delete(field.name)  # a file already gone is no error
        BatchJob.objects.filter(pk=job.pk).update(source="", results="")
        purged += 1
    return purged

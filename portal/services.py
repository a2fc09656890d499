"""Writes of the client portal: the download of everything held about a client.

`client_data_export_create` builds, on demand and from the database, a copy of
everything we hold about the client (GDPR art. 15, access, and art. 20,
portability): their rows of the seven Kaggle tables, the scores a person
released to them by taking a decision on them and their explanations, the
decisions, the review requests. As one JSON document nested by table, or as a
zip of CSV files (one per table). The export is recorded in the audit trail
(`export.created`: which format, which tables, how many rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import formatting
from accounts.models import AnyUser
from audit.models import Action
from audit.services import audit_event_record
from clients.models import Application
from clients.record_in_words import SOURCE_OF_TABLE, source_label
from explanations.reasons import reasons_for
from portal.decision_in_words import decider_role
from portal.selectors import client_tables_get, kaggle_attnames
from scoring.models import CreditDecision, Explanation, ReviewRequest, Score

JSON = "json"
CSV = "csv"
FORMATS = (JSON, CSV)

SCORE_COLUMNS = (
    "score_id",
    "model_version",
    "computed_at",
    "probability_of_default",
    "model_assessment",
    "reasons_against",
    "reasons_in_favour",
)
EXPLANATION_COLUMNS = ("score_id", "feature", "value", "effect_on_risk")
DECISION_COLUMNS = (
    "decision_id",
    "decided_at",
    "outcome",
    "decided_by",
    "followed_the_model",
    "model_assessment",
    "justification",
    "score_id",
)


@dataclass(frozen=True)
class Export:
    filename: str
    content_type: str
    content: bytes
    rows: dict[str, int]


def _plain(value: Any) -> Any:
    """A value as JSON and CSV carry it: dates and ids as text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _released_scores(application: Application) -> list[Score]:
    """The scores a person released to the client: those their decisions rest on."""
    return list(
        Score.objects.filter(application=application, credit_decisions__application=application)
        .select_related("model_version")
        .distinct()
        .order_by("created_at")
    )


def _scores_and_explanations(
    application: Application, language: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    scores = _released_scores(application)
    explanations = {
        explanation.score_id: explanation
        for explanation in Explanation.objects.filter(score__in=scores)
    }
    score_rows, explanation_rows = [], []
    for score in scores:
        explanation = explanations.get(score.pk)
        said = (
            reasons_for(
                explanation.contributions, explanation.feature_values, language=language, top=4
            )
            if explanation is not None
            else {"raising": [], "lowering": []}
        )
        score_rows.append(
            {
                "score_id": str(score.pk),
                "model_version": score.model_version.version,
                "computed_at": _plain(score.finished_at or score.created_at),
                "probability_of_default": score.probability,
                "model_assessment": score.decision,
                "reasons_against": " ".join(said["raising"]),
                "reasons_in_favour": " ".join(said["lowering"]),
            }
        )
        if explanation is not None:
            for feature, effect in sorted(explanation.contributions.items()):
                explanation_rows.append(
                    {
                        "score_id": str(score.pk),
                        "feature": feature,
                        "value": explanation.feature_values.get(feature),
                        "effect_on_risk": effect,
                    }
                )
    return score_rows, explanation_rows


def _decisions(application: Application) -> list[dict[str, Any]]:
    return [
        {
            "decision_id": decision.pk,
            "decided_at": _plain(decision.created_at),
            "outcome": decision.outcome,
            "decided_by": decider_role(decision.decided_by),
            "followed_the_model": (not decision.is_override) if decision.model_decision else None,
            "model_assessment": decision.model_decision or None,
            "justification": decision.justification,
            "score_id": str(decision.score_id) if decision.score_id else None,
        }
        for decision in CreditDecision.objects.filter(application=application)
        .select_related("decided_by")
        .order_by("created_at")
    ]


def _review_request_columns() -> list[tuple[str, str]]:
    """(column, attribute) of every field of a review request, whatever it holds today,
    except the links to staff and client logins (people's accounts are not the client's data)."""
    user_model = get_user_model()
    columns = []
    for field in ReviewRequest._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and field.related_model is user_model:
            continue
        name = "review_request_id" if field.primary_key else field.attname
        columns.append((name, field.attname))
    return columns


def _review_requests(application: Application) -> list[dict[str, Any]]:
    columns = _review_request_columns()
    return [
        {name: _plain(getattr(review, attname)) for name, attname in columns}
        for review in ReviewRequest.objects.filter(application=application).order_by("created_at")
    ]


def client_data_get(*, application: Application) -> dict[str, Any]:
    """Everything held about the client, by table (the JSON export's document)."""
    language = formatting.active_language()
    tables = {
        table: [{column: _plain(value) for column, value in row.items()} for row in rows]
        for table, rows in client_tables_get(application=application).items()
    }
    scores, explanations = _scores_and_explanations(application, language)
    return {
        "about": {
            "client_file": application.pk,
            "generated_at": timezone.now().isoformat(),
            "sources": {table: source_label(SOURCE_OF_TABLE[table]) for table in tables},
            "scores": _(
                "The scores a person used to decide on your application. "
                "probability_of_default is the scoring model's estimate; in the explanations, "
                "effect_on_risk > 0 means the value raised that estimate, < 0 that it lowered it."
            ),
        },
        "tables": tables,
        "scores": scores,
        "explanations": explanations,
        "decisions": _decisions(application),
        "review_requests": _review_requests(application),
    }


def _csv_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: _csv_value(row.get(column)) for column in columns})
    # UTF-8 with a byte-order mark, so that a spreadsheet opens accents right.
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float):
        return repr(value)
    return value


def _zip_of(document: dict[str, Any]) -> bytes:
    """One CSV file per table (headers even when empty), and the document's `about`."""
    files: dict[str, bytes] = {}
    for table, rows in document["tables"].items():
        columns = [column for column, _attname in kaggle_attnames(table)]
        files[f"{table}.csv"] = _csv_bytes(columns, rows)
    files["scores.csv"] = _csv_bytes(list(SCORE_COLUMNS), document["scores"])
    files["explanations.csv"] = _csv_bytes(list(EXPLANATION_COLUMNS), document["explanations"])
    files["decisions.csv"] = _csv_bytes(list(DECISION_COLUMNS), document["decisions"])
    files["review_requests.csv"] = _csv_bytes(
        [name for name, _attname in _review_request_columns()], document["review_requests"]
    )
    files["about.json"] = json.dumps(document["about"], ensure_ascii=False, indent=2).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _row_counts(document: dict[str, Any]) -> dict[str, int]:
    counts = {table: len(rows) for table, rows in document["tables"].items()}
    for key in ("scores", "explanations", "decisions", "review_requests"):
        counts[key] = len(document[key])
    return counts


@transaction.atomic
def client_data_export_create(*, user: AnyUser, application: Application, format: str) -> Export:
    """Build the client's export in `format` ("json" or "csv") and record it in the audit trail.

    The caller has checked that `application` is `user`'s own (portal/access.py).
    Read in one transaction, so the tables agree with each other.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}; expected one of {FORMATS}")
    document = client_data_get(application=application)
    stem = f"pret-a-depenser-{application.pk}-{timezone.localdate().isoformat()}"
    if format == JSON:
        content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        export = Export(f"{stem}.json", "application/json", content, _row_counts(document))
    else:
        export = Export(f"{stem}.zip", "application/zip", _zip_of(document), _row_counts(document))
    audit_event_record(
        action=Action.EXPORT_CREATED,
        actor=user,
        application_id=application.pk,
        detail={"format": format, "tables": sorted(export.rows), "rows": export.rows},
    )
    return export

"""/api/v1/batches: score a CSV of applications in the background.

Who: integration accounts (accounts.use_api). A batch belongs to the account
that submitted it: another account gets a 404 for it, existing or not.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.exceptions import Conflict, no_active_model
from api.parsers import RequestTooLarge
from api.permissions import WRITE_APPLICATIONS, request_user
from scoring.batch import BatchFileError, batch_job_create
from scoring.governance import manual_review_on, results_without_decisions
from scoring.models import BatchJob
from scoring.registry import NoActiveModel


class BatchOutputSerializer(serializers.ModelSerializer):
    progress = serializers.FloatField(read_only=True)
    model_version = serializers.CharField(
        source="model_version.version", default=None, allow_null=True, read_only=True
    )
    url = serializers.SerializerMethodField()
    results_url = serializers.SerializerMethodField()

    class Meta:
        model = BatchJob
        fields = [
            "id", "status", "total_rows", "processed_rows", "progress", "model_version",
            "error", "created_at", "started_at", "finished_at", "url", "results_url",
        ]  # fmt: skip

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, job: BatchJob) -> str:
        return reverse("api:batch-detail", args=[job.pk], request=self.context.get("request"))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_results_url(self, job: BatchJob) -> str | None:
        if job.status != BatchJob.Status.DONE:
            return None
        return reverse("api:batch-results", args=[job.pk], request=self.context.get("request"))


class ResultsGone(APIException):
    status_code = status.HTTP_410_GONE
    default_code = "results_deleted"


def _get_batch_for_user(user, batch_id: uuid.UUID) -> BatchJob:
    job = BatchJob.objects.select_related("model_version").filter(pk=batch_id).first()
    if job is None or job.created_by_id != user.pk:
        raise NotFound(gettext("no batch %(id)s among yours.") % {"id": batch_id})
    return job


class BatchListView(ListModelMixin, GenericAPIView):
    """Submit a CSV of applications (application_test.csv columns; SK_ID_CURR required).

    Who: integration accounts. The request reads only the file's first line: a
    file that is not a CSV, or whose header lacks SK_ID_CURR or names unknown
    columns, is a 400 and nothing is stored or queued. The rows are read by the
    worker: `total_rows` is 0 until it has counted them, and a bad row fails the
    batch (`status` "failed"), its `error` naming the line and column of each
    problem, one a line. Nothing about the applications is stored but the file
    and its results.
    """

    access_rule = WRITE_APPLICATIONS
    parser_classes = [MultiPartParser]
    serializer_class = BatchOutputSerializer

    def get_queryset(self):
        return BatchJob.objects.filter(created_by=request_user(self.request)).select_related(
            "model_version"
        )

    @extend_schema(
        tags=["batches"], summary="Your batches, newest first", operation_id="batches_list"
    )
    def get(self, request: Request) -> Response:
        # ListModelMixin's list(): the schema then documents the paginated list it is.
        return self.list(request)

    @extend_schema(
        tags=["batches"],
        summary="Submit a CSV of applications to score",
        request={
            "multipart/form-data": inline_serializer(
                "BatchUpload", fields={"file": serializers.FileField()}
            )
        },
        responses={202: BatchOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        uploaded = request.FILES.get("file")
        refused = getattr(request._request, "upload_refused", None)
        if refused:  # over the limit: refused while streaming in, nothing was stored
            raise RequestTooLarge(
                gettext("The file is larger than %(size)s MiB: nothing was stored.")
                % {"size": refused // 2**20}
            )
        if uploaded is None:
            raise ValidationError({"file": [gettext("attach the CSV file as the 'file' field.")]})
        try:
            job = batch_job_create(uploaded=uploaded, created_by=request_user(request))
        except BatchFileError as error:
            raise ValidationError({"file": error.errors}) from error
        except NoActiveModel as error:
            raise no_active_model(error) from error
        data = self.get_serializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class BatchDetailView(GenericAPIView):
    """One batch: status and progress (rows scored so far). Who: the account that sent it."""

    access_rule = WRITE_APPLICATIONS
    serializer_class = BatchOutputSerializer

    @extend_schema(tags=["batches"], summary="Progress of a batch (poll it)")
    def get(self, request: Request, batch_id: uuid.UUID) -> Response:
        return Response(self.get_serializer(_get_batch_for_user(request.user, batch_id)).data)


class BatchResultsView(GenericAPIView):
    """The results CSV (SK_ID_CURR, probability, decision, threshold, model_version).

    Who: the account that sent the batch. 409 while the batch is not done.
    """

    access_rule = WRITE_APPLICATIONS

    @extend_schema(
        tags=["batches"],
        summary="Download the results of a finished batch",
        responses={
            (200, "text/csv"): bytes,
            409: OpenApiResponse(description="The batch is not done yet: no results."),
            410: OpenApiResponse(
                description="The results were deleted after the retention period."
            ),
        },
    )
    def get(self, request: Request, batch_id: uuid.UUID):
        job = _get_batch_for_user(request.user, batch_id)
        if job.status == BatchJob.Status.DONE and not job.results:
            raise ResultsGone(
                gettext(
                    "the results of batch %(id)s were deleted %(days)s days after it was "
                    "submitted: submit the file again to score it anew."
                )
                % {"id": job.pk, "days": settings.BATCH_FILE_RETENTION_DAYS}
            )
        if job.status != BatchJob.Status.DONE:
            raise Conflict(
                gettext("batch %(id)s is %(status)s, not done: no results yet.")
                % {"id": job.pk, "status": job.status}
            )
        if manual_review_on():
            # The model only advises: its decision column goes out empty (AI Act art. 14).
            with job.results.open("rb") as stored:
                content = results_without_decisions(stored.read())
            response = HttpResponse(content, content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="scores-{job.pk}.csv"'
            return response
        return FileResponse(
            job.results.open("rb"),
            as_attachment=True,
            filename=f"scores-{job.pk}.csv",
            content_type="text/csv",
        )

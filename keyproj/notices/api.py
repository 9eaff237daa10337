"""Issued 通报 over HTTP: read-only, scoped like the pages, with the files as issued.

Notices are issued by the services (the month close, the quarter's inspection results);
the API only reads them. A notice the caller may not read does not exist here (404).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request

from keyproj.core.api import NOT_FOUND, REFUSALS
from keyproj.core.viewsets import ScopedReadOnlyViewSet
from keyproj.notices.document import to_text
from keyproj.notices.files import FORMATS, file_response
from keyproj.notices.filtersets import NoticeFilterSet
from keyproj.notices.models import Notice
from keyproj.notices.querysets import LIST_FIELDS


class NoticeSerializer(serializers.ModelSerializer):
    """One issued notice: its 文号 and particulars, and the sha256 of each stored file."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="类型（中文）")
    issued_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="签发人（用户名）；由命令签发时为null"
    )

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "kind_display",
            "year",
            "sequence",
            "number",
            "title",
            "date",
            "period_label",
            "source",
            "docx_sha256",
            "pdf_sha256",
            "issued_by",
            "issued_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "withdrawn_at": {"help_text": "撤回时间（所属月份重新打开时撤回；文号保留不再使用），未撤回为null"},
            "withdrawn_reason": {"help_text": "撤回原因"},
        }


class NoticeDetailSerializer(NoticeSerializer):
    """A notice with its document (as issued, re-renderable) and its plain text."""

    document = serializers.JSONField(read_only=True, help_text="公文内容（OfficialDocument 的 JSON 形式）")
    text = serializers.SerializerMethodField(help_text="全文纯文本")

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "document", "text"]
        read_only_fields = fields

    def get_text(self, notice: Notice) -> str:
        return to_text(notice.official_document)


FILE_FORMAT = OpenApiParameter(
    "fmt",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=list(FORMATS),
    description="docx、pdf（印发时保存的文件）或 xlsx（通报中的表格）",
)


@extend_schema_view(
    list=extend_schema(
        summary="通报列表（本人可读的）", responses={200: NoticeSerializer(many=True), 400: REFUSALS[400]}
    ),
    retrieve=extend_schema(
        summary="一份通报（含公文内容和纯文本）", responses={200: NoticeDetailSerializer, **NOT_FOUND}
    ),
)
class NoticeViewSet(ScopedReadOnlyViewSet):
    """Notices the caller may read; any other notice does not exist here (404)."""

    filterset_class = NoticeFilterSet

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return NoticeDetailSerializer if self.action == "retrieve" else NoticeSerializer

    queryset = Notice.objects.select_related("issued_by")

    def narrow(self, notices: QuerySet[Notice]) -> QuerySet[Notice]:
        if self.action == "list":
            notices = notices.only(*LIST_FIELDS, "source", "issued_by__username")
        elif self.action == "retrieve":
            notices = notices.defer("docx", "pdf")
        return notices.order_by("-date", "kind", "-sequence", "-pk")

    @extend_schema(
        summary="下载通报文件",
        description="docx、pdf 为印发时保存的文件（与 docx_sha256、pdf_sha256 一致）；xlsx 为通报中的全部表格。",
        parameters=[FILE_FORMAT],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="文件"),
            **NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<fmt>[a-z]+)")
    def files(self, request: Request, pk: str | None = None, fmt: str = "") -> HttpResponse:
        if fmt not in FORMATS:
            raise Http404
        return file_response(self.get_object(), fmt)

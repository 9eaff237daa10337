"""The audit log over HTTP: the same entries, filters and reader as the office's page (/audit/).

Read-only: entries are written by the services (`keyproj.core.audit.log`), never through the API.
The log is the office's to read (`keyproj.core.audit.may_read`, registered by accounts); for anyone
else the list and every entry do not exist (404), as on the page. The list is narrowed by the page's
own FilterSet (keyproj.core.filtersets.AuditEntryFilterSet) and paged like every other list; each
entry carries `action_label`, the registered label (keyproj.core.actions) in the request's language.
Included by keyproj.api_urls.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.routers import SimpleRouter

from keyproj.core import actions, audit
from keyproj.core.api import NOT_FOUND, REFUSALS
from keyproj.core.filtersets import AuditEntryFilterSet
from keyproj.core.models import AuditEntry
from keyproj.core.viewsets import ScopedReadOnlyViewSet


class AuditEntryQuerySet(QuerySet[AuditEntry]):
    """The log's rows as scope sees them: every entry for a reader of the log, none for anyone else.

    AuditEntry's own manager has no `visible_to` (the log is not scoped by project), so the API's
    scope door (keyproj.core.scoping.scoped) is given this one.
    """

    def visible_to(self, user: Any) -> QuerySet[AuditEntry]:
        return self.all() if audit.may_read(user) else self.none()


class AuditEntrySerializer(serializers.ModelSerializer):
    """One recorded change: when, who, which action (code and label), on what, before and after."""

    action_label = serializers.SerializerMethodField(help_text="操作名称（按请求的语言，如“提出问题”）")
    object_type = serializers.SerializerMethodField(help_text="对象类型（app_label.model，如 projects.project）")
    user: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="操作人（用户名）；命令行或系统操作时为null"
    )

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "at",
            "business_day",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "object_repr",
            "user",
            "request_id",
            "before",
            "after",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "at": {"help_text": "记录时间"},
            "business_day": {"help_text": "业务日期（系统设定的业务日期，可能与记录时间不同）"},
            "action": {"help_text": "操作代码（如 problem.raise）"},
            "object_id": {"help_text": "对象ID"},
            "object_repr": {"help_text": "对象名称（记录时）"},
            "request_id": {"help_text": "请求/命令ID：同一请求或命令写下的记录相同"},
            "before": {"help_text": "修改前的值（按字段）；新增时为null"},
            "after": {"help_text": "修改后的值（按字段）；删除时为null"},
        }

    def get_action_label(self, entry: AuditEntry) -> str:
        return actions.label(entry.action, entry.content_type)

    def get_object_type(self, entry: AuditEntry) -> str:
        return f"{entry.content_type.app_label}.{entry.content_type.model}"


@extend_schema_view(
    list=extend_schema(
        summary="审计日志（重点办）：全部变更记录，新的在前",
        description="筛选条件与审计日志页面相同；重点办以外的用户得到404。",
        responses={200: AuditEntrySerializer(many=True), 400: REFUSALS[400], **NOT_FOUND},
    ),
    retrieve=extend_schema(summary="一条审计记录（重点办）", responses={200: AuditEntrySerializer, **NOT_FOUND}),
)
class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit log for its readers; for anyone else neither the list nor an entry exists (404)."""

    queryset = AuditEntryQuerySet(AuditEntry).select_related("user", "content_type").order_by("-at", "-id")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Signed in (checked above) but not a reader: the log does not exist for them, list included.
        if not audit.may_read(request.user):
            raise exceptions.NotFound(gettext("不存在"))


router = SimpleRouter()
router.register("audit", AuditEntryViewSet, basename="audit-entry")

urlpatterns = [*router.urls]

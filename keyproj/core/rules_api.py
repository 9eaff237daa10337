"""Rules over HTTP: every registered rule, a rule's versions, and a new version published.

The same registry and the same service as the rules pages (keyproj.core.views.rules): the office
and the city leaders read, whoever `may_publish` allows publishes, anyone else finds nothing (404)
and may not publish (403). A refusal is answered in the API's one shape, each problem named by
the setting's API name. Included by keyproj.api_urls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core import clock
from keyproj.core.api import NOT_FOUND, REFUSALS, ServiceErrorsMixin
from keyproj.core.errors import Reason, Refused
from keyproj.core.rules import KINDS, RuleKind, VersionedRule, kinds, publish_rule
from keyproj.core.views.rules import may_see_rules, plain_value, publish_form, setting_label, setting_values

# The fields of a request that are not the rule's own settings.
META_FIELDS = ("effective_from", "note")


class RuleKindSerializer(serializers.Serializer):
    """A registered rule and the version in force today."""

    slug = serializers.CharField(help_text="规则代号（/api/v1/rules/<slug>/）")
    name = serializers.CharField(help_text="规则名称")
    version = serializers.IntegerField(help_text="现行版本号")
    effective_from = serializers.DateField(help_text="现行版本的生效日期")
    note = serializers.CharField(help_text="现行版本的修改说明")
    created_by = serializers.CharField(allow_null=True, help_text="发布人（用户名）；系统初始或命令行发布时为null")
    versions = serializers.IntegerField(help_text="版本总数")
    may_publish = serializers.BooleanField(help_text="调用者能否发布新版本")


class RuleVersionSerializer(serializers.Serializer):
    """One version of a rule, with every setting."""

    version = serializers.IntegerField()
    effective_from = serializers.DateField(help_text="生效日期")
    note = serializers.CharField(help_text="修改说明")
    created_by = serializers.CharField(allow_null=True, help_text="发布人（用户名）；系统初始或命令行发布时为null")
    created_at = serializers.DateTimeField(help_text="发布时间")
    settings = serializers.DictField(help_text="各设置项的值（金额、日期为字符串）")


class SettingSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="设置项（发布时的字段名）")
    name = serializers.CharField(help_text="中文名称")


class RuleHistorySerializer(serializers.Serializer):
    """A rule's every version, newest first."""

    slug = serializers.CharField()
    name = serializers.CharField(help_text="规则名称")
    in_force = serializers.IntegerField(help_text="今天施行的版本号")
    may_publish = serializers.BooleanField(help_text="调用者能否发布新版本")
    settings = SettingSerializer(many=True, help_text="设置项及其中文名称")
    versions = RuleVersionSerializer(many=True)


def _username(rule: VersionedRule) -> str | None:
    return None if rule.created_by is None else str(rule.created_by.get_username())


def version_data(kind: RuleKind, rule: VersionedRule) -> dict[str, Any]:
    return {
        "version": rule.version,
        "effective_from": rule.effective_from,
        "note": rule.note,
        "created_by": _username(rule),
        "created_at": rule.created_at,
        "settings": {name: plain_value(rule, name) for name in kind.model.setting_names()},
    }


def _kind(request: Request, slug: str) -> RuleKind:
    """The rule named by slug for one who may read rules; not found otherwise."""
    if not may_see_rules(request.user) or slug not in KINDS:
        raise exceptions.NotFound(gettext("不存在"))
    return KINDS[slug]


class RuleListView(ServiceErrorsMixin, APIView):
    """Every registered rule with the version in force today."""

    @extend_schema(
        operation_id="rules_list",
        summary="规则清单：各项规则及今天施行的版本（重点办、市领导）",
        responses={200: RuleKindSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        if not may_see_rules(request.user):
            raise exceptions.NotFound(gettext("不存在"))
        today = clock.today()
        rows = []
        for kind in kinds():
            rule = kind.model.in_force(today)
            rows.append(
                {
                    "slug": kind.slug,
                    "name": kind.label,
                    "version": rule.version,
                    "effective_from": rule.effective_from,
                    "note": rule.note,
                    "created_by": _username(rule),
                    "versions": kind.model._default_manager.count(),
                    "may_publish": bool(kind.may_publish(request.user)),
                }
            )
        return Response(RuleKindSerializer(rows, many=True).data)


class RuleDetailView(ServiceErrorsMixin, APIView):
    """A rule's versions; POST publishes the next one."""

    @extend_schema(
        operation_id="rules_retrieve",
        summary="一项规则的全部版本（新版本在前）",
        responses={200: RuleHistorySerializer, **NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        kind = _kind(request, slug)
        versions = kind.model._default_manager.select_related("created_by").order_by("-version")
        body = {
            "slug": kind.slug,
            "name": kind.label,
            "in_force": kind.model.current().version,
            "may_publish": bool(kind.may_publish(request.user)),
            "settings": [
                {"field": name, "name": setting_label(kind.model, name)} for name in kind.model.setting_names()
            ],
            "versions": [version_data(kind, rule) for rule in versions],
        }
        return Response(RuleHistorySerializer(body).data)

    @extend_schema(
        operation_id="rules_publish",
        summary="发布规则新版本（重点办）",
        description=(
            "请求体：effective_from（生效日期，缺省为今天，不得早于今天和最新版本的生效日期）、"
            "note（修改说明）及要改的设置项（字段名见 GET 的 settings）；未给出的设置项沿用该日施行的版本。"
            "整体检查，任一问题即不作任何修改（400，problems 逐项列出）。"
        ),
        request=OpenApiTypes.OBJECT,
        responses={
            201: OpenApiResponse(RuleVersionSerializer, description="已发布的新版本"),
            **REFUSALS,
            **NOT_FOUND,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        if slug not in KINDS:
            raise exceptions.NotFound(gettext("不存在"))
        kind = KINDS[slug]
        if not kind.may_publish(request.user):
            raise PermissionDenied(gettext("无权发布%(rule)s") % {"rule": kind.label})
        names = {setting_label(kind.model, n): n for n in kind.model.setting_names()}
        names.update({gettext("生效日期"): "effective_from", gettext("修改说明"): "note"})
        body: Mapping[str, Any] = request.data if isinstance(request.data, Mapping) else {}
        unknown = sorted(set(body) - set(kind.model.setting_names()) - set(META_FIELDS))
        # The form checks each value as the page does; what is not given stays as in the version in force.
        form = publish_form(kind, kind.model.current())
        data = {name: form.initial.get(name) for name in form.fields}
        data.update({key: body[key] for key in body if key not in unknown})
        form = publish_form(kind, kind.model.current(), data=data)
        problems = [Reason(key, gettext("不是该规则的设置项")) for key in unknown]
        if not form.is_valid():
            for name, errors in form.errors.items():
                problems += [Reason(name if name != "__all__" else "", str(message)) for message in errors]
        if problems:
            raise Refused(problems)
        try:
            rule = publish_rule(
                kind.model,
                setting_values(kind, form),
                user=request.user,
                note=form.cleaned_data["note"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except Refused as exc:
            # The service names a field by its Chinese label; a client knows it by its API name.
            raise Refused([Reason(names.get(p.field, p.field), p.message) for p in exc.problems]) from None
        return Response(RuleVersionSerializer(version_data(kind, rule)).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("rules/", RuleListView.as_view(), name="rule-list"),
    path("rules/<slug:slug>/", RuleDetailView.as_view(), name="rule-detail"),
]

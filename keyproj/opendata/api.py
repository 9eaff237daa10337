"""GET /api/v1/open-data/oc4ids/?period=YYYY-MM: a published month as an OC4IDS project package.

With KEYPROJ_PUBLIC on, the package is public like the public site: anyone, signed in or not,
gets every published project. Otherwise it is the API's like any other endpoint: signed-in
callers only, each getting the published projects they may see (Project.objects.visible_to, the
one door); a caller who may see none of them is answered 404, as a package holds at least one
project. Everyone's package (public, or a caller who sees the whole programme) is the stored
download, built once per close (keyproj.opendata.files).

A caller's own package is another package than the public download, so it does not carry the
download's `uri`: it names this endpoint and the month (…/oc4ids/?period=YYYY-MM). Which projects
it holds is handed to the database as a subquery, never read into a set of every visible id.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from keyproj.core.api import NOT_FOUND, REFUSALS
from keyproj.core.scoping import scope_for
from keyproj.opendata import files
from keyproj.opendata.oc4ids import build_package
from keyproj.opendata.published import NotPublished, parse_period, published_close
from keyproj.projects.models import Project

# A month keyproj takes (2000–2100, month 1–12, one or two digits); checked as written, so what the
# schema calls valid and what the view takes are the same strings.
PERIOD_PATTERN = r"^(?:20\d\d|2100)-(?:0?[1-9]|1[0-2])$"


class PublisherSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="发布机构（市重点办）")


class PackageSerializer(serializers.Serializer):
    """An OC4IDS 0.9 project package (documentation only: the view answers the package as built)."""

    uri = serializers.CharField(help_text="本数据包的下载地址")
    publishedDate = serializers.CharField(help_text="通报印发时间（RFC 3339，+08:00）")
    publisher = PublisherSerializer()
    version = serializers.CharField(help_text="OC4IDS版本：0.9")
    projects = serializers.ListField(
        child=serializers.DictField(),
        help_text="项目，每个为一个OC4IDS project对象（金额单位：元，currency CNY）；见 docs/open-data.md",
    )


class Oc4idsView(APIView):
    """A published month's projects as an OC4IDS project package (public when KEYPROJ_PUBLIC is on)."""

    def get_permissions(self) -> list[BasePermission]:
        # Read per request, not at import: the setting decides who may ask, and tests change it.
        return [AllowAny()] if settings.KEYPROJ_PUBLIC else [IsAuthenticated()]

    @extend_schema(
        operation_id="open_data_oc4ids",
        summary="OC4IDS项目数据包（某个已公开月份）",
        description=(
            "已关账并印发通报的月份的项目，按基础设施开放合同数据标准（OC4IDS 0.9）组织；金额为元。"
            "开启公开网站（KEYPROJ_PUBLIC）时任何人可取全部项目；否则须登录，且只含本人可见的项目。"
        ),
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                required=True,
                pattern=PERIOD_PATTERN,
                description="已公开的月份 YYYY-MM，例如 2019-07",
            )
        ],
        responses={
            200: PackageSerializer,
            400: REFUSALS[400],
            401: REFUSALS[401],
            403: REFUSALS[403],
            404: OpenApiResponse(NOT_FOUND[404].response, description="该月未关账、已重新打开、通报未印发或没有数据"),
        },
    )
    def get(self, request: Request) -> HttpResponseBase:
        raw = request.query_params.get("period", "")
        if not raw:
            raise ParseError(_("缺少参数period，格式为YYYY-MM，例如2019-07"))
        if not re.fullmatch(PERIOD_PATTERN, raw):
            raise ParseError(_("“%(text)s”不是月份，应为YYYY-MM，例如2019-07") % {"text": raw[:20]})
        try:
            period = parse_period(raw)
        except NotPublished as exc:
            raise ParseError(str(exc)) from None
        try:
            if settings.KEYPROJ_PUBLIC or scope_for(request.user).everything:
                # Everyone's package: the stored download, built once per close (files.py), never per request.
                return files.package_response(request._request, published_close(period), "json")
            visible = Project.objects.visible_to(request.user).values("pk")
            # The endpoint's address for the month, written one way (2019-7 is 2019-07): a caller's package.
            uri = request.build_absolute_uri(reverse("api:open-data-oc4ids") + "?" + urlencode({"period": str(period)}))
            package: dict[str, Any] = build_package(period, project_ids=visible, uri=uri)
        except NotPublished as exc:
            # Why a month is not published (closed but not issued, reopened) is the office's business.
            raise NotFound(_("该月未公开") if request.user.is_anonymous else str(exc)) from None
        if not package["projects"]:
            # A package must hold a project (the schema's minItems): one with none is not a package.
            raise NotFound(_("该月没有您可查看的已公开项目"))
        return Response(package)

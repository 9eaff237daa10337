"""What the API shares: one shape for every refusal, and the mapping of the services' exceptions to it.

A service refuses a change by raising `Refused` (bad input, every problem at once),
`PermissionDenied` (not this user's to do) or `ConflictError` (someone saved the record
since the client read it). The views that call services mix in `ServiceErrorsMixin`, which
answers those as 400, 403 and 409 with a Chinese `detail` and, for 400, every problem by field:

    {"detail": "…", "problems": [{"field": "investment", "message": "不能为负数"}]}

DRF's own validation errors (a serializer's or a filter's) are answered in the same shape,
so a client reads one format whatever refused it: the handler is also the API's default
(settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]), so a view that does not mix it in answers
every 400 the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from keyproj.core.audit import ConflictError
from keyproj.core.errors import Refused
from keyproj.core.period import YEARS
from keyproj.core.text import clean as clean_text


class CleanJSONParser(JSONParser):
    """JSON whose every string has lost NUL and the control characters XML cannot hold.

    Text fields clean their own values, but a NUL in any other value (a category code, a
    project code) would reach a database query, and PostgreSQL refuses NUL with an error;
    cleaned here, such a value is simply not found and answered with 400.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return _clean_strings(super().parse(stream, media_type, parser_context))


def _clean_strings(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, list):
        return [_clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {_clean_strings(key): _clean_strings(item) for key, item in value.items()}
    return value


class ProblemSerializer(serializers.Serializer):
    """One problem with a request: the field it concerns (empty for the request as a whole) and what is wrong."""

    field = serializers.CharField(help_text="字段名（如 investment）；与整个请求有关时为空")
    message = serializers.CharField(help_text="中文说明")


class RefusalSerializer(serializers.Serializer):
    """A refused request: nothing was written."""

    detail = serializers.CharField(help_text="中文说明（各问题合在一起）")
    problems = ProblemSerializer(many=True, help_text="每个问题，按字段")


class DetailSerializer(serializers.Serializer):
    """A refusal that concerns the request as a whole (not allowed, not found, changed meanwhile)."""

    detail = serializers.CharField(help_text="中文说明")


def money_field(max_digits: int = 14, **kwargs: Any) -> serializers.DecimalField:
    """An amount (万元, or 亩 for land): a string or a number, at most two decimals, not negative.

    Answered as a string with two decimals, so no client reads 0.1 + 0.2 as money.
    """
    return serializers.DecimalField(
        max_digits=max_digits,
        decimal_places=2,
        min_value=0,
        error_messages={
            "required": _("必填"),
            "null": _("必填"),
            "invalid": _("应为数字"),
            "min_value": _("不能为负数"),
            "max_decimal_places": _("最多两位小数"),
            "max_digits": _("数值过大"),
            "max_whole_digits": _("数值过大"),
            "max_string_length": _("数值过长"),
        },
        **kwargs,
    )


def year_field(**kwargs: Any) -> serializers.IntegerField:
    """A year keyproj takes (2000–2100): catches 19 for 2019 before a service sees it."""
    message = _("年度应在2000-2100之间")
    return serializers.IntegerField(
        min_value=YEARS.start,
        max_value=YEARS.stop - 1,
        error_messages={
            "required": _("必填"),
            "null": _("必填"),
            "invalid": _("应为整数"),
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


def month_field(**kwargs: Any) -> serializers.IntegerField:
    """A calendar month, 1–12."""
    message = _("月份应为1-12")
    return serializers.IntegerField(
        min_value=1,
        max_value=12,
        error_messages={
            "required": _("必填"),
            "null": _("必填"),
            "invalid": _("应为整数"),
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


# Record ids fit the database's integer on both engines; a larger number is refused, not sent to SQL.
MAX_ID = 2**31 - 1
YEARS_PATTERN = r"^(?:20\d\d|2100)-"


def id_field(**kwargs: Any) -> serializers.IntegerField:
    """A record's id in a request body: a positive integer that the database can hold."""
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"invalid": _("应为整数"), "min_value": _("编号无效"), "max_value": _("编号无效")},
        **kwargs,
    )


@extend_schema_field({"type": "string", "format": "date", "pattern": YEARS_PATTERN})
class BoundedDateField(serializers.DateField):
    """A date in keyproj's years (2000–2100): year 376 or 2336 is a typing slip, refused with 400."""

    def to_internal_value(self, value: Any) -> dt.date:
        day = super().to_internal_value(value)
        if day.year not in YEARS:
            raise serializers.ValidationError(gettext("日期应在2000-2100年之间"), code="year")
        return day


def choice_param(params: Mapping[str, str], name: str, choices: Iterable[str]) -> str | None:
    """A query parameter that is one of a list (empty: not given); an unknown value is refused with 400.

    Ignoring it instead would answer an unfiltered list that the client takes for the filtered one.
    """
    value = params.get(name)
    if value in (None, ""):
        return None
    allowed = [str(choice) for choice in choices]
    if value not in allowed:
        message = gettext("不是可选的值（可选：%(choices)s）") % {"choices": "、".join(allowed)}
        raise serializers.ValidationError({name: message})
    return value


def version_field(required: bool) -> serializers.IntegerField:
    """The version the client read: a change saved since then is not overwritten (409)."""
    return serializers.IntegerField(
        required=required,
        min_value=1,
        help_text="客户端读取时的 version；若此后已被他人修改，答409且不作修改"
        if required
        else "可选：客户端读取时的 version；给出时，若此后已被他人修改，答409且不作修改",
        error_messages={"required": _("必填：读取时的version"), "invalid": _("应为整数")},
    )


# The answers every changing endpoint may give besides success, for extend_schema(responses=…).
REFUSALS: dict[int, Any] = {
    400: OpenApiResponse(RefusalSerializer, description="请求有误，未作任何修改；problems 列出每个问题"),
    401: OpenApiResponse(DetailSerializer, description="未登录（缺少或无效的令牌）"),
    403: OpenApiResponse(DetailSerializer, description="无权执行此操作"),
}
NOT_FOUND = {404: OpenApiResponse(DetailSerializer, description="不存在，或不在本人可见范围内")}
CONFLICT = {409: OpenApiResponse(DetailSerializer, description="该记录已被他人修改，本次修改未保存；请重新读取后再改")}


def _flatten(errors: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """DRF's nested error structure as (field, message) pairs; list items are named field.N."""
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            name = "" if key in ("non_field_errors", "detail") else str(key)
            yield from _flatten(value, f"{field}.{name}" if field and name else field or name)
    elif isinstance(errors, list):
        nested = any(isinstance(item, Mapping | list) for item in errors)
        for index, item in enumerate(errors):
            yield from _flatten(item, f"{field}.{index}" if nested else field)
    else:
        yield field, str(errors)


def refusal(problems: list[tuple[str, str]]) -> dict[str, Any]:
    """The body of a 400: every problem, and all of them joined as the detail."""
    detail = "；".join(f"{field}: {message}" if field else message for field, message in problems)
    return {"detail": detail, "problems": [{"field": field, "message": message} for field, message in problems]}


def service_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer the services' refusals (and DRF's validation errors) in the one documented shape."""
    view = context.get("view")
    names: Mapping[str, str] = getattr(view, "problem_fields", {}) or {}
    if isinstance(exc, Refused):
        # A service names a field by its Chinese label; a client knows it by the API's name.
        problems = [(names.get(p.field, p.field), p.message) for p in exc.problems]
        return Response(refusal(problems), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PermissionDenied):
        # The service's own reason when it gave one ("只有重点办可以批准计划"); DRF's generic one otherwise.
        detail = str(exc) if exc.args and str(exc) else gettext("您无权执行此操作")
        return Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        # A validation error, a body that is not JSON, a filter's refusal: all answered in the one shape.
        errors = exc.detail if isinstance(exc, exceptions.APIException) else response.data
        response.data = refusal(list(_flatten(errors)) or [("", gettext("请求有误"))])
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The site's 404: under /api/ the documented JSON body (a path no route matches), a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("不存在")}, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)


class ServiceErrorsMixin:
    """Mix into an APIView (first) so the services' exceptions are answered as documented.

    problem_fields: the services' Chinese field labels mapped to this view's API field names.
    """

    problem_fields: ClassVar[Mapping[str, str]] = {}

    def get_exception_handler(self) -> Any:
        return service_exception_handler

"""Reading what a request names in its address: one door for control characters, one reader per kind of value.

A query string or a path is never free text: nothing a user means to send there contains a
control character, and PostgreSQL refuses a NUL outright (the query fails with a server error).
`RefuseControlCharacters` therefore answers any request whose path or query string holds one with
400 before a view sees it — for the whole site, pages and API alike, cheaply and totally. (Bodies
are text and are cleaned where they are read: keyproj.core.text.)

The readers below take one parameter each — a month, a quarter, a record id, a list of ids —
and refuse a bad value with `ParamError`, which names the parameter and says in Chinese what is
wrong. It is a DRF ValidationError, so an API view that lets it pass answers 400 with the
documented body ({"detail": …, "problems": [{"field": "period", "message": …}]}); a page catches
it and shows the message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from rest_framework import serializers

from keyproj.core.period import YEARS, Period, PeriodError

# Record ids are integers the database holds on both engines; a larger number names nothing.
MAX_ID = 2**31 - 1
# C0 controls (tab, LF and CR included: none belongs in an address) and DEL.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_QUARTER = re.compile(r"^([0-9]{4})\s*[Qq]\s*([1-4])$")
_ID = re.compile(r"^[0-9]{1,10}$")
# How much of a refused value a message repeats: enough to recognise it, never a page of it.
SHOWN = 20


class ParamError(serializers.ValidationError):
    """A query or path parameter that is malformed: the parameter's name and what is wrong, in Chinese."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__({name: [message]})
        self.name = name
        self.message = message

    def __str__(self) -> str:
        return self.message


def shown(value: str) -> str:
    """A refused value as a message repeats it: cut short, without control characters."""
    value = _CONTROL.sub("", value)
    return value if len(value) <= SHOWN else value[:SHOWN] + "…"


def control_character_in(request: HttpRequest) -> str | None:
    """The name of the first parameter (or "" for the path) holding a control character, else None."""
    if _CONTROL.search(request.path):
        return ""
    for name, values in request.GET.lists():
        if _CONTROL.search(name):
            return shown(name) or "?"
        if any(_CONTROL.search(value) for value in values):
            return name
    return None


def control_character_message(name: str) -> str:
    if name:
        return gettext("参数“%(name)s”含有不可见的控制字符，请删去后重试") % {"name": name}
    return gettext("网址含有不可见的控制字符，请删去后重试")


class RefuseControlCharacters:
    """Answer 400 to a request whose path or query string holds a control character (NUL, a vertical tab …).

    The API's answer is its documented refusal body; a page's is the site's 400 page with the
    reason in Chinese. Placed after authentication, so that the page shows the user's header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = control_character_in(request)
        if name is None:
            return self.get_response(request)
        message = control_character_message(name)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": f"{name}: {message}" if name else message,
                    "problems": [{"field": name, "message": message}],
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        page = loader.render_to_string("400.html", {"message": message}, request=request)
        return HttpResponse(page, status=400)


def period(value: str | None, name: str = "period", *, default: Period | None = None) -> Period | None:
    """A month given as YYYY-MM; blank gives `default`."""
    text = (value or "").strip()
    if not text:
        return default
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise ParamError(name, _with_value(text, str(exc))) from None


def page_period(request: HttpRequest, default: Period | None, name: str = "period") -> tuple[Period | None, str]:
    """The month a page is asked for (?period=YYYY-MM), or `default`, and what to tell the user.

    A page never fails on a bad month: it shows `default` and says, in Chinese, what was wrong
    (the API refuses instead, through `period`). The message is empty when all was well.
    """
    text = (request.GET.get(name) or "").strip()
    if not text:
        return default, ""
    try:
        return Period.parse(text), ""
    except PeriodError as exc:
        if default is None:
            message = gettext("月份“%(value)s”无效：%(reason)s。")
        else:
            message = gettext("月份“%(value)s”无效：%(reason)s。已改为显示%(label)s。")
        return default, message % {
            "value": text[:20],
            "reason": str(exc).rstrip("。"),
            "label": default.label if default else "",
        }


def quarter(value: str | None, name: str = "quarter") -> tuple[int, int] | None:
    """A quarter given as 2019Q3 (year 2000–2100, quarter 1–4); blank gives None."""
    text = (value or "").strip()
    if not text:
        return None
    match = _QUARTER.match(text)
    if not match:
        raise ParamError(name, gettext("“%(value)s”不是有效的季度，应写作如2019Q3") % {"value": shown(text)})
    year = int(match.group(1))
    if year not in YEARS:
        raise ParamError(
            name,
            gettext("季度“%(value)s”的年度应在%(first)s-%(last)s之间")
            % {"value": shown(text), "first": YEARS.start, "last": YEARS.stop - 1},
        )
    return year, int(match.group(2))


def object_id(value: str | int | None, name: str = "id") -> int | None:
    """A record's id: ASCII digits, 1 to the database's largest integer; blank gives None."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not _ID.match(text) or not 1 <= int(text) <= MAX_ID:
        raise ParamError(name, gettext("编号“%(value)s”无效，应为正整数") % {"value": shown(text)})
    return int(text)


def object_ids(values: Iterable[str | int], name: str = "ids") -> list[int]:
    """Record ids, in the order given, each once; any malformed one refuses the whole list."""
    found: list[int] = []
    for value in values:
        pk = object_id(value, name)
        if pk is not None and pk not in found:
            found.append(pk)
    return found


def read(request: Any, name: str, reader: Callable[..., Any], **kwargs: Any) -> Any:
    """One parameter of a page's or the API's query string, read by `reader` (period, quarter, object_id)."""
    params = getattr(request, "query_params", None)
    if params is None:
        params = request.GET
    return reader(params.get(name), name, **kwargs)


def _with_value(text: str, reason: str) -> str:
    if shown(text) in reason:
        return reason
    return gettext("“%(value)s”无效：%(reason)s") % {"value": shown(text), "reason": reason}

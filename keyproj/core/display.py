"""Dates, months, quarters and rule versions as a reader says them, in the page's language.

Chinese pages read 2019年8月5日, 2019年8月, 2019年第三季度, 第1版; English pages read Django's
English formats (Aug. 5, 2019; August 2019) and Q3 2019, version 1. Every page and chart label
goes through these helpers (and the template filters of the same names in `fmt`), so that no
page shows 2019-08, 2019Q3 or v1 to a user. Money and percentages are in keyproj.core.money.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")
# Chinese numerals for the quarter, as official documents write it (第三季度, not 第3季度).
_CHINESE_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def day(value: Any) -> str:
    """A date: 2019年8月5日 (Aug. 5, 2019). Accepts a date, a datetime or an ISO string; nothing gives ''."""
    found = _as_date(value)
    return date_format(found, "DATE_FORMAT") if found else ""


def chinese_day(value: Any) -> str:
    """A date as stored Chinese text writes it, whatever the page's language: 2019年8月5日.

    For text that is kept and published in Chinese (a card's reason, an escalation's reason, an
    official document), not for page labels, which use `day`.
    """
    found = _as_date(value)
    return f"{found.year}年{found.month}月{found.day}日" if found else ""


def moment(value: Any) -> str:
    """A date and time in the installation's time zone: 2019年8月5日 14:30 (Aug. 5, 2019, 2:30 p.m.)."""
    if isinstance(value, str) and value.strip():
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return ""
    if not isinstance(value, dt.datetime):
        return day(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "DATETIME_FORMAT")


def month(value: Any, number: Any = None) -> str:
    """A month: 2019年8月 (August 2019). Accepts a Period, a date, (year, month), 'YYYY-MM', or a year and a month."""
    first: dt.date | None = None
    if number not in (None, ""):
        value = (value, number)
    if hasattr(value, "first_day"):
        first = value.first_day
    elif isinstance(value, tuple) and len(value) == 2:
        first = dt.date(int(value[0]), int(value[1]), 1)
    elif isinstance(value, str):
        match = _MONTH.match(value.strip())
        if match and 1 <= int(match.group(2)) <= 12:
            first = dt.date(int(match.group(1)), int(match.group(2)), 1)
        else:
            first = _as_date(value)
    else:
        first = _as_date(value)
    return date_format(first, "YEAR_MONTH_FORMAT") if first else ""


def quarter(value: Any, number: int | None = None) -> str:
    """A quarter: 2019年第三季度 (Q3 2019). Accepts '2019Q3', or a year and the quarter's number."""
    if number is None:
        match = _QUARTER.match(str(value or "").strip())
        if not match:
            return str(value or "")
        year, number = int(match.group(1)), int(match.group(2))
    else:
        year = int(value)
    return gettext("%(year)s年第%(quarter)s季度") % {
        "year": year,
        "quarter": pgettext("quarter number", _CHINESE_QUARTER.get(number, str(number))),
    }


def period(value: Any) -> str:
    """A stored period label: 'YYYY-MM' → 2019年8月, 'YYYYQn' → 2019年第三季度; other text as it is."""
    text = str(value or "").strip()
    if _MONTH.match(text):
        return month(text)
    if _QUARTER.match(text):
        return quarter(text)
    return text


def rule_version(value: Any) -> str:
    """A rule's version as a reader counts editions: 第1版 (version 1); nothing gives '—'."""
    if value is None or value == "":
        return "—"
    return gettext("第%(v)s版") % {"v": value}

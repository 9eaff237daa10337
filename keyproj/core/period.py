"""A reporting period: one calendar month of one year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")

# The years keyproj takes for periods, plans and returns: wide enough for any programme,
# narrow enough to catch a mistyped year (19 for 2019, 20190 for 2019).
YEARS = range(2000, 2101)


class PeriodError(ValueError):
    """A period string that is not YYYY-MM, or a month outside 1–12."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise PeriodError(gettext("月份应为1-12，而不是%(month)s") % {"month": self.month})
        if self.year not in YEARS:
            raise PeriodError(gettext("年度%(year)s不在有效范围内") % {"year": self.year})

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read `YYYY-MM` (the month may have one digit)."""
        match = _PERIOD.match((text or "").strip())
        if not match:
            raise PeriodError(gettext("期间“%(text)s”格式不对，应为YYYY-MM，例如2019-07") % {"text": (text or "")[:20]})
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """The month in the page's language: 2019年7月, or July 2019."""
        return date_format(self.first_day, "YEAR_MONTH_FORMAT")

    @property
    def to_date_label(self) -> str:
        """The months a cumulative figure covers, as the published sentence writes them: 1-7月, or 1月.

        Always Chinese: the sentence is the office's published text, whatever the page's language.
        """
        return "1月" if self.month == 1 else f"1-{self.month}月"

    @property
    def to_date_display(self) -> str:
        """The months a cumulative figure covers, in the page's language: 1-7月 / Jan–Jul."""
        if self.month == 1:
            return gettext("1月")
        # The month's short form is a date format, itself translated: n月 in Chinese, M (Jul) in English.
        return gettext("1-%(month)s") % {"month": self.short_label}

    @property
    def short_label(self) -> str:
        """The month alone, short, in the page's language: 7月, or Jul (for chart axes and month tables)."""
        return date_format(self.first_day, pgettext("short month format", "n月"))

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def has_ended(self, today: dt.date) -> bool:
        """A month can be reported once it is over."""
        return today > self.last_day

    @property
    def time_rate(self) -> Decimal:
        """时间进度: the share of the year gone by the end of this month, in percent (unrounded)."""
        return Decimal(self.month) * 100 / 12

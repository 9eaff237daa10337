"""Close the demo's reported months (January to July 2019) and issue their 通报, so that the
pages have history and the 通报 page lists the year's notices.

Each month is closed through `supervision.services.close_month` as the office would, on the
10th of the following month (after the returns' deadline), in order, so that the rules
that look back (`repeat`, three reds in a row) see the earlier closes; its notice is issued
the same day through `issue_close_notice`, taking 厦重点办〔2019〕1号 … 7号 in month order.
"""

from __future__ import annotations

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.demo.build import REPORTED_MONTHS, YEAR
from keyproj.supervision.services import close_month, issue_close_notice

CLOSE_DAY = 10


def close_demo_months() -> None:
    """Close January–July 2019 and issue each month's notice, as the console (idempotent)."""
    for month in range(1, REPORTED_MONTHS + 1):
        period = Period(YEAR, month)
        day = period.next().first_day.replace(day=CLOSE_DAY)
        outcome = close_month(period, user=CONSOLE, today=day)
        issue_close_notice(outcome.close, user=CONSOLE, today=day)

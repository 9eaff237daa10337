"""Close the demo's reported months (January to July 2019), so that the pages have history.

Each month is closed through `supervision.services.close_month` as the office would, on the
10th of the following month (after the returns' deadline), in order, so that the rules
that look back (`repeat`, three reds in a row) see the earlier closes.
"""

from __future__ import annotations

from keyproj.core.period import Period
from keyproj.demo.build import REPORTED_MONTHS, YEAR
from keyproj.supervision.services import close_month

CLOSE_DAY = 10


def close_demo_months() -> None:
    """Close January–July 2019 as the console (idempotent: a closed month is left as it is)."""
    for month in range(1, REPORTED_MONTHS + 1):
        period = Period(YEAR, month)
        close_month(period, user=None, today=period.next().first_day.replace(day=CLOSE_DAY))

"""The business clock: the one place keyproj learns what day it is.

Every business date — the open reporting month, return deadlines and lateness, the ages and
time limits of problems and listings, 文号 years, "as of" dates, the default month of a
page — comes from `today()` (or `now()` for a business moment such as a submission time).
The day is, in order:

1. `KEYPROJ_TODAY=YYYY-MM-DD` from the environment (read once by the settings), which fixes
   the business date of an installation — a training system, a test, a rehearsal;
2. the day stored in the database for a demo installation (`keyproj demo` stores the demo's
   day, so that a demo set in 2019 is reported on, reviewed and closed as in 2019);
3. the real date in `KEYPROJ_TIME_ZONE`.

Record keeping is not business: audit entries, `created_at`/`updated_at` and similar
stamps take the real time from `real_now()` (an audit entry also records the business day).
"""

from __future__ import annotations

import datetime as dt
import threading
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

# The stored day is read at most this often per process: it changes only when the demo is
# loaded or removed, and reading it on every call would cost a query on every page.
STORED_DAY_TTL_SECONDS = 30.0

_lock = threading.Lock()
_cached: tuple[float, dt.date | None] | None = None


def parse_business_day(text: str, *, source: str = "KEYPROJ_TODAY") -> dt.date:
    """Read a business date written as YYYY-MM-DD; anything else is refused with a clear message."""
    try:
        day = dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ImproperlyConfigured(f"{source} 应为 YYYY-MM-DD 格式的日期（例如 2019-09-03），而不是 {text!r}") from None
    if len((text or "").strip()) != 10:
        raise ImproperlyConfigured(f"{source} 应为 YYYY-MM-DD 格式的日期（例如 2019-09-03），而不是 {text!r}")
    return day


def real_now() -> dt.datetime:
    """The real moment, for record keeping (audit entries, update stamps), never for business dates."""
    return timezone.now()


def real_today() -> dt.date:
    """The real date in the installation's time zone."""
    return timezone.localdate(real_now())


def stored_day() -> dt.date | None:
    """The business day a demo installation stored, if any (cached for a few seconds per process)."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < STORED_DAY_TTL_SECONDS:
            return _cached[1]
    # Not at the top: settings import this module to read KEYPROJ_TODAY, before any model can load.
    from keyproj.core.models import Installation

    day = Installation.objects.filter(pk=Installation.SINGLETON).values_list("business_day", flat=True).first()
    with _lock:
        _cached = (time.monotonic(), day)
    return day


def fixed_day() -> dt.date | None:
    """The business date when the installation fixes one (the environment wins), else None."""
    configured: dt.date | None = getattr(settings, "KEYPROJ_TODAY", None)
    if configured is not None:
        return configured
    return stored_day()


def today() -> dt.date:
    """The business date."""
    return fixed_day() or real_today()


def now() -> dt.datetime:
    """A business moment: the business date at the real time of day (aware, in the local zone).

    On a fixed business date a return submitted now is stamped on that date, so that its
    lateness is judged against the business calendar, not the wall calendar.
    """
    real = timezone.localtime(real_now())
    day = fixed_day()
    if day is None or day == real.date():
        return real
    return real.replace(year=day.year, month=day.month, day=day.day)


def store_day(day: dt.date | None) -> None:
    """Store (or, with None, clear) the business day of this installation; `keyproj demo` uses it."""
    from keyproj.core.models import Installation  # (as in stored_day: settings import this module)

    Installation.objects.update_or_create(pk=Installation.SINGLETON, defaults={"business_day": day})
    forget()


def forget() -> None:
    """Drop the cached stored day (after storing one, and between tests)."""
    global _cached
    with _lock:
        _cached = None

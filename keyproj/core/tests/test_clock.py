"""The business clock: one source of today, the environment winning over a demo's stored day."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from keyproj.core import clock
from keyproj.core.models import AuditEntry
from keyproj.core.period import Period

PACKAGE = Path(__file__).resolve().parents[2]


def test_without_a_fixed_day_the_business_date_is_the_real_one(db, settings):
    settings.KEYPROJ_TODAY = None
    assert clock.today() == clock.real_today()


def test_a_demo_installation_runs_on_its_stored_day(db, settings):
    settings.KEYPROJ_TODAY = None
    clock.store_day(dt.date(2019, 9, 3))
    assert clock.today() == dt.date(2019, 9, 3)
    assert clock.now().date() == dt.date(2019, 9, 3)


def test_the_environment_wins_over_the_stored_day(db, settings):
    clock.store_day(dt.date(2019, 9, 3))
    settings.KEYPROJ_TODAY = dt.date(2019, 11, 10)
    assert clock.today() == dt.date(2019, 11, 10)


def test_clearing_the_stored_day_returns_to_the_real_date(db, settings):
    settings.KEYPROJ_TODAY = None
    clock.store_day(dt.date(2019, 9, 3))
    clock.store_day(None)
    assert clock.today() == clock.real_today()


def test_a_business_moment_keeps_the_real_time_of_day(db, settings):
    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    moment = clock.now()
    assert moment.date() == dt.date(2019, 9, 3)
    assert moment.tzinfo is not None


@pytest.mark.parametrize("text", ["2019-13-01", "2019-9-3", "tomorrow", "20190903", "2019-09-03T10:00"])
def test_a_business_date_that_is_not_a_date_is_refused_with_the_format(text):
    with pytest.raises(ImproperlyConfigured, match="YYYY-MM-DD"):
        clock.parse_business_day(text)


def test_audit_entries_keep_the_real_time_and_the_business_day(db, settings, admin_user):
    from keyproj.core import audit

    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    entry = audit.log(admin_user, "user.update", user=admin_user)
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.business_day == dt.date(2019, 9, 3)
    assert entry.at.date() == clock.real_now().date()


def test_the_open_month_follows_the_business_date(db, settings):
    from keyproj.returns import entry

    settings.KEYPROJ_TODAY = dt.date(2019, 9, 3)
    assert entry.last_ended(clock.today()) == Period(2019, 8)


# Calls that read the wall clock. Only keyproj.core.clock may make them: a business date read
# anywhere else would ignore KEYPROJ_TODAY and the demo's day.
WALL_CLOCK = {
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "today"),
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("time", "localtime"),
}


def _wall_clock_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in WALL_CLOCK:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
            # timezone.localtime() without an argument reads the clock too.
            if (name, node.func.attr) == ("timezone", "localtime") and not node.args:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_no_code_outside_the_clock_module_reads_the_wall_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = set(path.relative_to(PACKAGE).parts)
        if parts & {"tests", "migrations", "browser_tests"} or path.name in {"clock.py", "conftest.py"}:
            continue
        offenders += _wall_clock_calls(path)
    assert offenders == []

"""Two approvals of one project committing side by side must both reach the figures."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction

from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.figures import summary
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import approve_return
from keyproj.testing import make_plan, make_returns


@pytest.fixture
def default_lists(transactional_db):
    """The project lists seeded by migration, put back: an earlier transactional test may have flushed them."""
    from keyproj.projects import defaults
    from keyproj.projects.models import Category, Stage

    defaults.load(Category, defaults.CATEGORIES)
    defaults.load(Stage, defaults.STAGES)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory, where a second writer fails at once instead of waiting",
)
def test_concurrent_approvals_of_two_months_both_count(default_lists, unit_officer, siming_project):
    make_plan(siming_project)
    make_returns(siming_project, ["100"] * 5)  # January–May approved
    june, july = make_returns(siming_project, ["100"] * 7, approve=False)[5:]
    june_refreshed = threading.Event()
    errors: list[BaseException] = []

    def approve_june():
        try:
            with transaction.atomic():
                approve_return(ProgressReturn.objects.get(pk=june.pk), user=unit_officer)
                june_refreshed.set()
                # Hold the transaction open while July's approval runs alongside it.
                july_thread.join(timeout=0.5)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
            june_refreshed.set()
        finally:
            connection.close()

    def approve_july():
        try:
            june_refreshed.wait(timeout=5)
            approve_return(ProgressReturn.objects.get(pk=july.pk), user=unit_officer)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    june_thread = threading.Thread(target=approve_june)
    july_thread = threading.Thread(target=approve_july)
    june_thread.start()
    july_thread.start()
    june_thread.join(timeout=30)
    july_thread.join(timeout=30)

    assert not errors
    assert summary(CONSOLE, Period(2019, 7)).actual_to_date == Decimal("700.00")

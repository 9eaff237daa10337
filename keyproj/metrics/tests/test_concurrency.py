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


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory, where a second writer fails at once instead of waiting",
)
def test_an_import_spanning_two_years_and_an_approval_never_wait_on_each_other(default_lists, admin_user):
    """The import refreshes 2019 (for p2) and then 2018 (for p1); an approval of p1 runs in between.

    Had the import locked each year's projects only as it came to them, the approval would hold p1 and
    wait for the 2019 totals the import holds, while the import waited for p1: a deadlock.
    """
    from keyproj.projects.extensions import figures_changed
    from keyproj.returns.services import ReturnData, save_returns
    from keyproj.testing import make_project

    p1, p2 = sorted((make_project(), make_project()), key=lambda p: p.pk)
    for project in (p1, p2):
        for year in (2018, 2019):
            make_plan(project, year=year)
    (waiting,) = make_returns(p1, ["100"], approve=False)  # p1's January 2019, submitted
    first_year_done = threading.Event()
    errors: list[BaseException] = []

    def pause_after_the_first_year(sender, *, year, **kwargs):
        if year == 2019 and not first_year_done.is_set():
            first_year_done.set()
            approval.join(timeout=1.0)  # give the approval its chance to run into the import

    def import_two_years():
        try:
            save_returns(
                [
                    ReturnData(project=p2, year=2019, month=2, investment=Decimal("50")),
                    ReturnData(project=p1, year=2018, month=2, investment=Decimal("70")),
                ],
                user=CONSOLE,
                approve=True,
            )
        except BaseException as exc:
            errors.append(exc)
            first_year_done.set()
        finally:
            connection.close()

    def approve_p1():
        try:
            first_year_done.wait(timeout=10)
            approve_return(ProgressReturn.objects.get(pk=waiting.pk), user=admin_user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    figures_changed.connect(pause_after_the_first_year, dispatch_uid="test-pause-after-the-first-year")
    try:
        importer = threading.Thread(target=import_two_years)
        approval = threading.Thread(target=approve_p1)
        importer.start()
        approval.start()
        importer.join(timeout=30)
        approval.join(timeout=30)
    finally:
        figures_changed.disconnect(dispatch_uid="test-pause-after-the-first-year")

    assert not errors
    assert summary(CONSOLE, Period(2019, 2)).actual_to_date == Decimal("150.00")
    assert summary(CONSOLE, Period(2018, 2)).actual_to_date == Decimal("70.00")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory, where a second writer fails at once instead of waiting",
)
def test_a_rebuild_and_an_approval_running_together_both_finish_and_the_figures_agree(
    default_lists, admin_user, monkeypatch
):
    """The operator's recount (`keyproj rollup --rebuild`) while a return is approved: one waits, neither fails."""
    from keyproj.metrics import rollup, scopes
    from keyproj.testing import make_project

    project = make_project()
    make_plan(project)
    (waiting,) = make_returns(project, ["100"], approve=False)
    recounting = threading.Event()
    errors: list[BaseException] = []
    whole = scopes.rebuild

    def slow_aggregate(cursor, year):
        recounting.set()
        approval.join(timeout=1.0)  # the per-project rows are rewritten; the approval comes now
        whole(cursor, year)

    def recount():
        try:
            rollup.rebuild(2019)
        except BaseException as exc:
            errors.append(exc)
            recounting.set()
        finally:
            connection.close()

    def approve():
        try:
            recounting.wait(timeout=10)
            approve_return(ProgressReturn.objects.get(pk=waiting.pk), user=admin_user)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    monkeypatch.setattr(scopes, "rebuild", slow_aggregate)
    recounter = threading.Thread(target=recount)
    approval = threading.Thread(target=approve)
    recounter.start()
    approval.start()
    recounter.join(timeout=30)
    approval.join(timeout=30)

    assert not errors
    assert scopes.differences(2019) == []
    assert summary(CONSOLE, Period(2019, 1)).actual_to_date == Decimal("100.00")

"""Many hands at once: parallel closes of one month give one close and calm answers to the others.

The threaded tests run on PostgreSQL, where a second writer waits for the first; the test database
of SQLite is in memory, shared by one connection, where that cannot be shown. The API and the
command are also shown losing a race on any database: the other closer is simulated by closing
first and then entering the path as if the month had been read before that close was committed.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal as D
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection
from rest_framework.test import APIClient

from keyproj.accounts.models import Role
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.notices.models import Notice
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision import services
from keyproj.supervision.models import MonthClose
from keyproj.supervision.services import close_month, issue_close_notice
from keyproj.supervision.tests.helpers import JULY, earlier_months_closed, project_with
from keyproj.testing import AFTER_2019, make_user

AFTER_JULY = dt.date(2019, 8, 20)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory, where a second writer fails at once instead of waiting",
)


def programme(count: int = 3) -> None:
    """Projects with plans and approved returns up to July; the months before July recorded as closed."""
    projects = [project_with("100", months=6) for _ in range(count)]
    july = [ReturnData(project=p, year=2019, month=7, investment=D("100"), started=True) for p in projects]
    save_returns(july, user=CONSOLE, approve=True, today=AFTER_2019)
    earlier_months_closed(JULY)


def in_parallel(work: Callable[[], Any], count: int) -> tuple[list[Any], list[BaseException]]:
    """Run `work` in `count` threads released together; what each returned, and what any raised."""
    results: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run() -> None:
        from django.db import connection as own

        try:
            start.wait()
            results.append(work())
        except BaseException as exc:  # reported in the test's own thread
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def run_command(*args: str) -> tuple[int, str]:
    """close-month as the shell sees it: exit status and what it printed."""
    out = StringIO()
    try:
        call_command("close-month", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, out.getvalue()


def api_as(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def lose_the_race(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    """This closer read the month as open, and its write then met another closer's (by `error`)."""
    monkeypatch.setattr(services, "_current_close", lambda period: None)

    def clash(*args: Any, **kwargs: Any) -> Any:
        raise error("another closer holds the month")

    monkeypatch.setattr(services, "_write_close", clash)


# ---------------------------------------------------------------- any database: the calm answers


@pytest.mark.django_db
def test_an_api_close_that_loses_the_race_answers_200_with_the_existing_close(monkeypatch, settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    winner = close_month(JULY, user=CONSOLE).close
    lose_the_race(monkeypatch, IntegrityError)

    response = api_as(make_user("office", Role.OFFICE_ADMIN)).post(
        "/api/v1/supervision/closes/", {"period": "2019-07"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["period"] == "2019-07" and response.json()["version"] == winner.version
    assert MonthClose.objects.filter(year=2019, month=7).count() == 1


@pytest.mark.django_db
def test_an_api_close_that_meets_an_unfinished_close_answers_409_with_a_detail(monkeypatch, settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    lose_the_race(monkeypatch, OperationalError)  # the other closer holds the row; nothing is closed yet

    response = api_as(make_user("office", Role.OFFICE_ADMIN)).post(
        "/api/v1/supervision/closes/", {"period": "2019-07"}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "2019年7月正由他人关账，本次未保存，请稍后刷新页面查看"}
    assert not MonthClose.objects.filter(year=2019, month=7).exists()


@pytest.mark.django_db
def test_a_command_that_loses_the_race_exits_0_saying_the_month_was_closed(monkeypatch, settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    close_month(JULY, user=CONSOLE)
    audit_before = AuditEntry.objects.count()
    lose_the_race(monkeypatch, IntegrityError)

    code, printed = run_command("--period", "2019-07")

    assert code == 0
    assert "此前已关账，未作任何修改" in printed
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_command_that_meets_an_unfinished_close_exits_1_with_a_message(monkeypatch, settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    lose_the_race(monkeypatch, OperationalError)

    code, printed = run_command("--period", "2019-07")

    assert code == 1
    assert printed == "2019年7月正由他人关账，本次未保存，请稍后刷新页面查看"
    assert not MonthClose.objects.filter(year=2019, month=7).exists()


@pytest.mark.django_db
def test_the_close_page_that_loses_the_race_shows_the_existing_close(monkeypatch, client, settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    close_month(JULY, user=CONSOLE)
    lose_the_race(monkeypatch, IntegrityError)
    client.force_login(make_user("office", Role.OFFICE_ADMIN))

    response = client.post("/supervision/2019-07/", {"confirm": "2019年7月"}, follow=True)

    assert response.status_code == 200
    assert "该月此前已关账，未作任何修改" in response.content.decode()


# ---------------------------------------------------------------- PostgreSQL: real threads


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_closes_of_one_month_give_one_close_and_calm_answers():
    programme()

    results, errors = in_parallel(lambda: close_month(JULY, user=CONSOLE, today=AFTER_JULY), 8)

    assert not errors, errors
    assert sum(1 for outcome in results if outcome.created) == 1
    assert len({outcome.close.pk for outcome in results}) == 1
    assert MonthClose.objects.filter(year=2019, month=7).count() == 1
    assert AuditEntry.objects.filter(action="month.close").count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_recloses_of_a_reopened_month_give_one_close():
    programme()
    july = close_month(JULY, user=CONSOLE, today=AFTER_JULY).close
    services.reopen_month(july, user=CONSOLE, reason="更正一个项目的月报")

    results, errors = in_parallel(lambda: close_month(JULY, user=CONSOLE, today=AFTER_JULY), 6)

    assert not errors, errors
    assert sum(1 for outcome in results if outcome.created) == 1
    assert MonthClose.objects.get(year=2019, month=7).is_closed
    assert AuditEntry.objects.filter(action="month.close").count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_api_closes_answer_201_once_and_200_or_409_to_the_others(settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()
    office = make_user("office", Role.OFFICE_ADMIN)

    def post() -> tuple[int, Any]:
        response = api_as(office).post("/api/v1/supervision/closes/", {"period": "2019-07"}, format="json")
        return response.status_code, response.json()

    results, errors = in_parallel(post, 10)

    assert not errors, errors
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and set(codes) <= {200, 201, 409}, results
    assert all("detail" in body for code, body in results if code == 409)
    assert MonthClose.objects.filter(year=2019, month=7).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_command_closes_exit_0_or_1_with_a_message(settings):
    settings.KEYPROJ_TODAY = AFTER_JULY
    programme()

    results, errors = in_parallel(lambda: run_command("--period", "2019-07"), 10)

    assert not errors, errors
    assert {code for code, _ in results} <= {0, 1}, results
    assert sum("2019年7月已关账" in printed for _, printed in results) == 1
    assert all(("此前已关账" in printed) or code == 1 for code, printed in results if "2019年7月已关账" not in printed)
    assert MonthClose.objects.filter(year=2019, month=7).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_issues_of_one_month_take_one_number():
    # An earlier transactional test may have flushed the migration's rows: the numbering rule's defaults come back.
    programme()
    july = close_month(JULY, user=CONSOLE, today=AFTER_JULY).close

    results, errors = in_parallel(
        lambda: issue_close_notice(MonthClose.objects.get(pk=july.pk), user=CONSOLE, today=AFTER_JULY), 6
    )

    assert not errors, errors
    assert len({notice.pk for notice in results}) == 1
    assert Notice.objects.filter(source__startswith="close:2019-07:").count() == 1

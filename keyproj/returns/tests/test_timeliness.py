import datetime as dt
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from keyproj.core.period import Period
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.returns.models import ProgressReturn, ReportingRule
from keyproj.returns.timeliness import by_owner, deadline, missing
from keyproj.testing import make_plan, make_project, make_returns, org

JULY = Period(2019, 7)


def test_returns_are_due_on_the_fifth_unless_a_rule_says_otherwise(db):
    assert deadline(JULY) == dt.date(2019, 8, 5)
    publish_rule(ReportingRule, {"deadline_day": 8}, user=CONSOLE, effective_from=dt.date(2019, 6, 1))
    assert deadline(JULY) == dt.date(2019, 8, 8)
    assert deadline(Period(2019, 5)) == dt.date(2019, 6, 5)  # the rule applies from June on


@pytest.fixture
def month(siming, admin_user):
    owner = org("owner", "厦门安居集团有限公司")
    on_time, late, silent = (make_project(owner=owner, name=n) for n in ("按时", "逾期", "未报"))
    unplanned = make_project(owner=owner, name="无计划")
    for project in (on_time, late, silent):
        make_plan(project)
    make_returns(on_time, ["1"] * 7, approve=False)
    make_returns(late, ["1"] * 7, approve=False)
    make_returns(unplanned, ["1"] * 7, approve=False)
    stamp = lambda p, day: ProgressReturn.objects.filter(project=p, month=7).update(  # noqa: E731
        submitted_at=timezone.make_aware(dt.datetime(2019, 8, day, 12))
    )
    stamp(on_time, 5)
    stamp(late, 6)
    return silent


def test_each_owner_has_its_due_on_time_late_and_missing_counted(month, admin_user):
    [row] = by_owner(admin_user, JULY)
    assert (row.owner, row.due, row.on_time, row.late, row.missing) == ("厦门安居集团有限公司", 3, 1, 1, 1)


def test_the_reminder_list_names_the_projects_not_yet_reported(month, admin_user, tmp_path):
    assert [p.name for p in missing(admin_user, JULY)] == ["未报"]

    out = tmp_path / "催报.xlsx"
    text = StringIO()
    call_command("reminders", "--period", "2019-07", "--out", str(out), stdout=text)

    assert "应报3，按时1，逾期1，未报1" in text.getvalue()
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["未报"]


def test_an_outsider_has_nothing_to_chase(month, outsider):
    assert by_owner(outsider, JULY) == []


def test_a_bad_period_gets_a_clear_answer(db):
    with pytest.raises(CommandError, match="格式不对"):
        call_command("reminders", "--period", "July", stdout=StringIO())

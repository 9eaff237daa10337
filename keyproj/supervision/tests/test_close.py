"""Closing a month: cards and rankings from the data, the snapshot, idempotence, reopening, rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.accounts.models import Role
from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.core.period import Period
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.notices.document import to_text
from keyproj.orgs.models import OrgKind
from keyproj.plans.models import AnnualPlan
from keyproj.plans.services import PlanData, save_plan
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.supervision.models import Card, CardRule, Listing, MonthClose, RankingEntry, RankingRule
from keyproj.supervision.notice import notice_for
from keyproj.supervision.services import (
    close_month,
    reopen_month,
)
from keyproj.supervision.tests.helpers import JULY, JUNE, close, earlier_months_closed, project_with
from keyproj.testing import AFTER_2019, district, make_user, org

pytestmark = pytest.mark.django_db


def card_of(project, period=JULY):
    return Card.objects.filter(project=project, close__year=period.year, close__month=period.month).first()


def test_cards_follow_the_rate_rule_at_80_and_60_percent():
    exactly_80 = project_with("80")  # 560 of 700
    below_80 = project_with("79.99")
    exactly_60 = project_with("60")
    below_60 = project_with("59.99")

    close()

    assert card_of(exactly_80) is None
    assert card_of(below_80).colour == "yellow"
    assert card_of(exactly_60).colour == "yellow"
    assert card_of(below_60).colour == "red"
    card = card_of(exactly_60)
    assert card.rules == ["rate"]
    assert card.schedule_rate == D("60.00")
    # 80 % of August's plan to date (800) − 420 done
    assert card.path_to_green == D("220.00")
    assert card.deadline == dt.date(2019, 8, 31)


def test_a_project_without_a_plan_to_date_gets_no_card():
    later = project_with(None, plan="0")
    AnnualPlan.objects.filter(project=later).delete()
    late_plan = project_with("0", plan="0")  # a plan, but nothing planned by July

    close()

    assert card_of(later) is None and card_of(late_plan) is None


def test_the_start_rule_in_the_database():
    on_time = project_with("100", started=False, start_month=7)
    one_month = project_with("100", started=False, start_month=6)
    three_months = project_with("100", started=False, start_month=4)
    started = project_with("100", started=True, start_month=2)

    close()

    assert card_of(on_time) is None
    assert card_of(one_month).colour == "yellow"
    assert card_of(three_months).colour == "red"
    assert card_of(three_months).reasons == ["计划4月开工，逾期3个月仍未开工"]
    assert card_of(started) is None


def test_yellow_twice_is_red_when_the_previous_month_was_closed_yellow():
    project = project_with("70")

    close(JUNE)
    close(JULY)

    assert card_of(project, JUNE).colour == "yellow"
    assert card_of(project).colour == "red"
    assert card_of(project).rules == ["rate", "repeat"]


def test_a_card_is_lifted_at_the_first_close_where_no_rule_holds():
    project = project_with(None)  # a plan of 100 a month, nothing reported by June
    close(JUNE, override_reason="业主单位未报，按现有数据关账")
    assert card_of(project, JUNE).colour == "red"

    save_returns(
        [ReturnData(project=project, year=2019, month=m, investment=D("100"), started=True) for m in range(1, 8)],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )
    july = close(JULY).close

    assert card_of(project) is None
    assert [item["project"] for item in july.snapshot["lifted"]] == [project.code]
    assert "1个项目整改到位，予以摘牌" in to_text(notice_for(july))


def test_closing_before_the_deadline_is_refused():
    project_with("100")
    earlier_months_closed(JULY)
    with pytest.raises(Refused) as refused:
        close_month(JULY, user=CONSOLE, today=dt.date(2019, 8, 5))  # the 5th is the last day to report
    assert "截止日过后才能关账" in str(refused.value)
    assert not MonthClose.objects.filter(month=7).exists()
    assert close_month(JULY, user=CONSOLE, today=dt.date(2019, 8, 6)).created


def test_closing_twice_changes_nothing():
    project_with("70")
    project_with("50")
    first = close()
    counts = (Card.objects.count(), RankingEntry.objects.count(), Listing.objects.count(), AuditEntry.objects.count())
    version = first.close.version

    again = close()

    assert not again.created
    assert again.close.pk == first.close.pk
    assert again.close.version == version
    assert counts == (
        Card.objects.count(),
        RankingEntry.objects.count(),
        Listing.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_closed_month_is_frozen_and_later_changes_show_in_the_next_close():
    project = project_with("70")
    july = close().close
    before = to_text(notice_for(july))

    # A late correction: the plan is cut, which would lift the card.
    save_plan(
        PlanData(project=project, year=2019, investment=D("840"), monthly=[D("70")] * 12), user=CONSOLE, approve=True
    )
    close()  # closing again: nothing changes
    july.refresh_from_db()

    assert to_text(notice_for(july)) == before
    assert card_of(project).colour == "yellow"
    august = close(Period(2019, 8), override_reason="8月月报未报").close
    assert not august.cards.filter(project=project).exists()


def test_reopening_needs_a_reason_is_audited_and_the_next_close_recomputes():
    project = project_with("70")
    july = close().close
    with pytest.raises(Refused):
        reopen_month(july, user=CONSOLE, reason="  ")

    reopen_month(july, user=CONSOLE, reason="业主更正了7月数据")
    entry = AuditEntry.objects.filter(action="month.reopen").get()
    assert entry.after["reason"] == "业主更正了7月数据"
    with pytest.raises(Refused):
        reopen_month(july, user=CONSOLE, reason="again")

    save_plan(
        PlanData(project=project, year=2019, investment=D("840"), monthly=[D("70")] * 12), user=CONSOLE, approve=True
    )
    outcome = close()
    assert outcome.created
    assert card_of(project) is None
    assert MonthClose.objects.filter(month=7).count() == 1
    assert AuditEntry.objects.filter(action="month.close").count() == 2


def test_only_the_office_closes_and_reopens(siming_officer):
    project_with("70")
    with pytest.raises(PermissionDenied):
        close(user=siming_officer)
    july = close().close
    with pytest.raises(PermissionDenied):
        reopen_month(july, user=siming_officer, reason="x")


def test_closing_with_missing_returns_and_a_reason_names_them():
    reported = project_with("100")
    silent = project_with("100", months=6)

    outcome = close(override_reason="一个项目未报，按现有数据关账")

    assert outcome.missing_returns == [silent.code]
    assert reported.code not in outcome.missing_returns


def test_the_snapshot_records_the_rule_versions_and_the_figures_used():
    project = project_with("70")
    publish_rule(CardRule, {"yellow_below": D("75")}, user=CONSOLE, note="收紧")
    july = close().close

    assert july.card_rule.version == 2
    assert july.snapshot["rules"]["card"]["yellow_below"] == "75.00"
    row = next(p for p in july.snapshot["projects"] if p["code"] == project.code)
    assert row["plan_to_date"] == "700.00" and row["actual_to_date"] == "490.00"
    assert july.snapshot["city"]["sentence"].startswith("1-7月，全市1个市重点项目")


def test_nonsense_rule_edits_are_refused_and_write_nothing():
    with pytest.raises(Refused) as refused:
        publish_rule(CardRule, {"yellow_below": D("50"), "red_below": D("60")}, user=CONSOLE)
    assert refused.value.problems[0].message == "黄牌阈值（50%）不能低于红牌阈值（60%）"
    with pytest.raises(Refused) as refused:
        publish_rule(RankingRule, {"weight_investment": D("70")}, user=CONSOLE)
    assert "四项权重之和应为100，现为110" in str(refused.value)
    assert not AuditEntry.objects.filter(action__startswith="rule.").exists()


def test_only_the_office_edits_rules(siming_officer):
    with pytest.raises(PermissionDenied):
        publish_rule(RankingRule, {}, user=siming_officer)


def test_districts_are_ranked_with_ties_sharing_a_rank_and_moves_from_last_month():
    siming, haicang, huli = district("350203"), district("350205"), district("350206")
    project_with("150", district=siming)
    project_with("150", district=haicang)
    project_with("50", district=huli)
    # Returns saved by the test carry today's time, long after the deadline: put them back in 2019.
    on_time = dt.datetime(2019, 7, 3, tzinfo=dt.UTC)
    ProgressReturn.objects.filter(project__district=siming).update(submitted_at=on_time)
    ProgressReturn.objects.filter(project__district=haicang, month__lte=6).update(submitted_at=on_time)

    close(JUNE)
    july = close(JULY).close
    rows = {row["name"]: row for row in july.snapshot["rankings"]["districts"]}

    # 60 × 1.2 + 15 + 15 + 10 (no milestone due counts as met; July's return on time)
    assert rows["思明区"]["score"] == "112.00"
    # the same, but July's return came in late: 60 × 1.2 + 15 + 15 + 0
    assert rows["海沧区"]["score"] == "102.00"
    assert (rows["思明区"]["rank"], rows["海沧区"]["rank"], rows["湖里区"]["rank"]) == (1, 2, 3)
    assert rows["思明区"]["board"] == "red" and rows["湖里区"]["board"] == "black"
    assert rows["湖里区"]["move"] == 0
    assert rows["海沧区"]["move"] == -1  # tied first in June, second in July
    assert july.snapshot["rankings"]["districts"][0]["inputs"]["returns_on_time"] == 1
    assert RankingEntry.objects.filter(close=july, list="districts").count() == 3


def test_soe_and_area_lists_take_only_soe_owned_and_area_projects():
    soe = org(OrgKind.SOE, "厦门路桥建设集团有限公司")
    area = org(OrgKind.AREA_COMMAND, "环东海域新城指挥部")
    project_with("100", owner=soe)
    project_with("100", area_command=area)
    project_with("100")

    snap = close().close.snapshot

    assert [r["name"] for r in snap["rankings"]["soes"]] == ["厦门路桥建设集团有限公司"]
    assert [r["name"] for r in snap["rankings"]["areas"]] == ["环东海域新城指挥部"]
    assert len(snap["rankings"]["units"]) == 1


def test_a_project_red_three_closes_in_a_row_is_proposed_for_listing():
    project = project_with("10")
    close(Period(2019, 5))
    close(JUNE)
    assert not Listing.objects.exists()

    close(JULY)

    listing = Listing.objects.get()
    assert listing.project == project and listing.status == "proposed"
    assert listing.proposed_by.month == 7
    close(Period(2019, 8), override_reason="8月月报未报")
    assert Listing.objects.count() == 1  # an open proposal is not proposed again


def test_a_district_officer_cannot_close(siming):
    officer = make_user("siming2", Role.DISTRICT_OFFICER, siming)
    with pytest.raises(PermissionDenied):
        close(user=officer)

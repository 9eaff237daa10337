"""The month-close rules at their boundaries, hand-computed (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal as D

import pytest

from keyproj.core.period import Period
from keyproj.supervision import rules
from keyproj.supervision.rules import CardInputs, RankInputs

JULY = Period(2019, 7)


@dataclass
class CardRule:
    yellow_below: D = D("80")
    red_below: D = D("60")
    start_yellow_months: int = 1
    start_red_months: int = 3
    repeat_to_red: bool = True
    rectify_months: int = 1


@dataclass
class RankingRule:
    weight_investment: D = D("60")
    weight_start: D = D("15")
    weight_completion: D = D("15")
    weight_timeliness: D = D("10")
    investment_cap: D = D("1.20")
    list_size: int = 3


def inputs(actual: str, plan: str = "1000", **extra) -> CardInputs:
    values = {
        "plan_to_date": D(plan),
        "actual_to_date": D(actual),
        "next_plan_to_date": D(plan) + D("100"),
        "start_month": None,
        "started": True,
        "previous_colour": None,
    }
    values.update(extra)
    return CardInputs(**values)


@pytest.mark.parametrize(
    ("actual", "colour"),
    [
        ("800.00", None),  # exactly 80 %: no card
        ("799.99", "yellow"),  # just below 80 %
        ("600.00", "yellow"),  # exactly 60 %: yellow, not red
        ("599.99", "red"),  # just below 60 %
        ("0", "red"),
        ("1500", None),
    ],
)
def test_the_rate_rule_at_its_thresholds(actual, colour):
    verdict = rules.judge(inputs(actual), JULY, CardRule())
    assert verdict.colour == colour
    assert verdict.rules == (("rate",) if colour else ())


def test_a_reason_states_the_rate_and_the_threshold():
    verdict = rules.judge(inputs("725"), JULY, CardRule())
    assert verdict.reasons == ("完成序时进度计划72.50%，低于80%",)


def test_the_path_to_green_is_what_brings_the_project_to_80_percent_of_next_months_plan():
    # 80 % × 1100 − 725 = 155
    verdict = rules.judge(inputs("725"), JULY, CardRule())
    assert verdict.path_to_green == D("155.00")
    # rounded up to the cent: 80 % × 1000.01 = 800.008 → 800.01 − 0 = 800.01
    needed = rules.path_to_green(inputs("0", "1000", next_plan_to_date=D("1000.01")), CardRule())
    assert needed == D("800.01")


def test_the_path_to_green_is_never_negative():
    assert rules.path_to_green(inputs("2000"), CardRule()) == D("0.00")


def test_no_plan_to_date_means_no_rate_rule():
    verdict = rules.judge(inputs("0", "0"), JULY, CardRule())
    assert verdict.colour is None
    assert verdict.schedule_rate is None


@pytest.mark.parametrize(
    ("start_month", "colour", "late"),
    [
        (7, None, 0),  # planned for the closed month itself: not yet late
        (6, "yellow", 1),  # one month past
        (5, "yellow", 2),
        (4, "red", 3),  # three months past
        (1, "red", 6),
        (8, None, 0),  # later in the year
    ],
)
def test_the_start_rule_counts_months_past_the_planned_start(start_month, colour, late):
    verdict = rules.judge(inputs("1000", start_month=start_month, started=False), JULY, CardRule())
    assert verdict.colour == colour
    assert rules.months_late(JULY, start_month, False) == late
    if colour:
        assert verdict.rules == ("start",)
        assert verdict.reasons == (f"计划{start_month}月开工，逾期{late}个月仍未开工",)


def test_a_started_project_is_not_judged_by_the_start_rule():
    assert rules.judge(inputs("1000", start_month=1, started=True), JULY, CardRule()).colour is None


def test_yellow_after_yellow_is_red_by_the_repeat_rule():
    verdict = rules.judge(inputs("700", previous_colour="yellow"), JULY, CardRule())
    assert verdict.colour == "red"
    assert verdict.rules == ("rate", "repeat")


def test_repeat_needs_yellow_last_month_and_yellow_now():
    assert rules.judge(inputs("700", previous_colour=None), JULY, CardRule()).colour == "yellow"
    assert rules.judge(inputs("700", previous_colour="red"), JULY, CardRule()).colour == "yellow"
    assert rules.judge(inputs("900", previous_colour="yellow"), JULY, CardRule()).colour is None
    assert rules.judge(inputs("700", previous_colour="yellow"), JULY, CardRule(repeat_to_red=False)).colour == "yellow"


def test_the_worse_colour_wins_when_several_rules_hold():
    verdict = rules.judge(inputs("700", start_month=3, started=False), JULY, CardRule())
    assert verdict.colour == "red"
    assert verdict.rules == ("rate", "start")


def test_the_rectification_deadline_is_the_end_of_the_following_month():
    assert rules.judge(inputs("700"), JULY, CardRule()).deadline_period == Period(2019, 8)
    assert rules.judge(inputs("700"), Period(2019, 12), CardRule(rectify_months=2)).deadline_period == Period(2020, 2)


def rank_inputs(actual="1000", plan="1000", starts=(0, 0), completions=(0, 0), returns=(10, 10)) -> RankInputs:
    return RankInputs(
        plan_to_date=D(plan),
        actual_to_date=D(actual),
        starts_due=starts[0],
        starts_done=starts[1],
        completions_due=completions[0],
        completions_done=completions[1],
        returns_due=returns[0],
        returns_on_time=returns[1],
    )


def test_the_score_is_the_weighted_sum_of_the_four_indicators():
    # 60 × 0.9 + 15 × 2/4 + 15 × 1/3 + 10 × 7/10 = 54 + 7.5 + 5 + 7 = 73.5
    data = rank_inputs("900", "1000", starts=(4, 2), completions=(3, 1), returns=(10, 7))
    assert rules.score(data, RankingRule()) == D("73.50")


def test_the_investment_rate_is_capped_at_120_percent():
    assert rules.score(rank_inputs("1200"), RankingRule()) == D("112.00")
    assert rules.score(rank_inputs("5000"), RankingRule()) == D("112.00")
    assert rules.score(rank_inputs("1199.99"), RankingRule()) == D("112.00")  # 71.99994 + 40 → 111.99994 → 112.00
    assert rules.score(rank_inputs("1100"), RankingRule()) == D("106.00")


def test_an_indicator_with_nothing_due_counts_as_met():
    data = rank_inputs("1000", starts=(0, 0), completions=(0, 0), returns=(0, 0))
    assert rules.score(data, RankingRule()) == D("100.00")
    assert rules.indicators(data, RankingRule()).start is None


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    assert rules.competition_ranks([D("90"), D("95"), D("90"), D("80")]) == [2, 1, 2, 4]
    assert rules.competition_ranks([D("90"), D("95"), D("90")], descending=False) == [1, 3, 1]


def test_red_board_is_the_top_of_those_that_met_plan_and_black_the_bottom_of_those_that_did_not():
    rows = [
        ("a", D("110"), True),
        ("b", D("105"), True),
        ("c", D("104"), True),
        ("d", D("103"), True),  # met plan but fourth: no board
        ("e", D("99"), False),
        ("f", D("70"), False),
        ("g", D("60"), False),
        ("h", D("50"), False),
    ]
    assert rules.boards(rows, 3) == {"a": "red", "b": "red", "c": "red", "f": "black", "g": "black", "h": "black"}


def test_ties_at_the_edge_of_a_board_are_all_listed():
    rows = [("a", D("100"), True), ("b", D("90"), True), ("c", D("80"), True), ("d", D("80"), True)]
    assert rules.boards(rows, 3) == {"a": "red", "b": "red", "c": "red", "d": "red"}


def test_meeting_the_plan_means_actual_at_least_plan():
    assert rules.met_plan(rank_inputs("1000", "1000"))
    assert not rules.met_plan(rank_inputs("999.99", "1000"))


def card_values(**changes):
    values = {
        "yellow_below": D("80"),
        "red_below": D("60"),
        "start_yellow_months": 1,
        "start_red_months": 3,
        "repeat_to_red": True,
        "rectify_months": 1,
    }
    values.update(changes)
    return values


def test_a_yellow_threshold_below_red_makes_no_sense():
    problems = rules.check_card_rule(card_values(yellow_below=D("50")))
    assert problems == [("yellow_below", "黄牌阈值（50%）不能低于红牌阈值（60%）")]
    assert rules.check_card_rule(card_values(yellow_below=D("60"))) == []


def test_weights_must_add_up_to_100():
    values = {
        "weight_investment": D("60"),
        "weight_start": D("15"),
        "weight_completion": D("15"),
        "weight_timeliness": D("15"),
        "investment_cap": D("1.2"),
        "list_size": 3,
    }
    assert rules.check_ranking_rule(values) == [("权重", "四项权重之和应为100，现为105")]
    values["weight_timeliness"] = D("10")
    assert rules.check_ranking_rule(values) == []

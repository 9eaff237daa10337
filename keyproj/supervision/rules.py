"""The month-close rules as small pure functions: a project's card, an organisation's score, ranks.

Nothing here reads the database or the clock. The rule is an argument (a `CardRule` or
`RankingRule` row, or anything with the same attributes), so tests can hand-compute every
boundary, and a closed month's results can be explained from its snapshot alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from typing import Any, Protocol

from keyproj.core.money import CENT, ZERO, round2
from keyproj.core.period import Period

HUNDRED = Decimal(100)
RATE, START, REPEAT = "rate", "start", "repeat"
YELLOW, RED = "yellow", "red"


class CardRuleLike(Protocol):
    yellow_below: Decimal
    red_below: Decimal
    start_yellow_months: int
    start_red_months: int
    repeat_to_red: bool
    rectify_months: int


class RankingRuleLike(Protocol):
    weight_investment: Decimal
    weight_start: Decimal
    weight_completion: Decimal
    weight_timeliness: Decimal
    investment_cap: Decimal
    list_size: int


@dataclass(frozen=True)
class CardInputs:
    """What the card rules look at for one project at the end of a month (money in 万元)."""

    plan_to_date: Decimal
    actual_to_date: Decimal
    next_plan_to_date: Decimal  # plan to date at the end of the next month (the year's plan in December)
    start_month: int | None  # the approved plan's start month in this year, if one is planned
    started: bool  # an approved return up to this month says it has started
    previous_colour: str | None  # its card at the previous month's close, when that month is closed


@dataclass(frozen=True)
class Verdict:
    """A project's card at a close (colour None: no card), with the rules that held and why."""

    colour: str | None
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    schedule_rate: Decimal | None  # exact, unrounded
    path_to_green: Decimal
    deadline_period: Period


def schedule_rate(actual: Decimal, plan: Decimal) -> Decimal | None:
    """完成序时进度计划 % unrounded (None without a plan to date)."""
    return None if not plan else actual * HUNDRED / plan


def path_to_green(inputs: CardInputs, rule: CardRuleLike) -> Decimal:
    """The investment needed next month to stand at the yellow threshold of the plan to date then.

    Rounded up to the cent, so that doing exactly this much is enough.
    """
    needed = Decimal(rule.yellow_below) * inputs.next_plan_to_date / HUNDRED - inputs.actual_to_date
    return max(ZERO, needed.quantize(CENT, rounding=ROUND_UP))


def months_late(period: Period, start_month: int | None, started: bool) -> int:
    """How many months after its planned start month a project has still not started (0 if not late)."""
    if start_month is None or started:
        return 0
    return max(0, period.month - start_month)


def judge(inputs: CardInputs, period: Period, rule: CardRuleLike) -> Verdict:
    """The card of one project with a plan to date, by the rules `rate`, `start` and `repeat`."""
    rules: list[str] = []
    reasons: list[str] = []
    colours: list[str] = []
    rate = schedule_rate(inputs.actual_to_date, inputs.plan_to_date)
    if rate is not None and rate < rule.yellow_below:
        colour = RED if rate < rule.red_below else YELLOW
        limit = rule.red_below if colour == RED else rule.yellow_below
        colours.append(colour)
        rules.append(RATE)
        reasons.append(f"完成序时进度计划{round2(rate)}%，低于{_pct(limit)}%")
    late = months_late(period, inputs.start_month, inputs.started)
    if late and late >= rule.start_yellow_months:
        colour = RED if late >= rule.start_red_months else YELLOW
        colours.append(colour)
        rules.append(START)
        reasons.append(f"计划{inputs.start_month}月开工，逾期{late}个月仍未开工")
    final: str | None = RED if RED in colours else (YELLOW if colours else None)
    if final == YELLOW and inputs.previous_colour == YELLOW and rule.repeat_to_red:
        final = RED
        rules.append(REPEAT)
        reasons.append("上月已被亮黄牌，本月仍未达标")
    deadline = period
    for _ in range(rule.rectify_months):
        deadline = deadline.next()
    return Verdict(
        colour=final,
        rules=tuple(rules),
        reasons=tuple(reasons),
        schedule_rate=rate,
        path_to_green=path_to_green(inputs, rule) if final else ZERO,
        deadline_period=deadline,
    )


def _pct(value: Decimal) -> str:
    """A threshold as written in a reason: 80, or 72.5."""
    text = f"{Decimal(value).normalize():f}"
    return text


def percent_text(value: Decimal) -> str:
    """A rule's percentage as people write it: 95, or 92.5."""
    return _pct(value)


def complete_enough(approved: int, due: int, required: Decimal) -> bool:
    """Whether `approved` of `due` returns meet a completeness rule of `required` %.

    Compared exactly (approved × 100 ≥ required × due), so that 95 % is met by exactly 95 %
    and not by 94.996 % rounded up; a month with nothing due is complete.
    """
    if due <= 0:
        return True
    return Decimal(approved) * HUNDRED >= Decimal(required) * Decimal(due)


def check_completeness_rule(values: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes a completeness rule nonsense: a share outside 0–100."""
    share = values.get("min_approved_share")
    if share is None or not (0 <= share <= 100):
        return [("min_approved_share", "应在0到100之间")]
    return []


@dataclass(frozen=True)
class RankInputs:
    """What the ranking rule looks at for one organisation's projects (money in 万元)."""

    plan_to_date: Decimal
    actual_to_date: Decimal
    starts_due: int
    starts_done: int
    completions_due: int
    completions_done: int
    returns_due: int
    returns_on_time: int


@dataclass(frozen=True)
class Indicators:
    """The four indicators as fractions (investment capped); None where nothing was due."""

    investment: Decimal | None
    start: Decimal | None
    completion: Decimal | None
    timeliness: Decimal | None


def _share(done: int, due: int) -> Decimal | None:
    return None if not due else Decimal(done) / Decimal(due)


def indicators(inputs: RankInputs, rule: RankingRuleLike) -> Indicators:
    """Investment rate (actual ÷ plan to date, capped), start rate, completion rate, on-time share."""
    investment = None
    if inputs.plan_to_date:
        investment = min(Decimal(inputs.actual_to_date) / Decimal(inputs.plan_to_date), Decimal(rule.investment_cap))
    return Indicators(
        investment=investment,
        start=_share(inputs.starts_done, inputs.starts_due),
        completion=_share(inputs.completions_done, inputs.completions_due),
        timeliness=_share(inputs.returns_on_time, inputs.returns_due),
    )


def score(inputs: RankInputs, rule: RankingRuleLike) -> Decimal:
    """weights × indicators, rounded half-up to two places.

    An indicator with nothing due (no start planned yet, no return due) counts as fully met:
    an organisation is not marked down for milestones it was never set.
    """
    ind = indicators(inputs, rule)
    one = Decimal(1)
    total = (
        Decimal(rule.weight_investment) * (one if ind.investment is None else ind.investment)
        + Decimal(rule.weight_start) * (one if ind.start is None else ind.start)
        + Decimal(rule.weight_completion) * (one if ind.completion is None else ind.completion)
        + Decimal(rule.weight_timeliness) * (one if ind.timeliness is None else ind.timeliness)
    )
    return round2(total)


def met_plan(inputs: RankInputs) -> bool:
    """Whether the organisation's projects together did at least their plan to date."""
    return inputs.actual_to_date >= inputs.plan_to_date


def competition_ranks(scores: Sequence[Decimal], *, descending: bool = True) -> list[int]:
    """Ranks in the given order, ties sharing a rank and the next rank skipping (1, 1, 3)."""
    ordered = sorted(scores, reverse=descending)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[value] for value in scores]


def boards(rows: Sequence[tuple[Any, Decimal, bool]], size: int) -> dict[Any, str]:
    """The red list (top `size` of those that met plan) and black list (bottom `size` of those that did not).

    rows: (key, score, met_plan). Ties at the edge are all listed, as they share the rank.
    """
    result: dict[Any, str] = {}
    met = [(key, value) for key, value, ok in rows if ok]
    missed = [(key, value) for key, value, ok in rows if not ok]
    for (key, _), rank in zip(met, competition_ranks([v for _, v in met]), strict=True):
        if rank <= size:
            result[key] = "red"
    for (key, _), rank in zip(missed, competition_ranks([v for _, v in missed], descending=False), strict=True):
        if rank <= size:
            result[key] = "black"
    return result


def check_card_rule(values: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes a card rule nonsense: (field name, message) pairs, empty when it is sound."""
    problems: list[tuple[str, str]] = []
    yellow, red = values["yellow_below"], values["red_below"]
    for name, value in (("yellow_below", yellow), ("red_below", red)):
        if value is None or not (0 <= value <= 100):
            problems.append((name, "应在0到100之间"))
    if yellow is not None and red is not None and yellow < red:
        problems.append(("yellow_below", f"黄牌阈值（{_pct(yellow)}%）不能低于红牌阈值（{_pct(red)}%）"))
    start_yellow, start_red = values["start_yellow_months"], values["start_red_months"]
    if start_yellow is None or start_yellow < 1:
        problems.append(("start_yellow_months", "至少为1个月"))
    if start_yellow is not None and start_red is not None and start_red < start_yellow:
        problems.append(("start_red_months", "红牌月数不能少于黄牌月数"))
    if values["rectify_months"] is None or not (1 <= values["rectify_months"] <= 12):
        problems.append(("rectify_months", "应为1到12个月"))
    return problems


def check_ranking_rule(values: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes a ranking rule nonsense: weights not adding to 100, a negative weight, a bad cap."""
    problems: list[tuple[str, str]] = []
    weights = []
    for key in ("weight_investment", "weight_start", "weight_completion", "weight_timeliness"):
        value = values[key]
        if value is None or value < 0:
            problems.append((key, "不能为负数"))
        weights.append(Decimal(value or 0))
    total = sum(weights, Decimal(0))
    if total != HUNDRED:
        problems.append(("权重", f"四项权重之和应为100，现为{_pct(total)}"))
    cap = values["investment_cap"]
    if cap is None or cap < 1:
        problems.append(("investment_cap", "不能低于1（即100%）"))
    if values["list_size"] is None or values["list_size"] < 1:
        problems.append(("list_size", "至少为1"))
    return problems

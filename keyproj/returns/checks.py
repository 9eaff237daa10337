"""Checks that flag a return for its reviewer without refusing it.

A flag is a reason to look twice, not a rule broken: the figure may well be right (a big
payment does land in one month), so the return is saved and submitted as usual and the
reviewer sees each flag with the figures behind it.

The thresholds are a versioned rule (DataQualityRule): the version in force on the day the
checks run, so a threshold the office publishes applies to every review from its day on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Literal

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from keyproj.core import clock, earned
from keyproj.core.money import ZERO, wan
from keyproj.core.period import Period
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.returns.models import DataQualityRule, ProgressReturn, ReturnStatus

FlagCode = Literal["spike", "over_total", "stale_progress", "not_started", "completed_before_start", "cpi_low"]

# Earlier returns a flag may rely on: what was handed in, not another month's unfinished draft.
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)


@dataclass(frozen=True)
class Flag:
    """One reason for a reviewer to look twice at a return, with the figures in the message."""

    code: FlagCode
    message: str


@dataclass(frozen=True)
class _Earlier:
    """An earlier return of the same project, as much of it as the checks read."""

    investment: Decimal
    physical_progress: str
    started: bool


def flags(ret: ProgressReturn) -> list[Flag]:
    """The flags on one saved return (empty when nothing looks odd)."""
    return flags_for([ret]).get(ret.pk, [])


def flags_for(returns: Iterable[ProgressReturn]) -> dict[int, list[Flag]]:
    """The flags on each of a batch of saved returns, keyed by return id (an empty list when none).

    Three queries whatever the batch's size: one reads the thresholds in force; one gives each
    return the facts the database sums up (cumulative approved investment before it, whether
    any earlier return said started, the project's total investment); one fetches the few earlier returns of the
    same projects that the month-by-month checks compare against.
    """
    batch = [r for r in returns if r.pk is not None]
    if not batch:
        return {}
    rule = DataQualityRule.in_force(clock.today())
    facts = _facts(batch)
    earlier = _earlier(batch, rule)
    result: dict[int, list[Flag]] = {}
    for ret in batch:
        if ret.pk not in facts:  # deleted since it was read: nothing left to flag
            continue
        total, approved_before, started_before, year_before, invested_before = facts[ret.pk]
        year = earlier.get((ret.project_id, ret.year), {})
        before = [e for m, e in year.items() if m < ret.month]
        previous = _previous_months(ret, earlier, rule)
        found = [
            _spike(ret, before, rule),
            _over_total(ret, approved_before, total),
            _stale(ret, previous, rule),
            _not_started(ret, started_before),
            _completed_before_start(ret, started_before),
            _cpi_low(ret, total, invested_before, year_before, rule),
        ]
        result[ret.pk] = [f for f in found if f is not None]
    _add_registered(batch, result)
    return result


def _facts(
    batch: list[ProgressReturn],
) -> dict[int, tuple[Decimal | None, Decimal, bool, Decimal, Decimal | None]]:
    """Per return id: the project's total investment, approved investment before it, started before it,
    approved investment of its year before its month, and the year's plan's investment before the year."""
    before = Q(year__lt=OuterRef("year")) | Q(year=OuterRef("year"), month__lt=OuterRef("month"))
    same_project_before = ProgressReturn.objects.filter(before, project=OuterRef("project")).order_by()
    approved_sum = (
        same_project_before.filter(status=ReturnStatus.APPROVED)
        .values("project")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    year_sum = (
        ProgressReturn.objects.filter(
            project=OuterRef("project"),
            year=OuterRef("year"),
            month__lt=OuterRef("month"),
            status=ReturnStatus.APPROVED,
        )
        .order_by()
        .values("project")
        .annotate(total=Sum("investment"))
        .values("total")
    )
    # The opening balance of earned value's actual cost: on the year's approved plan, as in the figures.
    opening = AnnualPlan.objects.filter(
        project=OuterRef("project"), year=OuterRef("year"), status=PlanStatus.APPROVED
    ).values("invested_before")[:1]
    money = DecimalField(max_digits=16, decimal_places=2)
    rows = (
        ProgressReturn.objects.filter(pk__in=[r.pk for r in batch])
        .order_by()
        .annotate(
            approved_before=Coalesce(Subquery(approved_sum, output_field=money), Value(ZERO), output_field=money),
            started_before=Exists(same_project_before.filter(status__in=REPORTED, started=True)),
            year_before=Coalesce(Subquery(year_sum, output_field=money), Value(ZERO), output_field=money),
            invested_before=Subquery(opening, output_field=money),
        )
        .values_list(
            "pk", "project__total_investment", "approved_before", "started_before", "year_before", "invested_before"
        )
    )
    return {
        pk: (total, Decimal(approved), bool(started), Decimal(year), None if opening is None else Decimal(opening))
        for pk, total, approved, started, year, opening in rows
    }


def _earlier(batch: list[ProgressReturn], rule: DataQualityRule) -> dict[tuple[int, int], dict[int, _Earlier]]:
    """The handed-in returns of the batch's projects in the years its checks look at, by (project, year) and month.

    That is each return's own year (for the year's average) and, for January and February, the
    year before (progress compared with the two months before): at most two years per project.
    """
    years = {r.year for r in batch} | {r.year - 1 for r in batch if r.month < rule.stale_months}
    # The batch's own returns come back too (as stored): each is an earlier month of later ones.
    rows = (
        ProgressReturn.objects.filter(project_id__in={r.project_id for r in batch}, year__in=years, status__in=REPORTED)
        .order_by()
        .values_list("project_id", "year", "month", "investment", "physical_progress", "started")
    )
    found: dict[tuple[int, int], dict[int, _Earlier]] = defaultdict(dict)
    for project, year, month, investment, progress, started in rows:
        found[project, year][month] = _Earlier(investment, progress, started)
    return found


def _previous_months(
    ret: ProgressReturn, earlier: dict[tuple[int, int], dict[int, _Earlier]], rule: DataQualityRule
) -> list[_Earlier]:
    """The returns of the months just before this one, nearest first, stopping at the first month missing."""
    found: list[_Earlier] = []
    period = Period(ret.year, ret.month)
    for _ in range(rule.stale_months - 1):
        period = period.previous()
        e = earlier.get((ret.project_id, period.year), {}).get(period.month)
        if e is None:
            break
        found.append(e)
    return found


def _spike(ret: ProgressReturn, before: list[_Earlier], rule: DataQualityRule) -> Flag | None:
    # The average is over every earlier month reported that year, zero months included: they are
    # part of what the project usually does. It needs enough months with money to mean anything.
    if ret.investment <= rule.spike_floor or sum(1 for e in before if e.investment > 0) < rule.spike_min_months:
        return None
    average = sum((e.investment for e in before), ZERO) / len(before)
    if ret.investment <= rule.spike_factor * average:
        return None
    ratio = _times(ret.investment / average, rule.spike_factor)
    message = gettext("本月完成投资%(amount)s万元，是该项目此前月均（%(average)s万元）的%(ratio)s倍") % {
        "amount": wan(ret.investment),
        "average": wan(average),
        "ratio": ratio,
    }
    return Flag("spike", message)


def _times(ratio: Decimal, factor: Decimal) -> Decimal:
    """A multiple for the message: one decimal (6.5倍), two just above the factor, so that it never reads 3.0倍."""
    short = ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return short if short > factor else ratio.quantize(Decimal("0.01"), rounding=ROUND_UP)


def _over_total(ret: ProgressReturn, approved_before: Decimal, total: Decimal | None) -> Flag | None:
    cumulative = approved_before + ret.investment
    # A total of zero is one not yet estimated (a project still being planned): nothing to exceed.
    if not total or cumulative <= total:
        return None
    message = gettext("截至本月累计完成投资%(cumulative)s万元，超过项目总投资%(total)s万元（超出%(excess)s万元）") % {
        "cumulative": wan(cumulative),
        "total": wan(total),
        "excess": wan(cumulative - total),
    }
    return Flag("over_total", message)


def _stale(ret: ProgressReturn, previous: list[_Earlier], rule: DataQualityRule) -> Flag | None:
    text = ret.physical_progress.strip()
    # Blank progress is a missing answer, not a repeated one; the review sees it blank anyway.
    # A finished project has nothing new to show: its repeated text is no warning sign.
    if not text or ret.completed or len(previous) < rule.stale_months - 1:
        return None
    if any(e.physical_progress.strip() != text for e in previous):
        return None
    first = Period(ret.year, ret.month)
    for _ in previous:
        first = first.previous()
    message = gettext("形象进度自%(since)s起连续%(months)s个月未变化：“%(text)s”") % {
        "since": first.label,
        "months": len(previous) + 1,
        "text": _excerpt(text),
    }
    return Flag("stale_progress", message)


def _not_started(ret: ProgressReturn, started_before: bool) -> Flag | None:
    if ret.investment <= 0 or ret.started or started_before:
        return None
    message = gettext("项目尚未填报开工，却填报本月完成投资%(amount)s万元") % {"amount": wan(ret.investment)}
    return Flag("not_started", message)


def _completed_before_start(ret: ProgressReturn, started_before: bool) -> Flag | None:
    if not ret.completed or ret.started or started_before:
        return None
    message = gettext("%(month)s填报已竣工，但此前及本月均未填报开工") % {"month": Period(ret.year, ret.month).label}
    return Flag("completed_before_start", message)


def _cpi_low(
    ret: ProgressReturn,
    total: Decimal | None,
    invested_before: Decimal | None,
    year_before: Decimal,
    rule: DataQualityRule,
) -> Flag | None:
    """Investment running ahead of the work: CPI with this return's own figures below the rule's minimum.

    EV is this return's completion × the total investment; AC the plan's opening balance plus the
    year's approved investment before this month plus this month's. Without a completion, a total
    or an opening balance there is no CPI (docs/earned-value.md), and so no flag.
    """
    ev = earned.earned(ret.completion, total or None)
    ac = earned.cumulative(invested_before, year_before + ret.investment)
    cpi = earned.index(ev, ac)
    if cpi is None or cpi >= rule.min_cpi:
        return None
    assert ev is not None and ac is not None and ret.completion is not None
    message = gettext(
        "投资进度快于形象进度：按形象进度%(completion)s%%折算已完成投资%(ev)s万元，"
        "实际累计完成%(ac)s万元（CPI %(cpi)s，低于%(min)s）"
    ) % {
        "completion": _pct(ret.completion),
        "ev": wan(ev),
        "ac": wan(ac),
        # Down, never up: a CPI just under the minimum must not read as the minimum itself.
        "cpi": cpi.quantize(Decimal("0.01"), rounding=ROUND_DOWN),
        "min": rule.min_cpi,
    }
    return Flag("cpi_low", message)


def _pct(value: Decimal) -> str:
    """68.00 as 68, 68.50 as 68.5."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _excerpt(text: str, limit: int = 40) -> str:
    """Enough of a progress text to recognise it in a flag."""
    return text if len(text) <= limit else text[:limit] + "…"


def codes(found: Iterable[Flag]) -> list[FlagCode]:
    """The codes of some flags, in order (for tests and compact displays)."""
    return [f.code for f in found]


# ---------------------------------------------------------------- flags from the apps above

# A source takes a batch of saved returns and gives more flags by return id (the photos app: a
# photo taken in another month or far from the site). Registered in the app's ready(): returns
# imports none of the apps above it.
FlagSource = Callable[[list[ProgressReturn]], dict[int, list[Flag]]]
_SOURCES: list[FlagSource] = []


def register_flag_source(source: FlagSource) -> None:
    """Add flags of another app's to every return's (once per source, however often ready() runs)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def _add_registered(batch: list[ProgressReturn], result: dict[int, list[Flag]]) -> None:
    for source in _SOURCES:
        for pk, more in source(batch).items():
            if pk in result:
                result[pk].extend(more)

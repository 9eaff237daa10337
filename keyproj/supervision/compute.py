"""What a month close sees and concludes, computed from the database without writing anything.

`compute(period)` returns the snapshot a close stores: the rule versions, every project's
figures the cards were judged on, the cards, the four ranking lists, the listings, the
city and category figures and the returns' timeliness. The preview page shows it before
the office publishes; `services.close_month` writes it. Sums and counts are SQL
aggregates (one grouped query per ranking list and input); Python applies the pure rules
of `keyproj.supervision.rules` to the rows the database returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from keyproj.core.display import chinese_day
from keyproj.core.money import ZERO, fmt2, round2, yi
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.metrics.figures import breakdown, summary
from keyproj.metrics.models import ProjectMonth
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.plans.models import AnnualPlan, PlanStatus
from keyproj.problems.models import Problem
from keyproj.problems.querysets import long_unresolved_counts
from keyproj.projects.models import Category, Project
from keyproj.returns import timeliness
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.supervision import rules
from keyproj.supervision.models import (
    Card,
    CardRule,
    CloseStatus,
    CompletenessRule,
    Listing,
    ListingStatus,
    RankingEntry,
    RankingList,
    RankingRule,
    Referral,
)

SNAPSHOT_FORMAT = 1
# How each ranking list groups projects: the project column, and which organisations it takes.
LIST_COLUMNS: dict[str, tuple[str, Q]] = {
    RankingList.DISTRICTS: ("district", Q()),
    RankingList.UNITS: ("responsible_unit", Q()),
    RankingList.AREAS: ("area_command", Q(project__area_command__isnull=False)),
    RankingList.SOES: ("owner", Q(project__owner__kind=OrgKind.SOE)),
}
# How many projects a category's paragraph names for each kind of news.
NOTABLE = 3
# Red in this many closes in a row: proposed for 挂牌督办.
RED_IN_A_ROW = 3


def card_rule_json(rule: CardRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "version": rule.version,
        "yellow_below": fmt2(rule.yellow_below),
        "red_below": fmt2(rule.red_below),
        "start_yellow_months": rule.start_yellow_months,
        "start_red_months": rule.start_red_months,
        "repeat_to_red": rule.repeat_to_red,
        "rectify_months": rule.rectify_months,
    }


def ranking_rule_json(rule: RankingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "version": rule.version,
        "weight_investment": fmt2(rule.weight_investment),
        "weight_start": fmt2(rule.weight_start),
        "weight_completion": fmt2(rule.weight_completion),
        "weight_timeliness": fmt2(rule.weight_timeliness),
        "investment_cap": fmt2(rule.investment_cap),
        "list_size": rule.list_size,
    }


def completeness_rule_json(rule: CompletenessRule) -> dict[str, Any]:
    return {"id": rule.pk, "version": rule.version, "min_approved_share": fmt2(rule.min_approved_share)}


def completeness(period: Period, rule: CompletenessRule) -> dict[str, Any]:
    """How complete the month's returns are, judged by the rule: approved returns of the projects
    with an approved plan for the year, and every such project still without one (with why).

    The list is what the office must see before publishing: who has not reported (未报), whose
    return waits for review (待审核) or was sent back (已退回).
    """
    planned = AnnualPlan.objects.filter(year=period.year, status=PlanStatus.APPROVED).values("project_id")
    returns = dict(
        ProgressReturn.objects.filter(year=period.year, month=period.month, project_id__in=planned)
        .values_list("project_id", "status")
        .order_by()
    )
    projects = (
        Project.objects.filter(pk__in=planned)
        .values("pk", "code", "name", "district__name", "owner__name")
        .order_by("owner__name", "code")
    )
    due = 0
    unapproved = []
    for row in projects:
        due += 1
        status = returns.get(row["pk"])
        if status == ReturnStatus.APPROVED:
            continue
        unapproved.append(
            {
                "project_id": row["pk"],
                "code": row["code"],
                "name": row["name"],
                "district": row["district__name"] or "",
                "owner": row["owner__name"] or "",
                "status": status or "missing",
            }
        )
    approved = due - len(unapproved)
    required = rule.min_approved_share
    return {
        "due": due,
        "approved": approved,
        "share": fmt2(Decimal(approved) * 100 / due) if due else None,
        "required": rules.percent_text(required),
        "met": rules.complete_enough(approved, due, required),
        "override_reason": "",
        "unapproved": unapproved,
    }


def _up_to(period: Period) -> Q:
    return Q(year__lt=period.year) | Q(year=period.year, month__lte=period.month)


def _reporting(period: Period, flag: str) -> Any:
    """The ids of the projects an approved return up to `period` says have started (or completed)."""
    return ProgressReturn.objects.filter(_up_to(period), status=ReturnStatus.APPROVED, **{flag: True}).values(
        "project_id"
    )


def project_rows(period: Period) -> list[dict[str, Any]]:
    """Every project with figures for the month: the rollup row, next month's plan, milestones.

    Four plain queries joined here by project id, rather than correlated subqueries per row:
    at 10,000 projects the subqueries took seconds, these take a fraction of one (bench/).
    """
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in ProjectMonth.objects.filter(year=period.year, month=period.month)
        .values(
            "project_id",
            "project__code",
            "project__name",
            "project__category_id",
            "project__district__name",
            "annual_plan",
            "plan_to_date",
            "actual_to_date",
        )
        .order_by("project__code")
    ]
    next_plan: dict[Any, Any]
    if period.month < 12:
        next_plan = dict(
            ProjectMonth.objects.filter(year=period.year, month=period.month + 1).values_list(
                "project_id", "plan_to_date"
            )
        )
    else:
        next_plan = {row["project_id"]: row["annual_plan"] for row in rows}
    plans: dict[Any, Any] = {
        pid: (start, completion)
        for pid, start, completion in AnnualPlan.objects.filter(
            year=period.year, status=PlanStatus.APPROVED
        ).values_list("project_id", "start_month", "completion_month")
    }
    milestones = {row["project_id"]: row for row in _milestones(period)}
    none: dict[str, int] = {}
    for row in rows:
        pid = row["project_id"]
        row["next_plan"] = next_plan.get(pid, row["plan_to_date"])
        row["start_month"], row["completion_month"] = plans.get(pid, (None, None))
        flags = milestones.get(pid, none)
        for name in ("started", "completed", "started_before", "completed_before"):
            row[name] = bool(flags.get(f"n_{name}"))
    return rows


def _milestones(period: Period) -> Any:
    """Per project, whether an approved return up to this month (and up to the month before) says started/completed.

    One grouped query over the approved returns that report either milestone.
    """
    before = period.previous()
    now_q, before_q = _up_to(period), _up_to(before)
    return (
        ProgressReturn.objects.filter(now_q, Q(started=True) | Q(completed=True), status=ReturnStatus.APPROVED)
        .values("project_id")
        .annotate(
            # Named apart from the columns: an annotation called `started` would shadow the field.
            n_started=Count("pk", filter=Q(started=True)),
            n_completed=Count("pk", filter=Q(completed=True)),
            n_started_before=Count("pk", filter=before_q & Q(started=True)),
            n_completed_before=Count("pk", filter=before_q & Q(completed=True)),
        )
        .order_by()
    )


def _money(value: Any) -> Decimal:
    # SQLite hands sums and subquery values back as floats or ints; the columns hold whole cents.
    return round2(Decimal(str(value if value is not None else 0)))


def previous_colours(period: Period) -> dict[int, str]:
    """{project id: card colour} at the previous month's close, if that month is closed."""
    before = period.previous()
    return dict(
        Card.objects.filter(close__year=before.year, close__month=before.month, close__status=CloseStatus.CLOSED)
        .values_list("project_id", "colour")
        .order_by()
    )


def _red_streak(period: Period, project_ids: set[int]) -> set[int]:
    """Of these projects (red now), those also red at each of the previous closes in a row."""
    streak = set(project_ids)
    month = period
    for _ in range(RED_IN_A_ROW - 1):
        month = month.previous()
        red = Card.objects.filter(
            close__year=month.year, close__month=month.month, close__status=CloseStatus.CLOSED, colour=rules.RED
        ).values_list("project_id", flat=True)
        streak &= set(red)
        if not streak:
            break
    return streak


def cards(period: Period, rule: CardRule, rows: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """The cards of the close, and the projects whose card of last month is lifted."""
    previous = previous_colours(period)
    issued: list[dict[str, Any]] = []
    judged: set[int] = set()
    for row in rows:
        plan = _money(row["plan_to_date"])
        if plan <= 0:
            continue  # only projects with a plan to date are judged
        judged.add(row["project_id"])
        actual = _money(row["actual_to_date"])
        verdict = rules.judge(
            rules.CardInputs(
                plan_to_date=plan,
                actual_to_date=actual,
                next_plan_to_date=_money(row["next_plan"]),
                start_month=row["start_month"],
                started=bool(row["started"]),
                previous_colour=previous.get(row["project_id"]),
            ),
            period,
            rule,
        )
        if verdict.colour is None:
            continue
        issued.append(
            {
                "project_id": row["project_id"],
                "project": row["project__code"],
                "name": row["project__name"],
                "district": row["project__district__name"],
                "colour": verdict.colour,
                "rules": list(verdict.rules),
                "reasons": list(verdict.reasons),
                "plan_to_date": fmt2(plan),
                "actual_to_date": fmt2(actual),
                "schedule_rate": fmt2(verdict.schedule_rate),
                "path_to_green": fmt2(verdict.path_to_green),
                "deadline": verdict.deadline_period.last_day.isoformat(),
            }
        )
    names = {row["project_id"]: row for row in rows}
    carded = {card["project_id"] for card in issued}
    lifted = [
        {
            "project_id": pid,
            "project": names[pid]["project__code"] if pid in names else "",
            "name": names[pid]["project__name"] if pid in names else "",
            "previous": colour,
        }
        for pid, colour in sorted(previous.items())
        if pid not in carded and pid in names
    ]
    issued.sort(key=lambda c: (c["colour"] != rules.RED, c["project"]))
    return issued, lifted


def _grouped(queryset: Any, column: str, **sums: Any) -> dict[int, dict[str, Any]]:
    return {row[column]: row for row in queryset.values(column).annotate(**sums).order_by()}


def ranking_inputs(period: Period, list_key: str) -> dict[int, rules.RankInputs]:
    """Per organisation of one list, the ranking inputs: three grouped queries (money, milestones, returns)."""
    field, only = LIST_COLUMNS[list_key]
    column = f"project__{field}_id"
    money = _grouped(
        ProjectMonth.objects.filter(only, year=period.year, month=period.month),
        column,
        plan=Coalesce(Sum("plan_to_date"), Value(ZERO)),
        actual=Coalesce(Sum("actual_to_date"), Value(ZERO)),
    )
    plans = AnnualPlan.objects.filter(only, year=period.year, status=PlanStatus.APPROVED)
    # Uncorrelated: the database builds each set of project ids once, not once per plan.
    started = Q(project_id__in=_reporting(period, "started"))
    completed = Q(project_id__in=_reporting(period, "completed"))
    due_start = Q(start_month__isnull=False, start_month__lte=period.month)
    due_completion = Q(completion_month__isnull=False, completion_month__lte=period.month)
    milestones = _grouped(
        plans,
        column,
        starts_due=Count("pk", filter=due_start),
        starts_done=Count("pk", filter=due_start & started),
        completions_due=Count("pk", filter=due_completion),
        completions_done=Count("pk", filter=due_completion & completed),
    )
    # As keyproj.returns.timeliness counts them: due for every project with an approved plan,
    # on time when submitted by the end of the deadline day.
    end = timezone.make_aware(dt.datetime.combine(timeliness.deadline(period) + dt.timedelta(days=1), dt.time.min))
    sent = Q(
        returns__year=period.year,
        returns__month=period.month,
        returns__status__in=(ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
        returns__submitted_at__lt=end,
    )
    project_only = Q(area_command__isnull=False) if list_key == RankingList.AREAS else Q()
    if list_key == RankingList.SOES:
        project_only = Q(owner__kind=OrgKind.SOE)
    planned = AnnualPlan.objects.filter(project=OuterRef("pk"), year=period.year, status=PlanStatus.APPROVED)
    returns = _grouped(
        Project.objects.filter(project_only).filter(Exists(planned)),
        f"{field}_id",
        due=Count("pk", distinct=True),
        on_time=Count("returns", filter=sent),
    )
    result = {}
    for org_id, row in money.items():
        m = milestones.get(org_id, {})
        r = returns.get(org_id, {})
        result[org_id] = rules.RankInputs(
            plan_to_date=_money(row["plan"]),
            actual_to_date=_money(row["actual"]),
            starts_due=m.get("starts_due", 0),
            starts_done=m.get("starts_done", 0),
            completions_due=m.get("completions_due", 0),
            completions_done=m.get("completions_done", 0),
            returns_due=r.get("due", 0),
            returns_on_time=r.get("on_time", 0),
        )
    return result


def project_counts(period: Period, list_key: str) -> dict[int, int]:
    field, only = LIST_COLUMNS[list_key]
    column = f"project__{field}_id"
    rows = ProjectMonth.objects.filter(only, year=period.year, month=period.month)
    return {row[column]: row["n"] for row in rows.values(column).annotate(n=Count("pk")).order_by()}


def long_unresolved(period: Period, field: str) -> dict[int, int]:
    """{organisation id: long-unresolved problems on its projects} at the month's end (problems app)."""
    return long_unresolved_counts(period.last_day, field)


def _pct_text(value: Decimal | None) -> str | None:
    return None if value is None else fmt2(value * 100)


def ranking(period: Period, list_key: str, rule: RankingRule) -> list[dict[str, Any]]:
    """One ranking list: every organisation with a plan to date, scored, ranked (ties share), boarded."""
    inputs = {org: data for org, data in ranking_inputs(period, list_key).items() if data.plan_to_date > 0}
    if not inputs:
        return []
    counts = project_counts(period, list_key)
    orgs = Organisation.objects.in_bulk(list(inputs))
    field = LIST_COLUMNS[list_key][0]
    problems = long_unresolved(period, field)
    before = period.previous()
    previous_ranks = dict(
        RankingEntry.objects.filter(
            close__year=before.year, close__month=before.month, close__status=CloseStatus.CLOSED, list=list_key
        )
        .values_list("organisation_id", "rank")
        .order_by()
    )
    ids = sorted(inputs, key=lambda org: (orgs[org].order, orgs[org].name))
    scores = [rules.score(inputs[org], rule) for org in ids]
    ranks = rules.competition_ranks(scores)
    board = rules.boards(
        [(org, s, rules.met_plan(inputs[org])) for org, s in zip(ids, scores, strict=True)], rule.list_size
    )
    rows = []
    for org, value, rank in zip(ids, scores, ranks, strict=True):
        data = inputs[org]
        ind = rules.indicators(data, rule)
        previous = previous_ranks.get(org)
        rows.append(
            {
                "organisation_id": org,
                "name": orgs[org].name,
                "project_count": counts.get(org, 0),
                "plan_to_date": fmt2(data.plan_to_date),
                "actual_to_date": fmt2(data.actual_to_date),
                "schedule_rate": fmt2(rules.schedule_rate(data.actual_to_date, data.plan_to_date)),
                "investment_rate": _pct_text(ind.investment),
                "start_rate": _pct_text(ind.start),
                "completion_rate": _pct_text(ind.completion),
                "timeliness": _pct_text(ind.timeliness),
                "inputs": {
                    "starts_due": data.starts_due,
                    "starts_done": data.starts_done,
                    "completions_due": data.completions_due,
                    "completions_done": data.completions_done,
                    "returns_due": data.returns_due,
                    "returns_on_time": data.returns_on_time,
                },
                "score": fmt2(value),
                "rank": rank,
                "board": board.get(org, ""),
                "met_plan": rules.met_plan(data),
                "move": None if previous is None else previous - rank,
                "long_unresolved": problems.get(org, 0),
            }
        )
    rows.sort(key=lambda r: (r["rank"], r["name"]))
    return rows


def categories(period: Period, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per category: its figures, and the projects worth naming (started, completed, furthest ahead)."""
    by_category: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_category.setdefault(row["project__category_id"], []).append(row)
    ids = {c.code: c.pk for c in Category.objects.all()}
    result = []
    for item in breakdown(CONSOLE, period, "category"):
        members = by_category.get(ids.get(item.key, -1), [])
        started = [r["project__name"] for r in members if r["started"] and not r["started_before"]]
        completed = [r["project__name"] for r in members if r["completed"] and not r["completed_before"]]
        ahead = sorted(
            (
                r
                for r in members
                if _money(r["plan_to_date"]) > 0 and _money(r["actual_to_date"]) > _money(r["plan_to_date"])
            ),
            key=lambda r: (-(_money(r["actual_to_date"]) - _money(r["plan_to_date"])), r["project__code"]),
        )
        figures = item.figures
        result.append(
            {
                "code": item.key,
                "name": item.name,
                "figures": figures.as_json(),
                "sentence": (
                    f"{period.to_date_label}，{item.name}{figures.project_count}个，计划投资{yi(figures.plan_to_date)}亿元，"
                    f"实际完成投资{yi(figures.actual_to_date)}亿元"
                    + (f"，完成序时进度计划{figures.schedule_rate}%" if figures.schedule_rate is not None else "")
                    + "。"
                ),
                "started": started[:NOTABLE],
                "started_count": len(started),
                "completed": completed[:NOTABLE],
                "completed_count": len(completed),
                "ahead": [r["project__name"] for r in ahead[:NOTABLE]],
            }
        )
    return result


def returns_timeliness(period: Period) -> dict[str, Any]:
    """The month's returns: due, on time, late, missing, and the owners that were late or missing."""
    owners = timeliness.by_owner(CONSOLE, period)
    missing = list(timeliness.missing(CONSOLE, period).values_list("code", flat=True))
    laggards = sorted((o for o in owners if o.late or o.missing), key=lambda o: (-(o.late + o.missing), o.owner))
    due = sum(o.due for o in owners)
    on_time = sum(o.on_time for o in owners)
    return {
        "deadline": timeliness.deadline(period).isoformat(),
        "due": due,
        "on_time": on_time,
        "late": sum(o.late for o in owners),
        "missing": sum(o.missing for o in owners),
        "on_time_rate": fmt2(Decimal(on_time) * 100 / due) if due else None,
        "missing_projects": missing,
        "laggards": [
            {"owner": o.owner, "due": o.due, "on_time": o.on_time, "late": o.late, "missing": o.missing}
            for o in laggards
        ],
    }


def _listing_json(listing: Listing, day: dt.date) -> dict[str, Any]:
    return {
        "id": listing.pk,
        "project": listing.project.code,
        "name": listing.project.name,
        "matter": listing.matter,
        "responsible": listing.responsible,
        "target": listing.target,
        "due": listing.due.isoformat() if listing.due else None,
        "status": listing.status,
        "overdue": listing.is_overdue(day),
        "referral": Referral.PENDING if listing.is_overdue(day) and not listing.referral else listing.referral,
    }


def listings(period: Period, red_ids: set[int], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The listings as they stand at the month's end, and what this close proposes to list."""
    day = period.last_day
    current = list(Listing.objects.filter(status=ListingStatus.LISTED).select_related("project").order_by("due", "pk"))
    open_projects = set(Listing.objects.open().filter(problem__isnull=True).values_list("project_id", flat=True))
    open_problems = set(Listing.objects.open().filter(problem__isnull=False).values_list("problem_id", flat=True))
    names = {row["project_id"]: row for row in rows}
    proposals = []
    for pid in sorted(_red_streak(period, red_ids) - open_projects):
        row = names[pid]
        proposals.append(
            {
                "project_id": pid,
                "project": row["project__code"],
                "name": row["project__name"],
                "problem_id": None,
                "matter": f"{row['project__name']}连续{RED_IN_A_ROW}个月被亮红牌",
                "reason": f"截至{period.year}年{period.month}月连续{RED_IN_A_ROW}次关账为红牌",
            }
        )
    for problem in _long_unresolved_problems(day):
        if problem.pk in open_problems:
            continue
        proposals.append(
            {
                "project_id": problem.project_id,
                "project": problem.project.code,
                "name": problem.project.name,
                "problem_id": problem.pk,
                "matter": problem.title,
                "reason": f"问题自{chinese_day(problem.raised_on)}提出，久拖未决",
            }
        )
    return {
        "listed": [_listing_json(item, day) for item in current],
        "proposals": proposals,
    }


def _long_unresolved_problems(day: dt.date) -> list[Any]:
    queryset: Callable[..., Any] | None = getattr(Problem.objects, "long_unresolved", None)
    if queryset is None:
        return []
    return list(queryset(day).select_related("project").order_by("raised_on", "pk"))


def compute(
    period: Period,
    card_rule: CardRule | None = None,
    ranking_rule: RankingRule | None = None,
    completeness_rule: CompletenessRule | None = None,
) -> dict[str, Any]:
    """The whole snapshot of a close of `period`, from the data as it stands now."""
    card_rule = card_rule or CardRule.current()
    ranking_rule = ranking_rule or RankingRule.current()
    completeness_rule = completeness_rule or CompletenessRule.current()
    rows = project_rows(period)
    issued, lifted = cards(period, card_rule, rows)
    city = summary(CONSOLE, period)
    red_ids = {c["project_id"] for c in issued if c["colour"] == rules.RED}
    office = Organisation.objects.filter(kind=OrgKind.KEY_OFFICE).order_by("pk").first()
    return {
        "format": SNAPSHOT_FORMAT,
        "period": str(period),
        "issuer": office.name if office else "",
        "issuer_short": office.label if office else "",
        "rules": {
            "card": card_rule_json(card_rule),
            "ranking": ranking_rule_json(ranking_rule),
            "completeness": completeness_rule_json(completeness_rule),
        },
        "completeness": completeness(period, completeness_rule),
        "city": {**city.as_json(), "sentence": city.sentence()},
        "categories": categories(period, rows),
        "projects": [
            {
                "id": row["project_id"],
                "code": row["project__code"],
                "annual_plan": fmt2(_money(row["annual_plan"])),
                "plan_to_date": fmt2(_money(row["plan_to_date"])),
                "actual_to_date": fmt2(_money(row["actual_to_date"])),
                "next_plan_to_date": fmt2(_money(row["next_plan"])),
                "start_month": row["start_month"],
                "started": bool(row["started"]),
            }
            for row in rows
        ],
        "cards": issued,
        "lifted": lifted,
        "rankings": {key.value: ranking(period, key.value, ranking_rule) for key in RankingList},
        "listings": listings(period, red_ids, rows),
        "timeliness": returns_timeliness(period),
    }

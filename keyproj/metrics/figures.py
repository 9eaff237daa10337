"""The figures the key office publishes, for any month and scope.

Every sum comes from the database; Python only divides two sums and rounds, half-up to two
places, for display. A scope that is the whole city or one organisation in one capacity
(keyproj.metrics.scopes.FAMILIES) reads its ScopeMonth rows: one row for the summary, one
per district, category or unit for a breakdown. Any other scope (an owner's or agent
builder's projects, an inspector's, several memberships) sums its projects' ProjectMonth rows.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.apps import apps
from django.core.management.base import CommandError
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from keyproj.core.commandline import acting_user
from keyproj.core.money import ZERO, fmt2, percent, round2, yi
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import Scope, is_console, linked_q, scope_for
from keyproj.metrics import scopes
from keyproj.metrics.models import ProjectMonth, ScopeMonth
from keyproj.metrics.scopes import FAMILIES
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Category, Project

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class ScopeError(ValueError):
    """A --scope / ?scope= value that names nothing the user may see."""


@dataclass(frozen=True)
class FigureScope:
    """Which projects a figure covers, beyond what the user may see anyway."""

    key: str  # "city", "district:350203", "org:12", "category:industry"
    label: str  # how the sentence names it: 全市, 思明区, 市交通局 …
    q: Q  # on ProjectMonth
    noun: str = "市重点项目"
    # (family, scope id) when the user's rows within `q` are exactly one ScopeMonth scope; None: sum the projects.
    aggregate: tuple[str, int] | None = None


def parse_scope(text: str | None, user: Any) -> FigureScope:
    """Read `district:CODE`, `org:ID` or `category:CODE` (None or "" is the user's whole scope)."""

    own = _own_scope(user)
    if not text or text in ("city", "visible"):
        return own
    kind, _, value = text.partition(":")
    orgs = Organisation.objects.visible_to(user)
    # Within the whole programme a district, a category or an organisation is one stored scope;
    # within less (an officer asking for another scope) the user's own rows must be summed.
    everything = scope_for(user).everything
    if kind == "district":
        org = orgs.filter(kind="district").filter(Q(code=value) | Q(name=value)).first()
        if org is None:
            raise ScopeError(f"没有代码或名称为“{value}”的区")
        return FigureScope(
            f"district:{org.code}",
            org.name,
            Q(project__district=org),
            aggregate=_stored("district", org.pk, everything),
        )
    if kind == "org":
        org = orgs.filter(pk=int(value)).first() if value.isascii() and value.isdigit() else None
        if org is None:
            raise ScopeError(f"没有编号为“{value}”的单位")
        # org:ID is every project naming the organisation in any capacity; the stored `linked` family
        # leaves out owners and agent builders, so it answers only for an organisation that is neither.
        linked = everything and not Project.objects.filter(Q(owner=org) | Q(agent_builder=org)).exists()
        return FigureScope(
            f"org:{org.pk}", org.name, linked_q(org.pk, "project__"), aggregate=_stored("linked", org.pk, linked)
        )
    if kind == "category":
        category = Category.objects.filter(Q(code=value) | Q(name=value)).first()
        if category is None:
            raise ScopeError(f"没有“{value}”这个项目类别")
        return FigureScope(
            f"category:{category.code}",
            own.label,
            Q(project__category=category),
            f"市重点项目（{category.name}）",
            aggregate=_stored("category", category.pk, everything),
        )
    raise ScopeError(f"范围“{text}”格式不对，应为 district:代码、org:编号 或 category:代码")


def command_scope(options: dict[str, Any]) -> tuple[Any, Period, FigureScope]:
    """The acting user, month and scope of a figures command (`keyproj summary`, `keyproj stats`).

    Reads the --user, --period and --scope options; a bad month or scope is a CommandError (exit 1).
    """
    user = acting_user(options["user"])
    try:
        period = Period.parse(options["period"])
        scope = parse_scope(options["scope"], user)
    except (PeriodError, ScopeError) as exc:
        raise CommandError(str(exc)) from None
    return user, period, scope


def _own_scope(user: Any) -> FigureScope:
    """Everything the user may see, named as the sentence names it.

    The whole programme is 全市 (key "city"); anything less is key "visible", named after
    the user's organisation (思明区, 市交通局 …), or 全市 … （代建） for an inspector.
    """
    cached = getattr(user, _OWN, None)
    if cached is not None:
        return cached
    own = _name_own_scope(user)
    # Once per user object, like scope_for's scope: a page asks for it with every figure.
    with suppress(AttributeError):
        setattr(user, _OWN, own)
    return own


_OWN = "_keyproj_own_figure_scope"


def _name_own_scope(user: Any) -> FigureScope:
    scope = scope_for(user)
    if scope.everything:
        return FigureScope("city", "全市", Q(), aggregate=("city", 0))
    if scope.is_empty:
        return FigureScope("visible", "全市", Q())
    if not scope.links:
        return FigureScope("visible", "全市", Q(), "市重点项目（代建）")
    names = sorted(Organisation.objects.filter(pk__in=scope.organisation_ids).values_list("name", flat=True))
    return FigureScope("visible", names[0] if len(names) == 1 else "本单位", Q(), aggregate=_own_family(scope))


def _stored(family: str, scope_id: int, applies: bool) -> tuple[str, int] | None:
    return (family, scope_id) if applies else None


def _own_family(scope: Scope) -> tuple[str, int] | None:
    """The stored scope that is exactly what this user sees: links to one organisation through
    exactly one family's columns (a district officer: office; a unit officer: unit)."""
    if scope.agent_built or len(scope.organisation_ids) != 1:
        return None
    fields = frozenset(f"{field}_id" for field, _ in scope.links)
    for family, columns in FAMILIES.items():
        if columns and frozenset(columns) == fields:
            (org,) = scope.organisation_ids
            return family, org
    return None


@dataclass(frozen=True)
class Figures:
    """The published figures of one scope for the months 1..N of a year (money in 万元)."""

    period: Period
    scope: FigureScope
    project_count: int
    annual_plan: Decimal
    plan_to_date: Decimal
    actual_to_date: Decimal

    @property
    def over(self) -> Decimal:
        """超 (positive) or 差 (negative): actual to date − plan to date."""
        return self.actual_to_date - self.plan_to_date

    @property
    def schedule_rate(self) -> Decimal | None:
        """完成序时进度计划 %."""
        return percent(self.actual_to_date, self.plan_to_date)

    @property
    def annual_rate(self) -> Decimal | None:
        """完成年度计划 %."""
        return percent(self.actual_to_date, self.annual_plan)

    @property
    def time_rate(self) -> Decimal:
        """时间进度 %: N/12."""
        return round2(self.period.time_rate)

    @property
    def time_lead(self) -> Decimal | None:
        """超序时进度 in percentage points: 完成年度计划 % − 时间进度 %, from the rounded figures."""
        annual = self.annual_rate
        return None if annual is None else annual - self.time_rate

    def as_json(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "scope": self.scope.key,
            "project_count": self.project_count,
            "annual_plan": fmt2(self.annual_plan),
            "plan_to_date": fmt2(self.plan_to_date),
            "actual_to_date": fmt2(self.actual_to_date),
            "over": fmt2(self.over),
            "schedule_rate": fmt2(self.schedule_rate),
            "annual_rate": fmt2(self.annual_rate),
            "time_rate": fmt2(self.time_rate),
            "time_lead": fmt2(self.time_lead),
        }

    def sentence(self) -> str:
        """The sentence the office publishes, in the seed's words."""
        ahead = self.over >= 0
        parts = [
            f"{self.period.to_date_label}，{self.scope.label}{self.project_count}个{self.scope.noun}"
            f"计划投资{yi(self.plan_to_date)}亿元",
            f"实际完成投资{yi(self.actual_to_date)}亿元",
            f"{'超' if ahead else '差'}{yi(abs(self.over))}亿元",
        ]
        if self.schedule_rate is not None:
            parts.append(f"完成序时进度计划{self.schedule_rate}%")
        if self.annual_rate is not None:
            parts.append(f"完成年度计划{self.annual_rate}%")
        return "，".join(parts) + "。"


_SUMS = {
    "project_count": Count("project_id"),
    "annual_plan": Coalesce(Sum("annual_plan"), Value(ZERO)),
    "plan_to_date": Coalesce(Sum("plan_to_date"), Value(ZERO)),
    "actual_to_date": Coalesce(Sum("actual_to_date"), Value(ZERO)),
}


def _rows(user: Any, period: Period, scope: FigureScope) -> QuerySet[ProjectMonth]:
    return ProjectMonth.objects.visible_to(user).filter(scope.q, year=period.year, month=period.month)


def _figures(period: Period, scope: FigureScope, sums: dict[str, Any]) -> Figures:
    return Figures(
        period=period,
        scope=scope,
        project_count=sums["project_count"],
        # SQLite adds decimals as binary floats (7773999.99999999 for 7774000.00); the money
        # columns hold whole cents, so rounding each sum to the cent restores the exact total.
        # PostgreSQL's numeric sums are exact already and pass through unchanged.
        annual_plan=round2(Decimal(sums["annual_plan"])),
        plan_to_date=round2(Decimal(sums["plan_to_date"])),
        actual_to_date=round2(Decimal(sums["actual_to_date"])),
    )


def summary(user: Any, period: Period, scope: FigureScope | None = None) -> Figures:
    """The headline figures of everything the user may see within `scope`."""
    scope = scope or parse_scope(None, user)
    if scope.aggregate is not None:
        total = _month_rows(user, period, scope.aggregate).rows.get("total", [])
        return _figures(period, scope, total[0] if total else {"project_count": 0, **dict.fromkeys(_MONEY, ZERO)})
    return _figures(period, scope, _rows(user, period, scope).aggregate(**_SUMS))


_MONEY = ("annual_plan", "plan_to_date", "actual_to_date")


@dataclass
class _Stored:
    """One scope's ScopeMonth rows of one month, every dimension, as dicts named like the
    per-project sums (`key_id`: the district's, category's or unit's id, 0 for the total),
    and the labels of the breakdowns' rows once one of them asks."""

    generation: int
    rows: dict[str, list[dict[str, Any]]]
    labels: dict[str, dict[int, Any]] | None = None


def _month_rows(user: Any, period: Period, aggregate: tuple[str, int]) -> _Stored:
    """The scope's rows of the month, read in one query the first time a summary or breakdown asks.

    Kept on the user object, as scope_for keeps the scope: a page's summary and three breakdowns
    are one read, not four (bench/). Any write to the aggregate by this process since (a
    generation, keyproj.metrics.scopes) makes it read again, so nobody sees a figure older than
    their own change; the command line's CONSOLE lives as long as the process and keeps nothing.
    """
    memo: dict[tuple[Any, ...], _Stored] | None = None if is_console(user) else getattr(user, _MEMO, None)
    key = (period.year, period.month, *aggregate)
    found = None if memo is None else memo.get(key)
    if found is not None and found.generation == scopes.generation():
        return found
    family, scope_id = aggregate
    found = _Stored(scopes.generation(), {})
    for row in ScopeMonth.objects.filter(year=period.year, month=period.month, family=family, scope_id=scope_id).values(
        "dimension", "key_id", "project_count", *_MONEY
    ):
        found.rows.setdefault(row.pop("dimension"), []).append(row)
    if user is not None and not is_console(user):
        with suppress(AttributeError):  # an object that takes no attributes simply reads again
            if memo is None:
                memo = {}
                setattr(user, _MEMO, memo)
            memo[key] = found
    return found


_MEMO = "_keyproj_figures"


def _labels(stored: _Stored) -> dict[str, dict[int, Any]]:
    """The labels of every breakdown row of the scope: one query a list (organisations, categories)."""
    if stored.labels is None:
        wanted: dict[str, set[int]] = {}
        for spec in BREAKDOWNS.values():
            keys = {row["key_id"] for row in stored.rows.get(spec.dimension, []) if row["project_count"] > 0}
            wanted.setdefault(spec.model, set()).update(keys)
        stored.labels = {
            model: apps.get_model(model).objects.only(*_LABEL_FIELDS[model]).in_bulk(sorted(keys)) if keys else {}
            for model, keys in wanted.items()
        }
    return stored.labels


@dataclass(frozen=True)
class Breakdown:
    """How the figures split: by which column of the project, labelled from which list."""

    column: str  # the project's foreign key, e.g. "district_id"
    dimension: str  # its name in the aggregate (keyproj.metrics.scopes.DIMENSIONS)
    model: str  # "orgs.Organisation" or "projects.Category"
    key: str  # what identifies a row to callers: a district's code, a category's code, a unit's id
    order: tuple[str, ...]  # the list's own order


BREAKDOWNS: dict[str, Breakdown] = {
    "district": Breakdown("district_id", "district", "orgs.Organisation", "code", ("order", "code")),
    "category": Breakdown("category_id", "category", "projects.Category", "code", ("order", "code")),
    "responsible_unit": Breakdown("responsible_unit_id", "unit", "orgs.Organisation", "pk", ("order", "name")),
}
# What a label needs: its name, its key and its order in the list (BREAKDOWNS).
_LABEL_FIELDS = {"orgs.Organisation": ("name", "code", "order"), "projects.Category": ("name", "code", "order")}


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    name: str
    figures: Figures


def breakdown(user: Any, period: Period, by: str, scope: FigureScope | None = None) -> list[BreakdownRow]:
    """The figures split by district, category or responsible unit, in the lists' own order."""
    spec = BREAKDOWNS[by]
    scope = scope or parse_scope(None, user)
    if scope.aggregate is not None:
        stored = _month_rows(user, period, scope.aggregate)
        # Rows of a scope whose projects have all left it stay behind as zeros: not a row of the list.
        grouped: list[dict[str, Any]] = [row for row in stored.rows.get(spec.dimension, []) if row["project_count"] > 0]
        labels = _labels(stored)[spec.model]
    else:
        # Grouped by the bare id: the labels are a handful of rows, read once afterwards, rather
        # than joined onto every project row and grouped by their text (bench/).
        grouped = [
            dict(row)
            for row in _rows(user, period, scope)
            .values(key_id=F(f"project__{spec.column}"))
            .annotate(**_SUMS)
            .order_by()
        ]
        labels = apps.get_model(spec.model).objects.in_bulk([row["key_id"] for row in grouped])
    rows = []
    for row in grouped:
        label = labels[row["key_id"]]
        key = str(getattr(label, spec.key))
        rows.append(
            (label, BreakdownRow(key, label.name, _figures(period, FigureScope(f"{by}:{key}", label.name, Q()), row)))
        )
    rows.sort(key=lambda pair: tuple(getattr(pair[0], name) for name in spec.order))
    return [row for _, row in rows]


class ProjectFigures(TypedDict):
    """What `project_figures` adds to each rollup row."""

    over: Decimal | None


def project_figures(
    user: Any, period: Period, scope: FigureScope | None = None
) -> QuerySet[WithAnnotations[ProjectMonth, ProjectFigures]]:
    """Per-project figures: `over` computed in the database; the rates are the rows' stored columns."""
    scope = scope or parse_scope(None, user)
    return (
        _rows(user, period, scope)
        .select_related("project")
        .annotate(
            over=ExpressionWrapper(
                F("actual_to_date") - F("plan_to_date"), output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
        )
    )

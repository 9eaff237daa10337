"""The project register: 项目库 and its xlsx export.

The register is one FilterSet (shared with the API) over the projects the user may see,
with the chosen month's figures joined in (by the registered figures provider), sorted and
paged in the database by keyset (keyproj.core.paging: no OFFSET, no COUNT of a large set). Bad
input (an unknown filter value, a malformed month, a tampered page link, an unknown sort key) is
dropped with a message in Chinese, never a server error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, F, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from keyproj.core import paging
from keyproj.core.downloads import download
from keyproj.core.money import ZERO, fmt2, percent, round2, wan
from keyproj.core.period import Period
from keyproj.core.scoping import PROJECT_ORG_FIELDS, scope_for
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects import extensions
from keyproj.projects.export import register_workbook
from keyproj.projects.filtersets import ProjectFilterSet
from keyproj.projects.models import Category, PipelineBatch, Project, ProjectLevel, Stage
from keyproj.projects.tables import Row, signed

PAGE_SIZE = 50
# The most organisations a filter offers as a list; more, and the form takes the organisation's number.
CHOICES_LIMIT = 300
DEFAULT_SORT = "code"
# What the register's rows show, joined in so that a page costs the same queries at any size.
ROW_RELATED = ("district", "category", "stage", "responsible_unit")

# Sort keys → columns; a tie is broken by the (unique) code, or for a rate by the project's id (the
# order of the rollup's (year, month, rate, project) index), so pages never overlap.
SORTS: dict[str, tuple[str, ...]] = {
    "code": ("code",),
    "name": ("name",),
    "district": ("district__order", "district__code"),
    "category": ("category__order", "category__code"),
    "stage": ("stage__order", "stage__code"),
    "responsible_unit": ("responsible_unit__order", "responsible_unit__name"),
    "total_investment": ("total_investment",),
    "plan_to_date": ("plan_to_date",),
    "actual_to_date": ("actual_to_date",),
    "over": ("over",),
    "schedule_rate": ("schedule_rate",),
    "annual_rate": ("annual_rate",),
}
# Sorts whose first column is NULL for some projects (no stage; no plan for the year, so no figures).
NULLABLE = {"stage", "plan_to_date", "actual_to_date", "over", "schedule_rate", "annual_rate"}
# Sorts read through the rollup's rate indexes: their ties go the same way as the rate.
RATES = {"schedule_rate", "annual_rate"}

# The register's columns: (sort key, heading, unit or "", numeric).
COLUMNS = (
    ("code", _("项目代码"), "", False),
    ("name", _("项目名称"), "", False),
    ("district", _("所属区"), "", False),
    ("category", _("项目类别"), "", False),
    ("stage", _("项目阶段"), "", False),
    ("responsible_unit", _("责任单位"), "", False),
    ("total_investment", _("总投资"), _("万元"), True),
    ("plan_to_date", _("1-N月计划"), _("万元"), True),
    ("actual_to_date", _("实际完成"), _("万元"), True),
    ("over", _("超/差"), _("万元"), True),
    ("schedule_rate", _("完成序时进度计划"), "%", True),
    ("annual_rate", _("完成年度计划"), "%", True),
)

FILTER_LABELS = {
    "q": _("搜索"),
    "district": _("所属区"),
    "category": _("项目类别"),
    "level": _("项目级别"),
    "stage": _("项目阶段"),
    "responsible_unit": _("责任单位"),
    "owner": _("业主单位"),
    "agent_builder": _("代建单位"),
    "org": _("相关单位"),
    "batch": _("五个一批"),
    "behind": _("是否滞后"),
    "period": _("统计月份"),
}


@dataclass
class Register:
    """The register as asked for, after bad input was dropped: what to show and what was wrong."""

    filterset: ProjectFilterSet
    period: Period | None
    sort: str
    queryset: QuerySet[Project]
    params: QueryDict  # the valid filters (with the sort), for links and the export
    problems: list[str] = field(default_factory=list)


def sort_fields(sort: str) -> tuple[str, ...]:
    """The columns a sort key orders by (`-` for descending), ending in a unique one."""
    key = sort.lstrip("-")
    sign = "-" if sort.startswith("-") else ""
    columns = tuple(sign + c for c in SORTS[key])
    if key == "code":
        return columns
    # A rate's ties follow the rate, so the index is read in one direction; other ties by code A to Z.
    return (*columns, f"{sign}pk") if key in RATES else (*columns, "code")


def order_by(sort: str) -> list[Any]:
    """The ORDER BY of a sort key; projects without the column's value (no plan, no stage) always come last."""
    return [
        F(c.lstrip("-")).desc(nulls_last=True) if c.startswith("-") else F(c).asc(nulls_last=True)
        for c in sort_fields(sort)
    ]


def phases(register: Register) -> list[paging.Phase]:
    """The register as keyset phases: rows with the sort column's value, then those without it, by the tie-break."""
    rows = register.queryset.order_by()
    key = register.sort.lstrip("-")
    fields = sort_fields(register.sort)
    if key not in NULLABLE:
        return [paging.Phase(rows, fields)]
    first = SORTS[key][0]
    tail = fields[len(SORTS[key]) :]
    if key in RATES:
        # Decided when a page first reaches the projects without a rate (末页 does at once), not before.
        return [
            paging.Phase(rows.filter(**{f"{first}__isnull": False}), fields),
            paging.Phase(lambda: _without_rate(register, rows, first), tail),
        ]
    return [
        paging.Phase(rows.filter(**{f"{first}__isnull": False}), fields),
        paging.Phase(rows.filter(**{f"{first}__isnull": True}), tail),
    ]


# The single filters that are whole scopes of the aggregate: filter → (family, project column).
SCOPE_FILTERS = {
    "district": ("district", "district_id"),
    "category": ("category", "category_id"),
    "responsible_unit": ("unit", "responsible_unit_id"),
}


def _without_rate(register: Register, rows: QuerySet[Project], rate: str) -> QuerySet[Project]:
    """The listed projects without the rate: those whose month row has it NULL, and those with no row.

    "Which have no row" is an anti-join over every listed project (1.7 s at a million). It is run
    only when there can be such projects: a project has the month's row exactly when it has an
    approved plan for the year, and the aggregate counts those per scope, so where the list is a
    whole scope (everything, or one district, category or unit, for a user who sees everything)
    the same count of listed projects says none is missing, and the NULL rates are read from the
    rate's index alone.
    """
    if register.period is None:
        return rows  # no month with figures yet: no project has a row, so none has a rate
    scope = _whole_scope(register)
    if scope is not None:
        family, scope_id, column = scope
        planned = extensions.figures().planned_count(register.period, family, scope_id)
        listed = Project.objects.filter(**({column: scope_id} if column else {})).count()
        if planned == listed:
            # A strict test on the row's own column makes the outer join an inner one (the rate index's NULLs).
            return rows.filter(**{f"{rate}__isnull": True, "plan_to_date__isnull": False})
    return rows.filter(**{f"{rate}__isnull": True})


def _whole_scope(register: Register) -> tuple[str, int, str | None] | None:
    """(family, scope id, project column) when the list is exactly one scope of the aggregate, else None."""
    if not scope_for(register.filterset.request.user).everything:
        return None
    named = [name for name in register.params if name not in ("sort", "period")]
    if not named:
        return ("city", 0, None)
    if len(named) > 1 or named[0] not in SCOPE_FILTERS:
        return None
    value = register.filterset.form.cleaned_data.get(named[0])
    if value is None:
        return None
    family, column = SCOPE_FILTERS[named[0]]
    return (family, value.pk, column)


def build_register(request: HttpRequest, related: tuple[str, ...] = ROW_RELATED) -> Register:
    """Read the register's query string: filters, month and sort; anything invalid is dropped with a message."""
    data = request.GET.copy()
    for name in paging.PAGER_PARAMS:
        data.pop(name, None)
    base = Project.objects.visible_to(request.user)
    problems: list[str] = []
    filterset = ProjectFilterSet(data, queryset=base, request=request)
    if not filterset.is_valid():
        for name, errors in filterset.errors.items():
            label = FILTER_LABELS.get(name, name)
            value = data.get(name, "")
            if name == "period":
                message = gettext("统计月份“%(value)s”无效：%(reason)s。已改为显示最近一个月。")
                problems.append(message % {"value": value, "reason": errors[0].rstrip("。")})
            else:
                message = gettext("“%(label)s”没有“%(value)s”这一项（或您无权查看），已忽略这个条件。")
                problems.append(message % {"label": label, "value": value})
            data.pop(name, None)
        filterset = ProjectFilterSet(data, queryset=base, request=request)
    sort = data.get("sort", "").strip() or DEFAULT_SORT
    if sort.lstrip("-") not in SORTS:
        problems.append(gettext("不能按“%(sort)s”排序，已按项目代码排序。") % {"sort": sort})
        sort = DEFAULT_SORT
    data.pop("sort", None)
    if sort != DEFAULT_SORT:
        data["sort"] = sort
    # Empty fields of a submitted form say nothing: leave them out of links and addresses.
    params = QueryDict(mutable=True)
    for key, values in data.lists():
        kept = [v for v in values if v.strip()]
        if kept:
            params.setlist(key, kept)
    queryset = filterset.qs.select_related(*related).order_by(*order_by(sort))
    return Register(filterset, filterset.period_value, sort, queryset, params, problems)


def _page_projects(queryset: QuerySet[Project], pks: list[int]) -> list[Project]:
    """The page's projects, read whole with their organisations and figures, in the page's order."""
    if not pks:
        return []
    found = {project.pk: project for project in queryset.order_by().filter(pk__in=pks)}
    return [found[pk] for pk in pks if pk in found]


def totals(queryset: QuerySet[Project]) -> dict[str, Any]:
    """Count and sums of the whole filtered set, in one aggregate query."""
    # The sums take their own names: an aggregate named like an annotation would be ambiguous SQL.
    sums = queryset.order_by().aggregate(
        count=Count("pk"),
        sum_total_investment=Sum("total_investment"),
        sum_plan_to_date=Sum("plan_to_date"),
        sum_actual_to_date=Sum("actual_to_date"),
    )
    # SQLite adds decimals as binary floats; the columns hold whole cents, so rounding restores them.
    money = {
        k: round2(Decimal(str(sums[f"sum_{k}"] or ZERO)))
        for k in ("total_investment", "plan_to_date", "actual_to_date")
    }
    over = money["actual_to_date"] - money["plan_to_date"]
    return {
        "count": sums["count"],
        "total_investment": wan(money["total_investment"]),
        "plan_to_date": wan(money["plan_to_date"]),
        "actual_to_date": wan(money["actual_to_date"]),
        "over": signed(over),
        "behind": over < 0,
        "schedule_rate": fmt2(percent(money["actual_to_date"], money["plan_to_date"])) or "—",
    }


def _query(params: QueryDict, **changes: Any) -> str:
    query = params.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = str(value)
    return query.urlencode()


def _headers(register: Register) -> list[dict[str, Any]]:
    """Each column's heading with the link that sorts by it (again: the other way round)."""
    headers = []
    current = register.sort
    for key, label, unit, numeric in COLUMNS:
        active = current.lstrip("-") == key
        desc = current.startswith("-")
        # Numbers are most often wanted largest first; text A to Z.
        first = f"-{key}" if numeric else key
        target = (key if desc else f"-{key}") if active else first
        headers.append(
            {
                "key": key,
                "label": label,
                "unit": unit,
                "numeric": numeric,
                "active": active,
                "desc": active and desc,
                "query": _query(register.params, sort=None if target == DEFAULT_SORT else target),
            }
        )
    return headers


def _choices(request: HttpRequest) -> dict[str, Any]:
    """What the filter form offers: only what the user may see, and only organisations in use."""
    user = request.user
    projects = Project.objects.visible_to(user)
    orgs = Organisation.objects.visible_to(user).order_by("order", "name")

    everything = scope_for(user).everything

    def used(column: str) -> list[tuple[str, str]] | None:
        # Past the limit the form asks for the number: a province has ten thousand owners, and a select
        # of them all costs more to render than the rest of the page. The organisations in use come
        # from the projects' own column, never from testing every organisation against the projects.
        if everything:
            ids = _distinct_ids(column, CHOICES_LIMIT + 1)
        else:  # a scoped user's projects are few
            ids = list(
                projects.exclude(**{column: None})
                .values_list(column, flat=True)
                .order_by()
                .distinct()[: CHOICES_LIMIT + 1]
            )
        if len(ids) > CHOICES_LIMIT:
            return None
        return list(orgs.filter(pk__in=ids).values_list("pk", "name"))

    return {
        "district": list(orgs.filter(kind=OrgKind.DISTRICT).order_by("order", "code").values_list("code", "name")),
        "category": [(c.code, c.display_name) for c in Category.objects.filter(active=True)],
        "level": list(ProjectLevel.choices),
        "stage": [(s.code, s.display_name) for s in Stage.objects.filter(active=True)],
        "responsible_unit": used("responsible_unit_id"),
        "owner": used("owner_id"),
        "agent_builder": used("agent_builder_id"),
        "batch": [(b.code, b.display_name) for b in PipelineBatch.objects.filter(active=True)],
        "behind": [("yes", _("是（累计完成低于序时计划）")), ("no", _("否"))],
    }


# The distinct values of an indexed column by skipping from one to the next through its index (a loose
# index scan): as many index probes as values asked for, where DISTINCT would read every project. The
# same statement runs on PostgreSQL and SQLite.
_DISTINCT_SQL = """
WITH RECURSIVE seen(value) AS (
    SELECT (SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY {column} LIMIT 1)
    UNION ALL
    SELECT (SELECT {column} FROM {table} WHERE {column} > seen.value ORDER BY {column} LIMIT 1)
    FROM seen WHERE seen.value IS NOT NULL
)
SELECT value FROM seen WHERE value IS NOT NULL LIMIT %s
"""


def _distinct_ids(column: str, limit: int) -> list[int]:
    """Up to `limit` distinct organisation ids of one of the project's organisation columns."""
    if column not in {f"{field}_id" for field in PROJECT_ORG_FIELDS}:  # a name from code, never from a request
        raise ValueError(f"not an organisation column of a project: {column}")
    sql = _DISTINCT_SQL.format(column=connection.ops.quote_name(column), table=Project._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        return [row[0] for row in cursor.fetchall()]


def _is_htmx(request: HttpRequest) -> bool:
    # A history restore asks for the whole page, although htmx sends it.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


@require_safe
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """项目库: the filtered, sorted, paged register with the totals of everything it shows."""
    register = build_register(request)
    pager = paging.Pager("projects", register.sort, phases(register), user=request.user, size=PAGE_SIZE)
    window = pager.page(request.GET, keep=register.params)
    if window.problem:
        register.problems.append(window.problem)
    # The totals sum the whole filtered set: done where the set is small, else the count is estimated.
    estimate = paging.planner_estimate(register.queryset)
    if estimate is None or estimate < paging.exact_count_below():
        sums: dict[str, Any] | None = totals(register.queryset)
        count = paging.Count(sums["count"], exact=True)
    else:
        sums, count = None, paging.Count(estimate, exact=False)
    partial = _is_htmx(request)
    context: dict[str, Any] = {
        "nav": "projects",
        "register": register,
        "period": register.period,
        "rows": [Row.of(p) for p in _page_projects(register.queryset, window.pks)],
        "window": window,
        "count": count,
        "totals": sums,
        "headers": _headers(register),
        "query": register.params.urlencode(),
        "partial": partial,
        "values": {k: register.params.get(k, "") for k in FILTER_LABELS},
    }
    if partial:
        response = render(request, "projects/_results.html", context)
        # The address bar shows the tidy query (no empty fields), so it can be bookmarked and shared.
        asked = {} if window.problem else {n: request.GET.get(n) for n in ("after", "before", "last")}
        shown = _query(register.params, **asked)
        response["HX-Push-Url"] = reverse("projects:list") + (f"?{shown}" if shown else "")
    else:
        context["choices"] = _choices(request)
        latest = register.filterset.latest
        offered = set(extensions.figures().picker_periods(request.user, latest))
        context["periods"] = sorted({*offered, register.period} if register.period else offered, reverse=True)
        response = render(request, "projects/list.html", context)
    # The same address answers with a page or a fragment: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    """The current view of the register (same filters and order, every row) as an xlsx workbook."""
    register = build_register(
        request,
        related=(*ROW_RELATED, "area_command", "owner", "agent_builder", "pipeline_batch"),
    )
    content = register_workbook(register.queryset, register.period)
    return download(content, f"projects-{register.period or 'all'}.xlsx")

"""一张图: what the map shows of one month, for what the user may see.

The districts carry the month's 完成序时进度计划 % (the rollup's district breakdown, the same
figures the dashboard and the summary API publish) and, when the month is closed, the 红黑榜
score and rank the close gave them. The points are the visible projects that hold a location
(WGS-84), each with the card the month's close gave it and its annual plan. Every figure is read
from the database in a fixed number of queries, however many projects there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from keyproj.core import clock, geo
from keyproj.core.money import ZERO, fmt2, round2
from keyproj.core.period import Period
from keyproj.metrics.figures import breakdown
from keyproj.metrics.models import ProjectMonth
from keyproj.projects.models import Project
from keyproj.supervision.models import Card, MonthClose, RankingEntry, RankingList


def boundary_url() -> str:
    """Where the browser reads the city's boundary file (KEYPROJ_BOUNDARY_FILE, served by keyproj)."""
    return reverse("map_boundary")


def boundary_crs() -> str:
    """The coordinate system the boundary is drawn in: the map draws every point in it."""
    return geo.boundary_settings()[1]


def default_period(user: Any) -> Period:
    """The month the map opens on: the dashboard's (the latest closed month, else the latest reported one),
    else the month whose reporting the clock has open (the last month that is over)."""
    from keyproj.dashboard.views.home import home_months

    return home_months(user).default or Period.of(clock.today()).previous()


@dataclass(frozen=True)
class MapData:
    """The month's map: districts with their rates and ranks, points with their cards and plans."""

    period: Period
    closed: bool
    districts: list[dict[str, Any]]
    points: list[dict[str, Any]]
    total: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "period": str(self.period),
            "closed": self.closed,
            "districts": self.districts,
            "points": self.points,
            "total": self.total,
        }


def _districts(user: Any, period: Period, closed: bool) -> list[dict[str, Any]]:
    """Each district the user sees figures of: its rate from the rollup, its place in the month's 各区 list."""
    ranks: dict[str, tuple[str | None, int]] = {}
    if closed:
        rows = (
            RankingEntry.objects.visible_to(user)
            .filter(close__year=period.year, close__month=period.month, list=RankingList.DISTRICTS)
            .values_list("organisation__code", "score", "rank")
        )
        ranks = {code: (fmt2(score), rank) for code, score, rank in rows}
    districts = []
    for row in breakdown(user, period, "district"):
        score, rank = ranks.get(row.key, (None, None))
        districts.append(
            {
                "code": row.key,
                "name": row.name,
                "project_count": row.figures.project_count,
                "schedule_rate": fmt2(row.figures.schedule_rate),
                "score": score,
                "rank": rank,
            }
        )
    return districts


def _drawn(lng: Any, lat: Any, crs: str) -> list[float]:
    """A stored (WGS-84) point in the boundary's coordinate system, to six places."""
    x, y = geo.convert(float(lng), float(lat), geo.WGS84, crs)
    return [float(geo.quantize(x)), float(geo.quantize(y))]


def _points(user: Any, period: Period, closed: bool) -> list[dict[str, Any]]:
    """The visible projects with a point: one query, the card and annual plan joined in by subqueries."""
    months = ProjectMonth.objects.filter(project=OuterRef("pk"), year=period.year, month=period.month)
    projects = (
        Project.objects.visible_to(user)
        .filter(lng__isnull=False, lat__isnull=False)
        .annotate(annual_plan=Subquery(months.values("annual_plan")[:1]))
    )
    if closed:
        cards = Card.objects.filter(
            project=OuterRef("pk"), close__year=period.year, close__month=period.month, close__status="closed"
        )
        projects = projects.annotate(card=Subquery(cards.values("colour")[:1]))
    else:
        projects = projects.annotate(card=Value(None, output_field=CharField()))
    crs = boundary_crs()
    rows = projects.order_by("code").values("pk", "code", "name", "lng", "lat", "district__code", "annual_plan", "card")
    return [
        {
            "code": row["code"],
            "name": row["name"],
            "district": row["district__code"],
            "lng": float(row["lng"]),
            "lat": float(row["lat"]),
            # Where the map draws it: the point in the boundary file's coordinate system.
            "drawn": _drawn(row["lng"], row["lat"], crs),
            "card": row["card"] or None,
            "annual_plan": fmt2(row["annual_plan"]),
            "url": reverse("projects:detail", args=[row["pk"]]),
        }
        for row in rows
    ]


def _total(user: Any, period: Period) -> dict[str, Any]:
    """How many of the points have the month's figures, and their annual plan: one aggregate."""
    sums = (
        ProjectMonth.objects.visible_to(user)
        .filter(year=period.year, month=period.month, project__lng__isnull=False, project__lat__isnull=False)
        .aggregate(project_count=Count("pk"), annual_plan=Coalesce(Sum("annual_plan"), Value(ZERO)))
    )
    return {"project_count": sums["project_count"], "annual_plan": fmt2(round2(Decimal(sums["annual_plan"])))}


def map_data(user: Any, period: Period) -> MapData:
    """The month's map for what the user may see."""
    closed = MonthClose.objects.visible_to(user).closed().filter(year=period.year, month=period.month).exists()
    return MapData(
        period=period,
        closed=closed,
        districts=_districts(user, period, closed),
        points=_points(user, period, closed),
        total=_total(user, period),
    )

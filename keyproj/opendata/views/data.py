"""What the public pages show, read from published closes only and cached per close.

Every figure here comes from a published month's frozen snapshot through keyproj.opendata.published;
nothing reads the live register or an open month. A close's pages are the same for everyone, so what
is built from its snapshot is cached under the close's id and the moment it was closed: a month that
is reopened drops out of the published list at once, and closing it again gives it a new moment, so
the cache never serves a withdrawn month.

Which months are published is itself cached under a fingerprint of the closed months and the monthly
notices (two small queries a request): deciding it from the snapshots' JSON would read every snapshot
whole on PostgreSQL, megabytes each at 10,000 projects.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Q

from keyproj.core.money import percent
from keyproj.core.period import Period
from keyproj.notices.models import Notice, NoticeKind
from keyproj.opendata.oc4ids import MilestoneMonths, milestone_months
from keyproj.opendata.published import NotPublished, published_close, published_closes
from keyproj.supervision.models import CloseStatus, MonthClose, PublishedProject, RankingList
from keyproj.supervision.notice import board_paragraph, category_paragraph
from keyproj.supervision.publication import PUBLIC_FORMAT

# Keys name a close's version, so nothing cached goes stale; the expiry only gives the memory back.
CACHE_SECONDS = 24 * 3600
PREFIX = "public:v3"
# The columns of a ranking row the 通报's tables print; the organisation's database id is not one.
RANKING_FIELDS = (
    "rank",
    "name",
    "project_count",
    "schedule_rate",
    "start_rate",
    "completion_rate",
    "timeliness",
    "long_unresolved",
    "score",
    "board",
    "move",
)


@dataclass(frozen=True)
class PublishedMonth:
    """A published month as the index lists it: its close, the city's figures and the issuer."""

    pk: int
    year: int
    month: int
    closed_at: dt.datetime
    city: dict[str, Any]
    issuer: str
    notice_id: int | None = None

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def key(self) -> str:
        """The close's version: its id and the moment it was closed (a re-close is a new version)."""
        return f"{self.pk}.{int(self.closed_at.timestamp() * 1_000_000)}"


@dataclass(frozen=True)
class Row:
    """One project of a month's list, as the month page's table shows it (money in 万元, as strings)."""

    code: str
    name: str
    category: str
    district: str
    annual_plan: str | None
    actual_to_date: str | None
    schedule_rate: str | None


def state() -> str:
    """A fingerprint of what decides which months are published: the closed months and the monthly notices.

    Closing, reopening and re-closing change the first; issuing a 通报 adds a notice, withdrawing one
    counts it withdrawn.
    """
    closes = list(MonthClose.objects.filter(status=CloseStatus.CLOSED).order_by("pk").values_list("pk", "closed_at"))
    notices = Notice.objects.filter(kind=NoticeKind.MONTHLY).aggregate(
        count=Count("pk"), last=Max("pk"), withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False))
    )
    text = repr((closes, notices["count"], notices["last"], notices["withdrawn"]))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def published_months(fingerprint: str) -> list[PublishedMonth]:
    """Every published month, newest first (those whose snapshot holds the public block)."""
    key = f"{PREFIX}:months:{fingerprint}"
    months = cache.get(key)
    if months is None:
        rows = (
            published_closes()
            .filter(snapshot__public__format=PUBLIC_FORMAT, snapshot__public__projects__gt=0)
            # notice_id is published_closes()'s annotation, which the type checker's plugin cannot see.
            .values_list(  # type: ignore[misc]
                "pk", "year", "month", "closed_at", "snapshot__city", "snapshot__issuer", "notice_id"
            )
        )
        months = [
            PublishedMonth(
                pk=pk,
                year=year,
                month=month,
                closed_at=closed_at,
                city=city or {},
                issuer=issuer or "",
                notice_id=notice_id,
            )
            for pk, year, month, closed_at, city, issuer, notice_id in rows
        ]
        months.reverse()
        cache.set(key, months, CACHE_SECONDS)
    return months


def find_month(months: list[PublishedMonth], text: str) -> PublishedMonth | None:
    """The published month a URL names as YYYY-MM exactly (2019-7 names nothing), or None."""
    return next((m for m in months if str(m.period) == text), None)


def _rate(actual: str | None, plan: str | None) -> str | None:
    if actual is None or plan is None:
        return None
    rate = percent(Decimal(actual), Decimal(plan))
    return None if rate is None else str(rate)


def _build(month: PublishedMonth) -> dict[str, Any] | None:
    """Read the close's snapshot once and cache what the month page needs; None if not published."""
    try:
        close = published_close(month.period)
    except NotPublished:
        return None
    if close.pk != month.pk or close.closed_at != month.closed_at:
        return None  # reopened or closed again since the list was read: the next request sees the new list
    snapshot = close.snapshot
    # The list's columns only, read from the published rows' JSON by the database: not every block whole.
    listed = (
        PublishedProject.objects.filter(close=close)
        .order_by("code")
        .values_list("code", "name", "data__category__name", "data__district__name", "data__figures")
    )
    rows = [
        Row(
            code=code,
            name=name,
            category=category or "",
            district=district or "",
            annual_plan=(fig or {}).get("annual_plan"),
            actual_to_date=(fig or {}).get("actual_to_date"),
            schedule_rate=_rate((fig or {}).get("actual_to_date"), (fig or {}).get("plan_to_date")),
        )
        for code, name, category, district, fig in listed
    ]
    notice = snapshot.get("notice") or {}
    bundle = {
        "period": str(month.period),
        "issuer": snapshot.get("issuer") or "",
        "city": snapshot.get("city") or {},
        "categories": [
            {"name": cat["name"], "figures": cat.get("figures") or {}, "paragraph": category_paragraph(i, cat)}
            for i, cat in enumerate(snapshot.get("categories") or [])
            if i < 10  # the 通报 numbers them （一）to （十）
        ],
        "rankings": [
            {
                "key": key.value,
                "paragraph": board_paragraph(snapshot, key.value),
                "red": [r["name"] for r in snapshot["rankings"][key.value] if r.get("board") == "red"],
                "black": [r["name"] for r in snapshot["rankings"][key.value] if r.get("board") == "black"],
                # As published in the 通报's tables; the organisations' database ids stay behind.
                "rows": [{field: r.get(field) for field in RANKING_FIELDS} for r in snapshot["rankings"][key.value]],
            }
            for key in RankingList
            if snapshot.get("rankings", {}).get(key.value)
        ],
        "notice": {"id": notice.get("id"), "number": notice.get("number", ""), "date": notice.get("date", "")},
        "rows": rows,
    }
    cache.set(f"{PREFIX}:month:{month.key}", bundle, CACHE_SECONDS)
    return bundle


def month_bundle(month: PublishedMonth) -> dict[str, Any] | None:
    """The month page's data (city, categories, rankings, notice, the project rows), or None."""
    found = cache.get(f"{PREFIX}:month:{month.key}")
    return found if found is not None else _build(month)


def public_project(month: PublishedMonth, code: str) -> dict[str, Any] | None:
    """A project's published block of the month (no database id), or None when the month did not publish it.

    One indexed row, cached per close version and code: a project's page never reads the whole month.
    """
    key = f"{PREFIX}:project:{month.key}:{hashlib.sha256(code.encode()).hexdigest()[:24]}"
    found = cache.get(key)
    if found is None:
        data = PublishedProject.objects.filter(close_id=month.pk, code=code).values_list("data", flat=True).first()
        if not data:
            return None  # not cached: a stranger's made-up codes must not fill the cache
        # The database id stays behind: the public pages name a project by its code.
        found = {k: v for k, v in data.items() if k != "id"}
        cache.set(key, found, CACHE_SECONDS)
    return found


def project_year(
    months: list[PublishedMonth], month: PublishedMonth, code: str
) -> tuple[list[dict[str, Any]], MilestoneMonths]:
    """A project's year up to `month`: its plan and actual to date at each published month (the curve,
    earliest first), and when it started and was completed as the OC4IDS package dates it.

    One query over the project's published rows of those months.
    """
    year = sorted((m for m in months if m.year == month.year and m.month <= month.month), key=lambda m: m.month)
    found = dict(
        PublishedProject.objects.filter(close_id__in=[m.pk for m in year], code=code).values_list("close_id", "data")
    )
    points = []
    for earlier in year:
        fig = (found.get(earlier.pk) or {}).get("figures") or {}
        points.append(
            {
                "period": earlier.period,
                "plan_to_date": fig.get("plan_to_date"),
                "actual_to_date": fig.get("actual_to_date"),
            }
        )
    rows = [(m.period, found[m.pk]) for m in year if m.pk in found]
    return points, milestone_months(rows)

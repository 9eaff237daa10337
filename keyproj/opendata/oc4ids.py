"""A published month as an OC4IDS 0.9 project package (Open Contracting for Infrastructure Data Standard).

Everything comes from what the month's close published (keyproj.opendata.published: its
snapshot and its published project rows) and from the rows of the same year's earlier published
months — never from the live register — so the package says exactly what the office published.
The code tables are in keyproj.opendata.mapping; docs/open-data.md says what each field holds.

A value keyproj does not hold is left out, never written empty: OC4IDS's `missing-values` check
counts empty strings, arrays and objects. Money: the published 万元 strings × 10,000, exactly, as
whole 元 (two decimals of 万元 are always whole 元).

The package's words are the publication's own and always Chinese (`language` "zh"), whatever the
language of the page or command that asks for it: they are not translated.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from itertools import groupby
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings

from keyproj.core.period import Period
from keyproj.opendata import mapping
from keyproj.opendata.published import close_notice, published_close, year_so_far
from keyproj.supervision.models import MonthClose

# The published 通报 and package of a month, under the public site (keyproj.opendata's public pages).
NOTICE_PATH = "/public/{period}/notice.pdf"
PACKAGE_PATH = "/public/{period}/oc4ids.json"


def build_package(
    period: Period,
    *,
    prefix: str | None = None,
    base_url: str | None = None,
    project_ids: Any = None,
    uri: str | None = None,
) -> dict[str, Any]:
    """The OC4IDS project package of a published month.

    prefix: the publisher's OC4IDS prefix (settings.KEYPROJ_OC4IDS_PREFIX by default), checked;
    base_url: the public site's address for the package's links (settings.KEYPROJ_PUBLIC_URL);
    project_ids: only these projects (the ones a user may see: a set of ids or, better at scale, a
    queryset of them, which the database applies as a subquery); None for every published one;
    uri: the package's own address, for a package that is not the public download (a scoped one
    from the API): two different packages must never share one `uri`. By default the public
    download's address.
    Raises NotPublished for a month that is not published, mapping.BadPrefix for a bad prefix.
    """
    prefix = mapping.check_prefix(settings.KEYPROJ_OC4IDS_PREFIX if prefix is None else prefix)
    base = (settings.KEYPROJ_PUBLIC_URL if base_url is None else base_url).rstrip("/")
    close = published_close(period)
    published = _published_moment(close)
    document = _notice_document(close, base, published)
    projects = []
    # One pass over the year's published rows, a project's months together (by code, then month): the
    # project is the month's row, its metrics all its months. A project the month does not hold (it left
    # the programme after an earlier month) has no row of this month and is not in the package. The
    # projects asked for are filtered by the database, so a user's package never decodes every row.
    rows = year_so_far(close, project_ids=project_ids)
    for _code, group in groupby(rows, key=lambda item: item[1]["code"]):
        months = list(group)
        month, row = months[-1]
        if month != period:
            continue
        projects.append(
            _project(row, period=period, prefix=prefix, updated=published, months=months, document=document)
        )
    return {
        "uri": uri or base + PACKAGE_PATH.format(period=period),
        "publishedDate": published,
        "publisher": {"name": close.snapshot.get("issuer") or "市重点办"},
        "version": mapping.VERSION,
        "projects": projects,
    }


# ------------------------------------------------------------------------------ dates


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _moment(day: dt.date, *, end: bool = False) -> str:
    """A day's first (or last) second in the office's time zone, as RFC 3339 (2019-07-01T00:00:00+08:00)."""
    clock = dt.time(23, 59, 59) if end else dt.time(0, 0, 0)
    return dt.datetime.combine(day, clock, tzinfo=_zone()).isoformat()


def _month_start(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return _moment(dt.date(year, number, 1))


def _month_end(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return _moment(dt.date(year, number, calendar.monthrange(year, number)[1]), end=True)


def _published_moment(close: MonthClose) -> str:
    """When the month's 通报 was issued (the package's publishedDate and every project's `updated`)."""
    notice = close_notice(close)
    if notice is not None:
        return notice.issued_at.astimezone(_zone()).replace(microsecond=0).isoformat()
    return _moment(dt.date.fromisoformat(close.snapshot["notice"]["date"]))


# ------------------------------------------------------------------------------ money


def yuan(wan: str | Decimal) -> int | float:
    """万元 (a snapshot's string) in 元, exactly: a whole number for every amount of two decimals."""
    amount = Decimal(str(wan)) * 10000
    integral = amount.to_integral_value()
    return int(integral) if amount == integral else float(amount)


def _value(wan: str | Decimal) -> dict[str, Any]:
    return {"amount": yuan(wan), "currency": mapping.CURRENCY}


# ------------------------------------------------------------------------------ the notice


def _notice_document(close: MonthClose, base: str, published: str) -> dict[str, Any] | None:
    """The month's published 通报 as a project document (the same one for every project of the month)."""
    issued = close.snapshot.get("notice") or {}
    notice = close_notice(close)
    if notice is None:
        return None
    period = Period(close.year, close.month)
    title = " ".join(part for part in (notice.title.strip(), (issued.get("number") or notice.number).strip()) if part)
    document = {
        "id": f"notice-{period}",
        "documentType": mapping.NOTICE_DOCUMENT_TYPE,
        "title": title,
        "url": base + NOTICE_PATH.format(period=period),
        "format": "application/pdf",
        "datePublished": published,
        "language": mapping.LANGUAGE,
    }
    return {key: value for key, value in document.items() if value}


# ------------------------------------------------------------------------------ one project


def _text(value: Any) -> str:
    return str(value or "").strip()


def _project(
    row: dict[str, Any],
    *,
    period: Period,
    prefix: str,
    updated: str,
    months: list[tuple[Period, dict[str, Any]]],
    document: dict[str, Any] | None,
) -> dict[str, Any]:
    """One published project as an OC4IDS project; keys without a value are left out."""
    code = _text(row["code"])
    name = _text(row["name"])
    stage = (row.get("stage") or {}).get("code")
    category = (row.get("category") or {}).get("code")
    parties, authority = _parties(row)
    project: dict[str, Any] = {
        "id": f"{prefix}-{code}",
        "updated": updated,
        "language": mapping.LANGUAGE,
        "identifiers": [{"id": code, "scheme": mapping.project_code_scheme(code, prefix)}],
        "title": name,
        "description": _text(row.get("description")),
        "status": mapping.status(stage, started=bool(row.get("started_in"))),
        "type": mapping.project_type(name),
        "sector": mapping.sector(name, category),
        "publicAuthority": authority,
        "parties": parties,
        "budget": {"amount": _value(row["total_investment"])} if row.get("total_investment") is not None else None,
        "period": _period(row),
        "locations": _locations(row),
        "forecasts": _forecasts(row, period),
        "metrics": _metrics(months),
        "milestones": _milestones(row, period, stage, months),
        "completion": _completion(months),
        "documents": [document] if document else None,
    }
    return {key: value for key, value in project.items() if value}


def _parties(row: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The organisations that answer for the project (one entry each, roles merged), and the public authority.

    A party's id is its code where the register holds one (credit code, GB/T 2260), else its name:
    never a database id.
    """
    parties: dict[str, dict[str, Any]] = {}
    by_kind: dict[str, str] = {}
    for kind, roles in mapping.ROLES.items():
        org = row.get(kind) or {}
        name, code = _text(org.get("name")), _text(org.get("code"))
        if not name:
            continue
        party_id = code or name
        by_kind[kind] = party_id
        party = parties.setdefault(party_id, {"id": party_id, "name": name, "roles": []})
        if (identifier := mapping.org_identifier(code)) and "identifier" not in party:
            party["identifier"] = identifier
        party["roles"] += [role for role in roles if role not in party["roles"]]
    authority = next((by_kind[kind] for kind in mapping.PUBLIC_AUTHORITY_FROM if kind in by_kind), None)
    reference = {"id": authority, "name": parties[authority]["name"]} if authority else None
    return list(parties.values()), reference


def _period(row: dict[str, Any]) -> dict[str, str] | None:
    dates = {
        "startDate": _month_start(row["planned_start"]) if row.get("planned_start") else None,
        "endDate": _month_end(row["planned_completion"]) if row.get("planned_completion") else None,
    }
    return {key: value for key, value in dates.items() if value} or None


def _locations(row: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Where the project is: the 建设地点 text (or the district's name), its GB/T 2260 code, a point if held."""
    district = row.get("district") or {}
    location: dict[str, Any] = {"id": "1"}
    if description := _text(row.get("location")) or _text(district.get("name")):
        location["description"] = description
    if code := _text(district.get("code")):
        location["gazetteer"] = {"scheme": mapping.DIVISION_SCHEME, "identifiers": [code]}
    # A point, once the published block carries the project's coordinates (WGS84 longitude, latitude).
    lng, lat = row.get("lng"), row.get("lat")
    if lng not in (None, "") and lat not in (None, ""):
        location["geometry"] = {"type": "Point", "coordinates": [float(Decimal(str(lng))), float(Decimal(str(lat)))]}
    return [location] if len(location) > 1 else None


def _month_period(period: Period) -> dict[str, str]:
    return {"startDate": _moment(period.first_day), "endDate": _moment(period.last_day, end=True)}


def _forecasts(row: dict[str, Any], period: Period) -> list[dict[str, Any]] | None:
    """The year's approved monthly investment plan: one observation per month, in 元."""
    monthly = (row.get("plan") or {}).get("monthly")
    if not monthly:
        return None
    observations = [
        {
            "id": str(Period(period.year, month)),
            "period": _month_period(Period(period.year, month)),
            "value": _value(wan),
        }
        for month, wan in enumerate(monthly, start=1)
    ]
    return [
        {
            "id": "financialProgress",
            "title": "分月计划投资",
            "description": f"{period.year}年度计划投资的分月安排（元，当月数，非累计）",
            "observations": observations,
        }
    ]


def _metrics(months: list[tuple[Period, dict[str, Any]]]) -> list[dict[str, Any]] | None:
    """Each published month of the year so far: the investment the approved return reported (元, that month's
    own, not cumulative) and its 形象进度 text."""
    money: list[dict[str, Any]] = []
    progress: list[dict[str, Any]] = []
    for month, row in months:
        ret = row.get("return")
        if not ret:
            continue
        if ret.get("investment") is not None:
            money.append({"id": str(month), "period": _month_period(month), "value": _value(ret["investment"])})
        if text := _text(ret.get("physical_progress")):
            progress.append({"id": str(month), "period": _month_period(month), "measure": text})
    metrics = []
    if money:
        metrics.append(
            {
                "id": "financialProgress",
                "title": "实际完成投资",
                "description": "经审核的月报所报当月完成投资（元，当月数，非累计）",
                "observations": money,
            }
        )
    if progress:
        metrics.append(
            {
                "id": "physicalProgress",
                "title": "形象进度",
                "description": "经审核的月报所报形象进度（文字）",
                "observations": progress,
            }
        )
    return metrics or None


class MilestoneMonths(NamedTuple):
    """The months (YYYY-MM) a project's works started and were completed, where the returns show them."""

    started: str | None
    completed: str | None


def milestone_months(months: list[tuple[Period, dict[str, Any]]]) -> MilestoneMonths:
    """When the works started and were completed, as the package dates them (None: not met, or not known when).

    months: one project's published rows of the year up to the month shown, in month order, as
    published.year_so_far(close, code=...) gives them; the last is the month shown. The package's
    milestones (`dateMet`) and `completion` use these months; a page showing them says the same.
    """
    if not months:
        return MilestoneMonths(None, None)
    row = months[-1][1]
    return MilestoneMonths(
        started=_met_in(months, "started", row.get("started_in")),
        completed=_met_in(months, "completed", row.get("completed_in")),
    )


def _met_in(months: list[tuple[Period, dict[str, Any]]], flag: str, first: str | None) -> str | None:
    """The month (YYYY-MM) a milestone was met, when the returns show it: None when unknown.

    A return's 是否开工/是否竣工 says whether the works have started (finished) by then, not whether they
    did so that month; the first return that says yes dates the milestone only when a return of the year
    before it said not yet. A project that had started long before keyproj's first return says yes from
    that first return on, and that month is not its start.
    """
    if not first:
        return None
    before = [row["return"] for month, row in months if str(month) < first and row.get("return")]
    return first if any(ret.get(flag) is False for ret in before) else None


def _completion(months: list[tuple[Period, dict[str, Any]]]) -> dict[str, Any] | None:
    """The actual completion, where the returns date it (the month's last day)."""
    done = milestone_months(months).completed
    return {"endDate": _month_end(done)} if done else None


def _milestones(
    row: dict[str, Any], period: Period, stage: str | None, months: list[tuple[Period, dict[str, Any]]]
) -> list[dict[str, Any]] | None:
    """Commencement and completion: when planned (the year's plan month, else the register's planned month) and
    whether and when met (a return reported it, or the stage says so; dated when the returns show the month)."""
    plan = row.get("plan") or {}
    dated = milestone_months(months)
    milestones = []
    for code, title, plan_key, planned_key, met, met_key, stages in (
        ("commencement", "开工", "start_month", "planned_start", dated.started, "started_in", mapping.STARTED_STAGES),
        (
            "completion",
            "竣工",
            "completion_month",
            "planned_completion",
            dated.completed,
            "completed_in",
            mapping.COMPLETED_STAGES,
        ),
    ):
        due_month = f"{period.year}-{plan[plan_key]:02d}" if plan.get(plan_key) else row.get(planned_key)
        milestone: dict[str, Any] = {"id": code, "title": title, "type": "delivery", "code": code}
        if due_month:
            milestone["dueDate"] = _month_end(due_month)
        if row.get(met_key) or stage in stages:
            milestone["status"] = "met"
            if met:
                milestone["dateMet"] = _month_end(met)
        elif due_month:
            milestone["status"] = "notMet" if due_month <= str(period) else "scheduled"
        else:
            continue  # neither planned nor met: nothing to say
        milestones.append(milestone)
    return milestones or None

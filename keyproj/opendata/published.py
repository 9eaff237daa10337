"""Which months are published, and what each one published: the one door open data goes through.

A month is published when it is closed and its 通报 has been issued: closing computes and
freezes the figures, issuing the 通报 is the office's deliberate act of making them public.
A reopened month is withdrawn (its 通报 with it) until it is closed and issued again. Nothing
here reads the live register: a published month is read from its frozen snapshot only.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from keyproj.core.period import Period, PeriodError
from keyproj.notices.models import Notice
from keyproj.supervision.models import CloseStatus, MonthClose, PublishedProject
from keyproj.supervision.publication import PUBLIC_FORMAT


class NotPublished(Exception):
    """What was asked for is not published; the message says why, in the user's language."""


def published_closes() -> QuerySet[MonthClose]:
    """Every published month's close, earliest first: closed, and the 通报 it issued not withdrawn."""
    live = Notice.objects.filter(pk=OuterRef("notice_id"), withdrawn_at__isnull=True)
    return (
        MonthClose.objects.filter(status=CloseStatus.CLOSED, snapshot__has_key="notice")
        .annotate(notice_id=Cast(KT("snapshot__notice__id"), IntegerField()))
        .filter(Exists(live))
        .defer("snapshot")
        .order_by("year", "month")
    )


def parse_period(text: str | None) -> Period:
    """A YYYY-MM from a command line or a query string, refused with a sentence when it is not one."""
    if not text:
        raise NotPublished(_("请指定月份（YYYY-MM）"))
    try:
        return Period.parse(text.strip())
    except PeriodError:
        raise NotPublished(_("“%(text)s”不是月份，应为YYYY-MM，例如2019-07") % {"text": text[:20]}) from None


def published_close(period: Period) -> MonthClose:
    """The close of a published month, or NotPublished saying why the month is not."""
    close = MonthClose.objects.filter(year=period.year, month=period.month).first()
    label = {"year": period.year, "month": period.month}
    if close is None:
        raise NotPublished(_("%(year)s年%(month)s月尚未关账，没有可发布的数据") % label)
    if close.status != CloseStatus.CLOSED:
        raise NotPublished(_("%(year)s年%(month)s月已重新打开，重新关账并印发通报前不公开") % label)
    issued = close.snapshot.get("notice")
    if not issued:
        raise NotPublished(_("%(year)s年%(month)s月已关账，但通报尚未印发，印发后才公开") % label)
    if not Notice.objects.filter(pk=issued["id"], withdrawn_at__isnull=True).exists():
        raise NotPublished(_("%(year)s年%(month)s月的通报已撤回，不再公开") % label)
    block = close.snapshot.get("public")
    if not isinstance(block, dict) or block.get("format") != PUBLIC_FORMAT:
        raise NotPublished(
            _("%(year)s年%(month)s月的关账快照没有公开数据（早于本功能），重新关账并印发后才能公开") % label
        )
    if not block["projects"]:
        raise NotPublished(_("%(year)s年%(month)s月没有项目数据") % label)
    return close


def _entry(project_id: int, data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "id": project_id}


def published_projects(close: MonthClose) -> list[dict[str, Any]]:
    """The projects a published close holds, as frozen (keyproj.supervision.publication), by code.

    `id` is the project's database id, for joining inside keyproj; nothing public prints it.
    """
    rows = PublishedProject.objects.filter(close=close).order_by("code").values_list("project_id", "data")
    return [_entry(pid, data) for pid, data in rows]


def published_project(close: MonthClose, code: str) -> dict[str, Any] | None:
    """One project as a published close holds it, by its code, or None when the close does not hold it."""
    row = PublishedProject.objects.filter(close=close, code=code).values_list("project_id", "data").first()
    return _entry(*row) if row else None


def year_so_far(
    close: MonthClose, *, code: str | None = None, project_ids: Any = None
) -> Iterator[tuple[Period, dict[str, Any]]]:
    """Every published row of `close`'s year up to its month (of one project when `code` is given).

    project_ids: only these projects' rows (a set of ids or a queryset of them, e.g. the projects a
    user may see), filtered by the database before any row's JSON is read.

    Ordered by project code, then month: a reader groups a project's months without holding the
    year in memory. Only published months: a reopened or unissued month in between is skipped.
    """
    closes = published_closes().filter(year=close.year, month__lte=close.month)
    rows = PublishedProject.objects.filter(close__in=closes)
    if code is not None:
        rows = rows.filter(code=code)
    if project_ids is not None:
        rows = rows.filter(project_id__in=project_ids)
    ordered = rows.order_by("code", "close__month").values_list("close__month", "project_id", "data")
    for month, pid, data in ordered.iterator(chunk_size=2000):
        yield Period(close.year, month), _entry(pid, data)


def figures(close: MonthClose) -> dict[int, dict[str, Any]]:
    """Each project's published figures of the month (年度计划, 计划 to date, 完成 to date), by project id."""
    return {row["id"]: row for row in close.snapshot["projects"]}


def close_notice(close: MonthClose) -> Notice | None:
    """The 通报 a published close issued (never a withdrawn one)."""
    issued = close.snapshot.get("notice")
    if not issued:
        return None
    return Notice.objects.filter(pk=issued["id"], withdrawn_at__isnull=True).first()

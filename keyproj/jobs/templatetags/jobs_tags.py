"""How the schedule's pages write a schedule, a run's counts and its duration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyproj.accounts.permissions import is_office

register = template.Library()

# The counts the jobs return, by name; a name not listed is shown as it is.
COUNT_LABELS = {
    "escalated": _("上报问题"),
    "listings_overdue": _("督办逾期"),
    "listings_due_soon": _("督办即将到期"),
    "messages": _("发出消息"),
    "missing": _("未报项目"),
    "users": _("提醒用户"),
    "organisations": _("催报单位"),
    "event": _("提醒"),
    "note": _("说明"),
    "delivered": _("投递"),
    "digests": _("汇总"),
    "sent": _("已发送"),
    "retrying": _("待重试"),
    "failed": _("失败"),
}


@register.filter
def schedule(job: Any) -> str:
    """每日 07:00, or 每15分钟."""
    if job.at is not None:
        return gettext("每日 %(time)s") % {"time": job.at.strftime("%H:%M")}
    return gettext("每%(minutes)s分钟") % {"minutes": f"{job.every_minutes:,}"}


@register.filter
def counts(values: Any) -> list[tuple[str, str]]:
    """A run's counts as (label, value) pairs, numbers with thousands separators."""
    if not isinstance(values, dict):
        return []
    pairs = []
    for key, value in values.items():
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
        pairs.append((str(COUNT_LABELS.get(key, key)), shown))
    return pairs


@register.filter
def duration(value: dt.timedelta | None) -> str:
    """1分5秒, or 0.4秒; nothing for a run that has not ended."""
    if value is None:
        return ""
    seconds = value.total_seconds()
    if seconds < 60:
        return gettext("%(seconds)s秒") % {"seconds": f"{seconds:.1f}"}
    minutes, rest = divmod(round(seconds), 60)
    return gettext("%(minutes)s分%(seconds)s秒") % {"minutes": f"{minutes:,}", "seconds": rest}


@register.filter
def first_line(text: str) -> str:
    """The error's last line (the exception and its message), for the table; the whole trace unfolds below."""
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


@register.filter
def sees_jobs(user: Any) -> bool:
    """Whether the menu offers the schedule (定时任务): the office only (its roles are read once per request)."""
    return is_office(user)

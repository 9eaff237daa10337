"""问题台账 as an xlsx workbook (openpyxl, write-only: rows stream out in chunks)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from keyproj.core import clock, xlsx

CHUNK = 2000
DATE_FORMAT = "yyyy-mm-dd"


def _headings() -> list[tuple[str, int]]:
    return [
        (_("序号"), 6),
        (_("项目代码"), 26),
        (_("项目名称"), 34),
        (_("所属区"), 10),
        (_("责任单位"), 16),
        (_("跟踪人"), 10),
        (_("问题类别"), 10),
        (_("问题"), 40),
        (_("问题描述"), 40),
        (_("来源"), 12),
        (_("提出日期"), 12),
        (_("当前层级"), 16),
        (_("到达本级日期"), 12),
        (_("状态"), 8),
        (_("解决日期"), 12),
        (_("用时(天)"), 8),
        (_("解决情况"), 40),
    ]


def ledger_workbook(problems: QuerySet[Any]) -> bytes:
    """Every problem of the queryset (already scoped and filtered), one row each, in its order."""
    book = xlsx.new_workbook(write_only=True)
    sheet = book.create_sheet(_("问题台账"))
    xlsx.heading_row(sheet, _headings(), wrap=True)
    today = clock.today()
    for n, p in enumerate(problems.iterator(chunk_size=CHUNK), start=1):
        end = p.resolved_on or today
        row: list[Any] = [
            n,
            p.project.code,
            p.project.name,
            p.project.district.name,
            p.project.responsible_unit.name,
            str(p.project.tracker or ""),
            p.category.name,
            p.title,
            p.description,
            p.get_source_display(),
            p.raised_on,
            f"{p.level} {p.get_level_display()}",
            p.level_since,
            p.get_status_display(),
            p.resolved_on,
            (end - p.raised_on).days,
            p.resolution,
        ]
        cells = []
        for value in row:
            cell = xlsx.cell(sheet, value)  # a title beginning with = stays text
            if hasattr(value, "isoformat"):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        xlsx.append(sheet, cells)
    return xlsx.to_bytes(book)

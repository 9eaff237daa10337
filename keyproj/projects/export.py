"""The register's current view as an xlsx workbook (openpyxl, write-only: rows stream out)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from keyproj.core import xlsx
from keyproj.core.money import percent
from keyproj.core.period import Period

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00"
# Rows are read from the database in chunks, so a city-wide export never holds every project at once.
CHUNK = 2000


def _headings(period: Period | None) -> list[tuple[str, int]]:
    """(heading, column width) of every column."""
    months = period.to_date_label if period else _("1-N月")
    return [
        (_("项目代码"), 26),
        (_("项目名称"), 36),
        (_("项目级别"), 10),
        (_("项目类别"), 14),
        (_("项目阶段"), 10),
        (_("五个一批"), 14),
        (_("所属区"), 10),
        (_("片区指挥部"), 16),
        (_("责任单位"), 18),
        (_("业主单位"), 28),
        (_("代建单位"), 28),
        (_("总投资(万元)"), 16),
        (_("年度计划投资(万元)"), 18),
        (_("%(months)s计划投资(万元)") % {"months": months}, 18),
        (_("实际完成投资(万元)"), 18),
        (_("超/差(万元)"), 16),
        (_("完成序时进度计划(%)"), 16),
        (_("完成年度计划(%)"), 14),
    ]


def _name(obj: Any) -> str:
    return obj.name if obj is not None else ""


def _row(p: Any) -> list[Any]:
    plan, actual, annual = p.plan_to_date, p.actual_to_date, p.annual_plan
    has_plan = plan is not None
    return [
        p.code,
        p.name,
        p.get_level_display(),
        _name(p.category),
        _name(p.stage),
        _name(p.pipeline_batch),
        _name(p.district),
        _name(p.area_command),
        _name(p.responsible_unit),
        _name(p.owner),
        _name(p.agent_builder),
        p.total_investment,
        annual,
        plan,
        actual,
        actual - plan if has_plan else None,
        percent(actual, plan) if has_plan else None,
        percent(actual, annual) if has_plan else None,
    ]


def register_workbook(projects: Iterable[Any], period: Period | None) -> bytes:
    """One sheet: a title row, the headings, then one row per project; money in 万元 as numbers."""
    book = xlsx.new_workbook(write_only=True)
    sheet = book.create_sheet(_("项目库"))
    headings = _headings(period)
    for index, (_heading, width) in enumerate(headings):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "C3"
    title = _("项目库（%(period)s）") % {"period": period.label if period else _("暂无填报")}
    title_cell = xlsx.cell(sheet, title)
    title_cell.font = Font(bold=True, size=13)
    xlsx.append(sheet, [title_cell])
    header = []
    for heading, _width in headings:
        cell = xlsx.cell(sheet, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    xlsx.append(sheet, header)
    money_columns = range(11, 16)
    rate_columns = range(16, 18)
    iterator = projects.iterator(chunk_size=CHUNK) if hasattr(projects, "iterator") else projects
    for project in iterator:
        cells = []
        for index, value in enumerate(_row(project)):
            cell = xlsx.cell(sheet, value)  # Decimal is written exactly, as a number; text stays text
            if index in money_columns:
                cell.number_format = MONEY_FORMAT
            elif index in rate_columns:
                cell.number_format = RATE_FORMAT
            cells.append(cell)
        xlsx.append(sheet, cells)
    return xlsx.to_bytes(book)

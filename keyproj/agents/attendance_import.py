"""Importing attendance (考勤) from a workbook: first sheet, header in row 1, one person-month per row.

Columns: 统一社会信用代码 · 姓名 · 岗位 · 项目代码 · 年度 · 月份 · 应出勤天数 · 实际出勤天数. The person
must be registered as the firm's key staff and the project must be built by that firm. Every
error is reported as `第N行 列名: 说明` and nothing is written unless the whole file is good.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from keyproj.agents.credit import AttendanceData, save_attendance
from keyproj.agents.models import KeyStaff
from keyproj.core.errors import Refused
from keyproj.core.workbooks.reader import WorkbookError, guarded_bytes
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project

COLUMNS = ("统一社会信用代码", "姓名", "岗位", "项目代码", "年度", "月份", "应出勤天数", "实际出勤天数")
WHOLE = {"年度", "月份", "应出勤天数", "实际出勤天数"}


@dataclass
class AttendanceImport:
    """What an import found: the rows it would write, or every error."""

    rows: list[AttendanceData] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    written: int = 0


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _grid(data: bytes) -> list[list[Any]]:
    try:
        # The same guards as every import: size, package, and the sheet's extent before any grid is built.
        data = guarded_bytes(data)
    except WorkbookError as error:
        raise Refused([str(error)]) from None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception:  # calamine raises several types for a file that is not a workbook
        raise Refused(["文件不是可读取的xlsx工作簿"]) from None


def import_attendance(source: Path | bytes, *, user: Any, dry_run: bool = False) -> AttendanceImport:
    """Read, check and (unless dry_run or any error) save a whole attendance workbook."""
    grid = _grid(source if isinstance(source, bytes) else Path(source).read_bytes())
    result = AttendanceImport()
    if not grid:
        result.errors.append("第1行: 缺少表头")
        return result
    header = [str(cell).strip() if cell is not None else "" for cell in grid[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        result.errors += [f"第1行 {name}: 缺少此列" for name in missing]
        return result
    at = {name: header.index(name) for name in COLUMNS}
    records: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(grid[1:], start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        record = {name: cells[at[name]] if at[name] < len(cells) else None for name in COLUMNS}
        for name in WHOLE:
            value = _whole(record[name])
            if value is None:
                result.errors.append(f"第{number}行 {name}: “{record[name]}”不是整数")
            record[name] = value
        for name in ("统一社会信用代码", "姓名", "岗位", "项目代码"):
            record[name] = str(record[name] or "").strip()
        records.append((number, record))
    codes = {r["统一社会信用代码"].upper() for _, r in records}
    firms = {f.code: f for f in Organisation.objects.filter(kind=OrgKind.AGENT_BUILDER, code__in=sorted(codes))}
    staff = {(s.firm_id, s.name, s.post): s for s in KeyStaff.objects.filter(firm__in=list(firms.values()))}
    projects = Project.objects.in_bulk(sorted({r["项目代码"] for _, r in records}), field_name="code")
    for number, record in records:
        firm = firms.get(record["统一社会信用代码"].upper())
        if firm is None:
            result.errors.append(
                f"第{number}行 统一社会信用代码: 没有统一社会信用代码为“{record['统一社会信用代码']}”的代建单位"
            )
            continue
        person = staff.get((firm.pk, record["姓名"], record["岗位"]))
        if person is None:
            result.errors.append(f"第{number}行 姓名: {firm}没有登记岗位为“{record['岗位']}”的“{record['姓名']}”")
        project = projects.get(record["项目代码"])
        if project is None:
            result.errors.append(f"第{number}行 项目代码: 没有项目代码为“{record['项目代码']}”的项目")
        if person is None or project is None or any(record[name] is None for name in WHOLE):
            continue
        result.rows.append(
            AttendanceData(
                person, project, record["年度"], record["月份"], record["应出勤天数"], record["实际出勤天数"]
            )
        )
    if result.errors:
        result.rows = []
        return result
    if not dry_run:
        try:
            result.written = save_attendance(result.rows, user=user)
        except Refused as refused:
            # The service numbers problems by data row; the workbook's rows start at 2.
            result.errors = [str(p).replace("第", "数据第", 1) for p in refused.problems]
    return result

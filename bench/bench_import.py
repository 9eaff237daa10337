"""Benchmark: importing a 10,000-row returns workbook through the real command.

The workbook (openpyxl, the returns format of DESIGN.md) holds the month after the
generated ones (2019-08 by default) for the first 10,000 generated projects. Each timed
run is exactly `keyproj import returns FILE --approve`: read, validate, write, audit and
roll up. Before each run the month's returns are removed again (untimed) so that every
run creates 10,000 returns; then the same file is imported once more per run to time
the re-import that must change nothing.

Target (issue 2, on PostgreSQL): under 3 s for the 10,000 new rows.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum

from bench.generate import DEFAULT_MONTHS, PROGRESS, YEAR, cents, refresh_statistics
from bench.report import Result, backend_name, p95
from keyproj.metrics import rollup
from keyproj.metrics.models import ProjectMonth
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

TARGET_MS = 3000.0
HEADER = ["项目代码", "年度", "月份", "本月完成投资(万元)", "形象进度", "是否开工", "是否竣工", "存在问题"]
COMMAND = Path(__file__).resolve().parent.parent / "keyproj" / "exchange" / "management" / "commands" / "import.py"


def write_workbook(path: Path, *, rows: int = 10_000, month: int = DEFAULT_MONTHS + 1, seed: int = 1) -> Decimal:
    """Write the returns of `month` for the first `rows` projects; gives the workbook's total (万元)."""
    from openpyxl import Workbook

    codes = list(Project.objects.order_by("pk").values_list("code", flat=True)[:rows])
    if len(codes) < rows:
        raise SystemExit(f"只有{len(codes)}个项目，不够{rows}行：请先生成更多项目")
    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("月度填报")
    sheet.append(HEADER)
    total = Decimal(0)
    for code in codes:
        amount = cents(rng.randint(0, 5_000_00))
        total += amount
        sheet.append([code, YEAR, month, amount, rng.choice(PROGRESS), "是", "否", ""])
    workbook.save(path)
    return total


def _clear(month: int, project_ids: list[int]) -> None:
    """Take the month's returns out again (untimed), and the rollup with them."""
    with transaction.atomic():
        ProgressReturn.objects.filter(year=YEAR, month=month).delete()
        rollup.refresh(YEAR, project_ids, plans=False)
    # Each run rewrites half a year of rollup rows; a live server's autovacuum clears the
    # dead rows in between, and without it every run would be slower than the last.
    refresh_statistics()


def _import(path: Path) -> tuple[float, str]:
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    try:
        call_command("import", "returns", str(path), "--approve", stdout=out, stderr=err)
    except (CommandError, SystemExit) as exc:
        raise SystemExit(f"导入失败（{exc}）：\n{out.getvalue()}{err.getvalue()}") from None
    return time.perf_counter() - started, out.getvalue().strip()


def _check(month: int, rows: int, total: Decimal) -> None:
    """The import must really have written the rows and moved the rollup; otherwise the time means nothing."""
    approved = ProgressReturn.objects.filter(year=YEAR, month=month, status=ReturnStatus.APPROVED).count()
    rolled = ProjectMonth.objects.filter(year=YEAR, month=month).aggregate(s=Sum("actual_month"))["s"] or 0
    if approved != rows or Decimal(rolled).quantize(Decimal("0.01")) != total:
        raise SystemExit(f"导入结果不对：已审核{approved}行（应为{rows}），汇总{rolled}万元（应为{total}万元）")


def available() -> bool:
    """Whether the import command (keyproj/exchange) exists yet."""
    from django.core.management import get_commands

    return "import" in get_commands()


def run(*, rows: int = 10_000, runs: int = 3, month: int = DEFAULT_MONTHS + 1, verbose: bool = True) -> list[Result]:
    """Time the import of new rows, and the re-import of the same file, `runs` times each."""
    if not available():
        raise SystemExit(f"导入命令尚不存在（{COMMAND}）：跳过导入基准")
    projects = Project.objects.count()
    backend = backend_name()
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    fresh: list[float] = []
    again: list[float] = []
    with tempfile.TemporaryDirectory(prefix="keyproj-bench-") as tmp:
        path = Path(tmp) / f"returns-{YEAR}-{month:02d}.xlsx"
        started = time.perf_counter()
        total = write_workbook(path, rows=rows, month=month)
        if verbose:
            size = path.stat().st_size / 1024
            print(f"wrote {rows:,} rows ({size:,.0f} KiB) in {time.perf_counter() - started:.1f} s: {path.name}")
        for _ in range(runs):
            _clear(month, project_ids)
            seconds, said = _import(path)
            _check(month, rows, total)
            fresh.append(seconds * 1000)
            seconds, said_again = _import(path)
            again.append(seconds * 1000)
            if verbose:
                print(f"  import {fresh[-1]:,.0f} ms ({said}); again {again[-1]:,.0f} ms ({said_again})")
    return [
        Result(
            f"import {rows:,} returns --approve",
            projects,
            backend,
            runs,
            _median(fresh),
            p95(fresh),
            TARGET_MS,
        ),
        Result("  the same file again (no change)", projects, backend, runs, _median(again), p95(again)),
    ]


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)

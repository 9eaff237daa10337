"""Benchmark: the same 10,000-row returns workbook through a generic django-import-export resource.

This is the yardstick for `keyproj import returns`: what a team would get by declaring a
ModelResource over ProgressReturn and calling `import_data`. The resource maps the
workbook's Chinese headers onto the model, looks projects up by code and keys rows on
(project, year, month), as the real import does. It does less than the real import: no
scope check, no per-row Chinese messages, no audit entries and no rollup, so the
dashboard would not move. It is timed twice, row by row (the library's default) and with
`use_bulk`, each on an emptied month, with the file read by the library (tablib, openpyxl).

The ratio printed is generic ÷ keyproj on the same file and database: above 1 means the
real import, with its audit and rollup, is the faster of the two.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from django.db.models import Sum

from bench.bench_import import _clear, _import, write_workbook
from bench.generate import DEFAULT_MONTHS, YEAR
from bench.report import Result, backend_name, p95
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus


def _resource_class(bulk: bool) -> type:
    """A plain ModelResource over ProgressReturn, declared the way the library's documentation shows."""
    from import_export import fields, resources, widgets

    class YesNo(widgets.BooleanWidget):
        """是/否 cells, as in the returns workbook."""

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool | None:
            return {"是": True, "否": False}.get(str(value).strip()) if value not in (None, "") else None

    class ReturnResource(resources.ModelResource):
        project = fields.Field("project", "项目代码", widgets.ForeignKeyWidget(Project, "code"))
        year = fields.Field("year", "年度", widgets.IntegerWidget())
        month = fields.Field("month", "月份", widgets.IntegerWidget())
        investment = fields.Field("investment", "本月完成投资(万元)", widgets.DecimalWidget())
        physical_progress = fields.Field("physical_progress", "形象进度")
        started = fields.Field("started", "是否开工", YesNo())
        completed = fields.Field("completed", "是否竣工", YesNo())
        problems = fields.Field("problems", "存在问题")

        class Meta:
            model = ProgressReturn
            fields = ("project", "year", "month", "investment", "physical_progress", "started", "completed", "problems")
            import_id_fields = ("project", "year", "month")
            skip_unchanged = True
            use_bulk = bulk
            batch_size = 1000

        def before_save_instance(self, instance: ProgressReturn, row: Any, **kwargs: Any) -> None:
            # The real import is run with --approve; give the generic rows the same status.
            instance.status = ReturnStatus.APPROVED
            instance.problems = instance.problems or ""

    return ReturnResource


def _generic_import(path: Path, bulk: bool) -> float:
    import tablib

    started = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = _resource_class(bulk)().import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    seconds = time.perf_counter() - started
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit("通用导入报错：" + "; ".join(str(e.error) for row in result.row_errors() for e in row[1]))
    return seconds


def _written(month: int) -> int:
    return ProgressReturn.objects.filter(year=YEAR, month=month, status=ReturnStatus.APPROVED).count()


def run(*, rows: int = 10_000, runs: int = 3, month: int = DEFAULT_MONTHS + 1, verbose: bool = True) -> list[Result]:
    """Time keyproj's import and the generic resource (row by row, and bulk) on one file, `runs` times each."""
    projects = Project.objects.count()
    backend = backend_name()
    project_ids = list(Project.objects.order_by("pk").values_list("pk", flat=True)[:rows])
    timings: dict[str, list[float]] = {"keyproj": [], "generic": [], "generic bulk": []}
    with tempfile.TemporaryDirectory(prefix="keyproj-bench-") as tmp:
        path = Path(tmp) / f"returns-{YEAR}-{month:02d}.xlsx"
        total = write_workbook(path, rows=rows, month=month)
        for _ in range(runs):
            _clear(month, project_ids)
            timings["keyproj"].append(_import(path)[0] * 1000)
            for name, bulk in (("generic", False), ("generic bulk", True)):
                _clear(month, project_ids)
                timings[name].append(_generic_import(path, bulk) * 1000)
                written = _written(month)
                amount = ProgressReturn.objects.filter(year=YEAR, month=month).aggregate(s=Sum("investment"))["s"]
                if written != rows or amount != total:
                    raise SystemExit(f"通用导入结果不对：{written}行，{amount}万元（应为{rows}行，{total}万元）")
            if verbose:
                print("  " + "; ".join(f"{name} {values[-1]:,.0f} ms" for name, values in timings.items()))
        _clear(month, project_ids)
    ours = statistics.median(timings["keyproj"])
    results = [
        Result(
            f"import {rows:,} returns: keyproj (audit + rollup)", projects, backend, runs, ours, p95(timings["keyproj"])
        )
    ]
    for name in ("generic", "generic bulk"):
        median = statistics.median(timings[name])
        label = f"  django-import-export{' use_bulk' if 'bulk' in name else ''} (×{median / ours:.1f})"
        results.append(Result(label, projects, backend, runs, median, p95(timings[name])))
    return results

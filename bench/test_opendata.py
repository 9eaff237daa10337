"""`python -m bench opendata` works end to end at a small N: it closes and publishes every month in
order, measures the last one, and a second run reuses the data and leaves the closes as they were.
No timing is asserted."""

from __future__ import annotations

import pytest

from bench import bench_opendata
from bench.bench_opendata import OpenDataRun, Row, table
from keyproj.supervision.models import CloseStatus, MonthClose


def test_the_table_shows_times_sizes_and_skipped_parts():
    done = OpenDataRun(10_000, "2019-07", "postgresql 15.2", "7.0 s")
    done.rows = [
        Row("close-month 2019-07 (compute + write)", 1, 9120.4, 9120.4),
        Row("json.dumps(package)", 3, 812.0, 840.5, size_bytes=3 * 2**20),
        Row("package_workbook", note="skipped: keyproj.opendata.flat has not landed"),
    ]

    text = table(done)

    assert "10,000 projects, 2019-07" in text
    assert "9,120.4" in text and "3,145,728 B (3.0 MiB)" in text
    assert "skipped" in text and "7.0 s" in text


@pytest.mark.django_db
def test_a_small_run_publishes_each_month_in_order_and_a_second_run_reuses_them():
    done = bench_opendata.run(12, months=2, runs=1, say=lambda message: None)

    closes = MonthClose.objects.filter(year=2019).order_by("month")
    assert [(c.month, c.status, bool(c.snapshot.get("notice"))) for c in closes] == [
        (1, CloseStatus.CLOSED, True),
        (2, CloseStatus.CLOSED, True),
    ]
    measured = [r.what for r in done.rows]
    assert "close-month 2019-02 (compute + write)" in measured
    assert any(w.startswith("snapshot 2019-02") for w in measured)
    assert done.generation != "reused"

    again = bench_opendata.run(12, months=2, runs=1, say=lambda message: None)

    assert again.generation == "reused"
    # The July-like last month was timed again in a rolled-back transaction: its close stands as issued.
    assert any("rolled back" in r.what for r in again.rows)
    versions = list(MonthClose.objects.filter(year=2019).order_by("month").values_list("pk", "version"))
    assert versions == [(c.pk, c.version) for c in closes]

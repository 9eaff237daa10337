"""Timing and the results table every benchmark prints."""

from __future__ import annotations

import math
import platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection


@dataclass
class Result:
    """One measured thing: its median and 95th percentile over the timed runs, against a target."""

    what: str
    n: int
    backend: str
    runs: int
    median_ms: float
    p95_ms: float
    target_ms: float | None = None

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return "-"
        return "pass" if self.p95_ms <= self.target_ms else "miss"

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "verdict": self.verdict}


def p95(samples: list[float]) -> float:
    """The 95th percentile by nearest rank: with 20 runs, the second slowest."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def measure(run: Callable[[], dict[str, float]], *, runs: int, warmup: int) -> dict[str, tuple[float, float]]:
    """Call `run` warmup + runs times; it returns named durations in seconds. Gives (median, p95) in ms."""
    for _ in range(warmup):
        run()
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        for name, seconds in run().items():
            samples.setdefault(name, []).append(seconds * 1000)
    return {name: (statistics.median(values), p95(values)) for name, values in samples.items()}


class Stopwatch:
    """Named laps, which may nest: `with watch("total"): with watch("summary"): ...`, then `watch.laps`."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.laps[name] = self.laps.get(name, 0.0) + time.perf_counter() - start


def time_page(client: Any, url: str, *, runs: int, warmup: int) -> tuple[float, float]:
    """Median and p95 (ms) of a page's server time through Django's test client; anything but 200 stops the bench."""

    def once() -> dict[str, float]:
        watch = Stopwatch()
        with watch("total"):
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} 返回 {response.status_code}")
        return watch.laps

    return measure(once, runs=runs, warmup=warmup)["total"]


def backend_name() -> str:
    """The database vendor and its version, e.g. `postgresql 15.2` or `sqlite 3.40.1`."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        version = connection.pg_version  # e.g. 150002
        return f"postgresql {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version}"
    return connection.vendor


def machine() -> str:
    import os

    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(results: list[Result]) -> str:
    """The results as a plain-text table (ASCII labels, so that the columns line up)."""
    header = ("what", "N", "backend", "runs", "median ms", "p95 ms", "target", "result")
    rows = [
        (
            r.what,
            f"{r.n:,}",
            r.backend,
            str(r.runs),
            f"{r.median_ms:.1f}",
            f"{r.p95_ms:.1f}",
            "-" if r.target_ms is None else f"{r.target_ms:,.0f} ms",
            r.verdict,
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    numeric = {1, 3, 4, 5, 6}

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])

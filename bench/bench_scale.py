"""`python -m bench scale`: issue 15's table — the figures, the pages, an approval and an import at
10,000, 100,000 and 1,000,000 projects on PostgreSQL, beside DuckDB's scan of the same rows.

For each size the database is emptied and generated afresh (by COPY, bench/generate.py),
then, as the office admin unless said otherwise, each measurement gets warm-up runs and
timed runs (median and p95, bench/report.py):

* the city summary with its three breakdowns (district, category, responsible unit), and
  the same for Siming's district officer (bench/bench_summary.py's `figures_once`);
* DuckDB in-process: the same sums (annual plan, plan and actual to date, count) for the
  city and the three breakdowns over the same month's per-project rollup rows, loaded
  untimed from a COPY of ProjectMonth joined to the projects' district, category and unit;
  the table shows DuckDB's time over keyproj's;
* pages through Django's test Client, in-process (server time, no network): the home page,
  the register's first page sorted by completion rate (完成序时进度计划) and the page its own
  "last page" link points to, and a project page;
* approving one submitted return through keyproj.returns.services (its rollup refresh
  included), each run rolled back so the data stays as generated;
* importing a 10,000-row returns workbook (bench/bench_import.py).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from bench import bench_import
from bench.bench_summary import figures_once
from bench.generate import ADMIN_USERNAME, DISTRICT_USERNAME, YEAR, generate
from bench.report import Result, Stopwatch, backend_name, measure, time_page
from keyproj.accounts.models import User
from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.metrics.models import ProjectMonth
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import approve_return

HOST = "bench.invalid"  # DEBUG is off, as on a server, so the host must be allowed
MILLION = 1_000_000
REGISTER = "/projects/"
BY_RATE = "schedule_rate"  # the register's sort key for 完成序时进度计划 (keyproj/projects/views/register.py)

# What each row measures, and its target as the issue words it.
CITY = "city summary + 3 breakdowns"
DUCKDB = "  DuckDB: the same sums"
RATIO = "  DuckDB time / keyproj time"
DISTRICT = "district officer's summary"
HOME = "home page /"
FIRST = "register p.1 by completion rate"
LAST = "register last page, same sort"
PROJECT = "project page"
APPROVE = "approve one return"
IMPORT = "import 10,000 returns --approve"
TARGETS = {
    CITY: "<20 ms at 10k, <50 ms at 1M",
    RATIO: ">=10 at 1M",
    HOME: "<300 ms at 1M",
    FIRST: "<300 ms at 1M",
    LAST: "<300 ms at 1M",
    PROJECT: "<300 ms at 1M",
    APPROVE: "<50 ms",
    IMPORT: "<3 s (issue 2)",
}
PAGES = (HOME, FIRST, LAST, PROJECT)


def target_ms(what: str, projects: int) -> float | None:
    """The issue's limit for this row at this size; None where it names none."""
    if what == CITY:
        return 20.0 if projects <= 10_000 else 50.0 if projects >= MILLION else None
    if what in PAGES:
        return 300.0 if projects >= MILLION else None
    if what == APPROVE:
        return 50.0
    return None


@dataclass
class SizeRun:
    """Everything measured at one size."""

    projects: int
    generation: str = ""
    results: list[Result] = field(default_factory=list)
    ratio: tuple[float, float] | None = None  # DuckDB / keyproj, of the medians and of the p95s


def run(
    sizes: list[int],
    *,
    months: int = 7,
    seed: int = 2019,
    runs: int = 20,
    warmup: int = 3,
    import_runs: int = 3,
    import_rows: int = 10_000,
    say: Callable[[str], None] = print,
) -> list[SizeRun]:
    if connection.vendor != "postgresql":
        raise SystemExit(
            "bench scale 只在 PostgreSQL 上运行（COPY 和 DuckDB 对比都针对它）：请设置 KEYPROJ_DATABASE_URL"
        )
    done: list[SizeRun] = []
    for size in sizes:
        say(f"\n== {size:,} projects ==")
        started = time.perf_counter()
        report = generate(size, months=months, seed=seed, reset=True, progress=say)
        seconds = time.perf_counter() - started
        rows = sum(v for k, v in report.counts.items() if k != "rollup rows")
        at = SizeRun(size, f"{seconds:,.0f} s, {rows / report.phases['rows']:,.0f} rows/s by COPY")
        say(str(report))
        at.results.extend(_figures(size, Period(YEAR, months), runs=runs, warmup=warmup, at=at))
        at.results.extend(_pages(size, Period(YEAR, months), runs=runs, warmup=warmup))
        if months < 12:
            at.results.append(_approval(size, Period(YEAR, months + 1), runs=runs, warmup=warmup))
        if bench_import.available():
            # The first row is the import of new returns; the second (the same file again) is not asked for.
            at.results.append(bench_import.run(rows=min(import_rows, size), runs=import_runs, month=months + 1)[0])
        done.append(at)
        say(table(done))
    return done


# -- the figures, and DuckDB beside them ------------------------------------------------------------


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _figures(size: int, period: Period, *, runs: int, warmup: int, at: SizeRun) -> list[Result]:
    backend = backend_name()
    results = []
    for what, username in ((CITY, ADMIN_USERNAME), (DISTRICT, DISTRICT_USERNAME)):
        pk = _user(username).pk

        def once(pk: int = pk) -> dict[str, float]:
            user = User.objects.get(pk=pk)  # a fresh object: no cached scope, as in a new request
            watch = Stopwatch()
            with watch("total"):
                figures_once(user, period)
            return watch.laps

        median, p95 = measure(once, runs=runs, warmup=warmup)["total"]
        results.append(Result(what, size, backend, runs, median, p95, target_ms(what, size)))
    duck = _duckdb(size, period, runs=runs, warmup=warmup)
    results.insert(1, duck)
    at.ratio = (duck.median_ms / results[0].median_ms, duck.p95_ms / results[0].p95_ms)
    return results


_SUMS = "sum(annual_plan), sum(plan_to_date), sum(actual_to_date), count(*)"


def _duckdb(size: int, period: Period, *, runs: int, warmup: int) -> Result:
    """DuckDB's time for the same four aggregations over the same rows, loaded untimed."""
    import duckdb

    rollup, projects = ProjectMonth._meta.db_table, Project._meta.db_table
    query = (
        f"COPY (SELECT p.district_id, p.category_id, p.responsible_unit_id,"
        f" m.annual_plan, m.plan_to_date, m.actual_to_date"
        f" FROM {rollup} m JOIN {projects} p ON p.id = m.project_id"
        f" WHERE m.year = {int(period.year)} AND m.month = {int(period.month)}) TO STDOUT WITH (FORMAT csv)"
    )
    with tempfile.TemporaryDirectory(prefix="keyproj-bench-") as tmp:
        path = Path(tmp) / "rollup.csv"
        with path.open("wb") as out, connection.cursor() as cursor, cursor.cursor.copy(query) as copy:
            for data in copy:
                out.write(data)
        duck = duckdb.connect()
        money = "DECIMAL(14,2)"
        duck.execute(
            "CREATE TABLE months AS SELECT * FROM read_csv(?, header = false, columns = {"
            f"'district_id': 'BIGINT', 'category_id': 'BIGINT', 'responsible_unit_id': 'BIGINT',"
            f" 'annual_plan': '{money}', 'plan_to_date': '{money}', 'actual_to_date': '{money}'}})",
            [str(path)],
        )
    statements = [f"SELECT {_SUMS} FROM months"] + [
        f"SELECT {column}, {_SUMS} FROM months GROUP BY {column}"
        for column in ("district_id", "category_id", "responsible_unit_id")
    ]
    city = duck.execute(statements[0]).fetchone()
    mine = summary(_user(ADMIN_USERNAME), period)
    if city is None or Decimal(city[2]) != mine.actual_to_date:
        print(f"注意：DuckDB 的全市累计完成 {city and city[2]} 与 keyproj 的 {mine.actual_to_date} 不同")

    def once() -> dict[str, float]:
        watch = Stopwatch()
        with watch("total"):
            for statement in statements:
                duck.execute(statement).fetchall()
        return watch.laps

    median, p95 = measure(once, runs=runs, warmup=warmup)["total"]
    duck.close()
    return Result(DUCKDB, size, f"duckdb {duckdb.__version__}", runs, median, p95)


# -- the pages -------------------------------------------------------------------------------------


class _Pager(HTMLParser):
    """The links of a page's pager (<nav class="pager">), with their text and rel."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # >0 inside the pager
        self.links: list[tuple[str, str, str]] = []  # (href, text, rel)
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if self.depth:
            self.depth += tag != "a" and tag not in ("br", "img", "input")
        elif tag == "nav" and "pager" in named.get("class", "").split():
            self.depth = 1
        if self.depth and tag == "a" and named.get("href"):
            self.links.append((named["href"], "", named.get("rel", "")))
            self._open = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            href, _, rel = self.links[-1]
            self.links[-1] = (href, "".join(self._open).strip(), rel)
            self._open = None
        elif self.depth and tag != "a":
            self.depth -= 1


def last_page_url(html: str, url: str) -> str:
    """Where the page's own "last page" link points: a link marked last (rel or 末页/尾页), else the
    highest page number, else the pager's last link; the page itself when it has no pager."""
    pager = _Pager()
    pager.feed(html)
    if not pager.links:
        return url
    marked = [href for href, text, rel in pager.links if "last" in rel.split() or text in ("末页", "尾页", "最后一页")]
    numbered = [(int(text), href) for href, text, _ in pager.links if text.isdigit()]
    href = marked[-1] if marked else max(numbered)[1] if numbered else pager.links[-1][0]
    return urljoin(url, href)


def _pages(size: int, period: Period, *, runs: int, warmup: int) -> list[Result]:
    backend = backend_name()
    with override_settings(ALLOWED_HOSTS=[HOST]):
        client = Client(SERVER_NAME=HOST)
        client.force_login(_user(ADMIN_USERNAME))
        first = f"{REGISTER}?period={period}&sort={BY_RATE}"
        response = client.get(first)
        if response.status_code != 200:
            raise SystemExit(f"{first} 返回 {response.status_code}")
        last = last_page_url(response.content.decode(), first)
        middle = Project.objects.order_by("pk").values_list("pk", flat=True)[size // 2]
        urls = (
            (HOME, f"/?period={period}"),
            (FIRST, first),
            (LAST, last),
            (PROJECT, f"{REGISTER}{middle}/?period={period}"),
        )
        print(f"  pages: {', '.join(url for _, url in urls)}")
        results = []
        for what, url in urls:
            median, p95 = time_page(client, url, runs=runs, warmup=warmup)
            results.append(Result(what, size, backend, runs, median, p95, target_ms(what, size)))
    return results


# -- approving one return --------------------------------------------------------------------------


def _approval(size: int, period: Period, *, runs: int, warmup: int) -> Result:
    """Approve one submitted return of the month after the generated ones; every run rolled back."""
    project = Project.objects.order_by("pk")[size // 3]
    ProgressReturn.objects.filter(project=project, year=period.year, month=period.month).delete()
    submitted = ProgressReturn.objects.create(
        project=project,
        year=period.year,
        month=period.month,
        investment=Decimal("123.45"),
        physical_progress="主体结构施工",
        started=True,
        status=ReturnStatus.SUBMITTED,
    )
    admin = _user(ADMIN_USERNAME).pk

    def once() -> dict[str, float]:
        watch = Stopwatch()
        with transaction.atomic():
            ret = ProgressReturn.objects.select_related("project").get(pk=submitted.pk)
            user = User.objects.get(pk=admin)
            with watch("total"):
                approve_return(ret, user=user)
            transaction.set_rollback(True)
        return watch.laps

    try:
        median, p95 = measure(once, runs=runs, warmup=warmup)["total"]
    finally:
        submitted.delete()
    return Result(APPROVE, size, backend_name(), runs, median, p95, target_ms(APPROVE, size))


# -- the table -------------------------------------------------------------------------------------


def _cell(result: Result | None) -> str:
    if result is None:
        return "-"
    verdict = "" if result.target_ms is None else f" {result.verdict}"
    return f"{result.median_ms:,.1f} / {result.p95_ms:,.1f}{verdict}"


def table(done: list[SizeRun]) -> str:
    """One row per measurement, one column per size: median / p95 in ms, and pass/miss where the
    issue sets a target at that size."""
    order = [CITY, DUCKDB, RATIO, DISTRICT, HOME, FIRST, LAST, PROJECT, APPROVE, IMPORT]
    extra = [r.what for at in done for r in at.results if r.what not in order]
    header = ["ms: median / p95", *(f"{at.projects:,}" for at in done), "target"]
    rows = [["generate (COPY, rollups, analyze)", *(at.generation for at in done), "minutes, not hours"]]
    for what in [*order, *dict.fromkeys(extra)]:
        cells = []
        for at in done:
            if what == RATIO:
                ratio = at.ratio
                passed = "" if at.projects < MILLION or ratio is None else " pass" if ratio[1] >= 10 else " miss"
                cells.append("-" if ratio is None else f"{ratio[0]:.2f} / {ratio[1]:.2f}{passed}")
            else:
                cells.append(_cell(next((r for r in at.results if r.what == what), None)))
        rows.append([what, *cells, TARGETS.get(what, "")])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in (0, len(row) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])


def as_json(done: list[SizeRun]) -> list[dict[str, object]]:
    return [
        {
            "projects": at.projects,
            "generation": at.generation,
            "duckdb_over_keyproj": {"median": at.ratio[0], "p95": at.ratio[1]} if at.ratio else None,
            "results": [r.as_json() for r in at.results],
        }
        for at in done
    ]

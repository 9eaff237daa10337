"""`python -m bench opendata`: the size and time of closing a month and exporting it as OC4IDS (issue 16).

On N generated projects (bench/generate.py; reused when the database already holds exactly N
with the last month's returns), every month up to the last generated one (July by default) is
closed in order through the real services (`close_month`, then `issue_close_notice`, which
takes a 文号 and renders the 通报's .docx and .pdf), each timed once. Then, on the last month:

* the close itself (compute + write), once; when the months were already closed (a reused
  database) the close is timed again in a transaction that is rolled back;
* the public block the close freezes (keyproj.supervision.publication.public_projects), alone;
* the snapshot's size: its JSON in bytes (UTF-8), the public block's share, and what
  PostgreSQL stores (pg_column_size, after its own compression);
* `keyproj.opendata.oc4ids.build_package(period)`, its peak Python memory (tracemalloc, in a
  run of its own, since tracing slows it) and the process's peak RSS;
* `json.dumps` of the package: time, bytes, and gzip's bytes and time;
* `keyproj.opendata.flat.package_workbook(package)`: time and bytes;
* the public month page `/public/YYYY-MM/` and one project's page `/public/YYYY-MM/projects/<code>/`
  through Django's test Client (host 127.0.0.1, KEYPROJ_PUBLIC on), with the cache emptied
  before each request (cold) and after one request (warm);
* the public JSON download `/public/YYYY-MM/oc4ids.json`: the first request, which builds the
  month's files and stores them (keyproj.opendata.files), and later ones, which stream the
  stored file, each without and with Accept-Encoding: gzip; the workbook's stored file too;
* the API `/api/v1/open-data/oc4ids/?period=YYYY-MM` with the site not public, as the office
  admin (the stored download) and as a district officer (a package built per request, scoped);
* the process's peak RSS.

A request still slower than a second once warm is profiled (top 10 functions).

A part whose code is not there yet is reported as skipped. Cheap parts are timed `runs`
times (median and the slowest; once when one run takes over 20 s); the close and the 通报
once. `--profile` adds a cProfile of the close's compute, build_package and
package_workbook, the top functions by cumulative time.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import gzip
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from bench.generate import ADMIN_USERNAME, DEFAULT_MONTHS, DEFAULT_SEED, DISTRICT_USERNAME, YEAR, generate
from bench.report import backend_name
from keyproj.accounts.models import User
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.opendata import files
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn
from keyproj.supervision import compute as computing
from keyproj.supervision.models import CloseStatus, MonthClose, PublishedProject
from keyproj.supervision.publication import public_projects
from keyproj.supervision.services import close_month, issue_close_notice

HOST = "127.0.0.1"
# Generated months fall short of the completeness rule where the generator leaves 5 % of projects
# silent; the close records this reason then, and drops it when the rule is met.
OVERRIDE = "基准测试：生成的数据，按月关账以测量导出"
# A part slower than this is timed once: three runs of a minute tell nothing one does not.
EXPENSIVE_MS = 20_000.0
# A request still slower than this once built and cached is profiled (top 10 by cumulative time).
SLOW_WARM_MS = 1_000.0


@dataclass
class Row:
    """One line of the table: a time (median and slowest of `runs`), a size, or both."""

    what: str
    runs: int = 0
    median_ms: float | None = None
    max_ms: float | None = None
    size_bytes: int | None = None
    note: str = ""


@dataclass
class OpenDataRun:
    """Everything measured at one size."""

    projects: int
    period: str
    backend: str
    generation: str = ""
    rows: list[Row] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)

    def add(self, row: Row, say: Callable[[str], None]) -> None:
        self.rows.append(row)
        say(f"  {_line(row)}")

    def as_json(self) -> dict[str, Any]:
        return {
            "projects": self.projects,
            "period": self.period,
            "backend": self.backend,
            "generation": self.generation,
            "rows": [asdict(r) for r in self.rows],
        }


def _after_deadline(period: Period) -> dt.date:
    """A business day after the month's returns deadline, when the close is allowed."""
    return period.next().first_day + dt.timedelta(days=20)


def _once(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Call fn once; (milliseconds, its result)."""
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


def _repeat(fn: Callable[[], Any], runs: int) -> tuple[int, float, float, Any]:
    """Time fn `runs` times, or once if that once takes over EXPENSIVE_MS: (runs, median ms, slowest ms, result)."""
    samples: list[float] = []
    value: Any = None
    while len(samples) < max(runs, 1) and not (samples and samples[0] > EXPENSIVE_MS):
        started = time.perf_counter()
        value = fn()
        samples.append((time.perf_counter() - started) * 1000)
    return len(samples), statistics.median(samples), max(samples), value


def _profile(fn: Callable[[], Any], top: int = 25, *, within: str = "") -> str:
    """cProfile of one call of fn: the top functions by cumulative time, then by own time.

    `within` (a regular expression on file paths) keeps only those functions in the cumulative
    list, so that a request's profile is not ten lines of the test Client and middleware.
    """
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(*([within] if within else []), top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# -- the data and the closes ---------------------------------------------------------------------


def prepare(projects: int, *, months: int, seed: int, say: Callable[[str], None]) -> str:
    """Generate N projects unless the database already holds exactly N with the last month's returns."""
    have = Project.objects.count()
    if have == projects and ProgressReturn.objects.filter(year=YEAR, month=months).exists():
        say(f"reusing the {projects:,} generated projects already in the database")
        return "reused"
    started = time.perf_counter()
    report = generate(projects, months=months, seed=seed, reset=True, progress=say)
    say(str(report))
    return f"{time.perf_counter() - started:,.1f} s"


def _published(period: Period) -> MonthClose | None:
    close = MonthClose.objects.filter(year=period.year, month=period.month).first()
    if close is not None and close.status == CloseStatus.CLOSED and close.snapshot.get("notice"):
        return close
    return None


def close_up_to(last: Period, run: OpenDataRun, say: Callable[[str], None]) -> bool:
    """Close and issue every month of the year up to `last`, in order; time each. True if `last` was closed here."""
    earlier: list[tuple[float, float]] = []
    closed_last = False
    for month in range(1, last.month + 1):
        period = Period(last.year, month)
        if _published(period) is not None:
            continue
        today = _after_deadline(period)
        existing = MonthClose.objects.filter(year=period.year, month=period.month).first()
        close_ms = 0.0
        if existing is None or existing.status != CloseStatus.CLOSED:
            close_ms, outcome = _once(
                lambda p=period, d=today: close_month(p, user=CONSOLE, today=d, override_reason=OVERRIDE)
            )
            close = outcome.close
        else:
            close = existing
        issue_ms, _ = _once(lambda c=close, d=today: issue_close_notice(c, user=CONSOLE, today=d))
        say(f"  closed {period}: close {close_ms:,.0f} ms, notice {issue_ms:,.0f} ms")
        if period == last:
            closed_last = close_ms > 0
            if closed_last:
                run.add(Row(f"close-month {period} (compute + write)", 1, close_ms, close_ms), say)
            run.add(Row(f"issue the notice {period} (docx + pdf)", 1, issue_ms, issue_ms), say)
        else:
            earlier.append((close_ms, issue_ms))
    if earlier:
        total = sum(c + i for c, i in earlier)
        closes = sorted(c for c, _ in earlier)
        issues = sorted(i for _, i in earlier)
        run.add(
            Row(
                f"close + issue {len(earlier)} earlier months",
                len(earlier),
                total / len(earlier),
                max(c + i for c, i in earlier),
                note=f"total {total / 1000:,.1f} s; close median {closes[len(closes) // 2]:,.0f} ms,"
                f" notice median {issues[len(issues) // 2]:,.0f} ms",
            ),
            say,
        )
    return closed_last


class _Rollback(Exception):
    """Leaves the atomic block so that the re-close is undone."""


def reclose_once(period: Period) -> float:
    """The close of an already closed month timed from scratch, in a transaction rolled back (ms)."""
    elapsed = 0.0
    try:
        with transaction.atomic():
            MonthClose.objects.filter(year=period.year, month=period.month).delete()
            elapsed, _ = _once(
                lambda: close_month(period, user=CONSOLE, today=_after_deadline(period), override_reason=OVERRIDE)
            )
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def snapshot_sizes(close: MonthClose, run: OpenDataRun, say: Callable[[str], None]) -> None:
    """The snapshot's JSON in bytes, the public block's part of it, and PostgreSQL's stored size."""
    whole = len(json.dumps(close.snapshot, ensure_ascii=False).encode())
    stored = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT pg_column_size(snapshot) FROM {MonthClose._meta.db_table} WHERE id = %s", [close.pk]
            )
            stored = f"stored (pg_column_size, compressed) {cursor.fetchone()[0]:,} B"
    run.add(Row(f"snapshot {close.period}, JSON", size_bytes=whole, note=stored), say)
    # The public part is no longer in the snapshot but in one PublishedProject row per project beside it.
    rows = PublishedProject.objects.filter(close=close)
    count = rows.count()
    text = sum(len(json.dumps(data, ensure_ascii=False).encode()) for data in rows.values_list("data", flat=True))
    stored = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT coalesce(sum(pg_column_size(data)), 0) FROM {PublishedProject._meta.db_table}"
                " WHERE close_id = %s",
                [close.pk],
            )
            stored = f"; data stored (pg_column_size) {cursor.fetchone()[0]:,} B"
    run.add(
        Row(f"published rows {close.period}, data JSON", size_bytes=text, note=f"{count:,} rows{stored}"),
        say,
    )


def snapshot_reads(period: Period, run: OpenDataRun, *, runs: int, say: Callable[[str], None]) -> None:
    """What reading published months costs: one close with its snapshot, and the year's up to the month.

    Whatever reads a month from its snapshot (the export, the public page on a cold cache) pays
    for fetching and parsing the whole JSON, however little of it is used.
    """
    n, median, slowest, _ = _repeat(lambda: MonthClose.objects.get(year=period.year, month=period.month), runs)
    run.add(Row(f"read the close of {period}, snapshot parsed", n, median, slowest), say)
    n, median, slowest, closes = _repeat(
        lambda: list(MonthClose.objects.filter(year=period.year, month__lte=period.month)), runs
    )
    run.add(
        Row(f"read the {len(closes)} closes of {period.year} to {period}, snapshots parsed", n, median, slowest), say
    )


# -- the export ----------------------------------------------------------------------------------


def _module(name: str) -> Any:
    """The module if it is there (another part of the issue may not have landed yet), else None."""
    import importlib

    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


def _peak_memory(fn: Callable[[], Any]) -> tuple[int, int]:
    """(peak Python allocation during fn per tracemalloc, the process's peak RSS after it), in bytes."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def export(period: Period, run: OpenDataRun, *, runs: int, profile: bool, say: Callable[[str], None]) -> None:
    """build_package, its JSON and gzip, and the workbook."""
    oc4ids = _module("keyproj.opendata.oc4ids")
    if oc4ids is None or not hasattr(oc4ids, "build_package"):
        run.add(Row("build_package", note="skipped: keyproj.opendata.oc4ids has not landed"), say)
        return
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    n, median, slowest, package = _repeat(lambda: oc4ids.build_package(period), runs)
    projects = len(package.get("projects", []))
    run.add(Row(f"build_package({period})", n, median, slowest, note=f"{projects:,} projects"), say)
    peak, rss = _peak_memory(lambda: oc4ids.build_package(period))
    run.add(
        Row(
            "  peak memory of build_package",
            size_bytes=peak,
            note=f"tracemalloc peak; process max RSS {rss / 2**20:,.0f} MiB"
            f" (before the export {rss_before / 2**20:,.0f} MiB)",
        ),
        say,
    )
    if profile:
        run.profiles["build_package"] = _profile(lambda: oc4ids.build_package(period))

    n, median, slowest, text = _repeat(lambda: json.dumps(package, ensure_ascii=False).encode(), runs)
    run.add(Row("json.dumps(package)", n, median, slowest, size_bytes=len(text), note="UTF-8"), say)
    n, median, slowest, packed = _repeat(lambda: gzip.compress(text, compresslevel=6), runs)
    run.add(
        Row(
            "  gzip -6 of the JSON",
            n,
            median,
            slowest,
            size_bytes=len(packed),
            note=f"{len(text) / len(packed):.1f}x",
        ),
        say,
    )

    flat = _module("keyproj.opendata.flat")
    if flat is None or not hasattr(flat, "package_workbook"):
        run.add(Row("package_workbook", note="skipped: keyproj.opendata.flat has not landed"), say)
        return
    n, median, slowest, book = _repeat(lambda: flat.package_workbook(package), runs)
    size = len(book) if isinstance(book, bytes | bytearray) else None
    run.add(Row("package_workbook(package)", n, median, slowest, size_bytes=size, note=".xlsx"), say)
    if profile:
        run.profiles["package_workbook"] = _profile(lambda: flat.package_workbook(package))


def public_page(period: Period, run: OpenDataRun, *, runs: int, say: Callable[[str], None]) -> None:
    """The public month page through the test Client, cold (cache emptied) and warm."""
    if _module("keyproj.opendata.urls") is None:
        run.add(Row(f"GET /public/{period}/", note="skipped: keyproj/opendata/urls.py has not landed"), say)
        return
    url = f"/public/{period}/"
    with override_settings(KEYPROJ_PUBLIC=True, ALLOWED_HOSTS=[HOST, "localhost", "testserver"]):
        clear_url_caches()  # the public URLs may be mounted only when the site is public
        try:
            try:
                resolve(url)
            except Resolver404:
                run.add(Row(f"GET {url}", note="skipped: not routed (is KEYPROJ_PUBLIC read at start-up?)"), say)
                return
            client = Client(HTTP_HOST=HOST)

            def get() -> int:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} 返回 {response.status_code}")
                return len(response.content)

            def cold() -> int:
                cache.clear()
                return get()

            n, median, slowest, size = _repeat(cold, runs)
            run.add(Row(f"GET {url}, cold cache", n, median, slowest, size_bytes=size, note="HTML"), say)
            get()
            n, median, slowest, size = _repeat(get, max(runs, 10))
            run.add(Row(f"GET {url}, warm cache", n, median, slowest, size_bytes=size), say)
        finally:
            clear_url_caches()


def _public() -> Any:
    """Settings of a public site answering on HOST (the public URLs are mounted per request)."""
    return override_settings(KEYPROJ_PUBLIC=True, ALLOWED_HOSTS=[HOST, "localhost", "testserver"])


def _body(response: Any) -> int:
    """Bytes of a response as sent, a streamed file read to its end (what a client waits for).

    Reading a streamed body to its end closes it: the test client wraps the stream so that its end
    closes the response with `close_old_connections` held back. Closing it again here would send
    `request_finished` with that handler live, which closes a PostgreSQL connection that is inside a
    transaction (a test's, or the bench's rolled-back one) under the code still using it.
    """
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _get(client: Client, url: str, **headers: str) -> int:
    response = client.get(url, **headers)
    if response.status_code != 200:
        raise SystemExit(f"{url} 返回 {response.status_code}")
    return _body(response)


def _rss() -> str:
    return f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:,.0f} MiB"


def _warm(
    what: str, fn: Callable[[], int], run: OpenDataRun, *, runs: int, say: Callable[[str], None], note: str = ""
) -> None:
    """A warm request timed `runs` times; one over SLOW_WARM_MS gets a cProfile (top 10) in the run's profiles."""
    n, median, slowest, size = _repeat(fn, runs)
    run.add(Row(what, n, median, slowest, size_bytes=size, note=note), say)
    if median > SLOW_WARM_MS:
        run.profiles[what] = _profile(fn, top=10, within=r"keyproj/|rest_framework/")


def public_project_page(period: Period, run: OpenDataRun, *, runs: int, say: Callable[[str], None]) -> None:
    """One project's public page, cold (cache emptied) and warm; the project is the month's first published one."""
    row = PublishedProject.objects.filter(close__year=period.year, close__month=period.month).order_by("code").first()
    if row is None:
        run.add(Row(f"GET /public/{period}/projects/<code>/", note="skipped: no published row"), say)
        return
    url = f"/public/{period}/projects/{row.code}/"
    with _public():
        client = Client(HTTP_HOST=HOST)

        def cold() -> int:
            cache.clear()
            return _get(client, url)

        n, median, slowest, size = _repeat(cold, runs)
        run.add(Row(f"GET /public/{period}/projects/<code>/, cold cache", n, median, slowest, size, "HTML"), say)
        _get(client, url)
        _warm(
            f"GET /public/{period}/projects/<code>/, warm cache",
            lambda: _get(client, url),
            run,
            runs=max(runs, 10),
            say=say,
        )


def _forget_downloads(media: str) -> None:
    """Remove every stored download under the bench's own MEDIA_ROOT, so that the next request builds them.

    The whole folder, whatever files.py lays out inside it (files, a manifest): the bench's media is its own.
    """
    shutil.rmtree(os.path.join(media, files.FOLDER), ignore_errors=True)


def downloads(close: MonthClose, run: OpenDataRun, *, runs: int, say: Callable[[str], None]) -> None:
    """The public JSON download: the first request builds and stores the files, later ones stream them.

    Both with and without Accept-Encoding: gzip; the stored files go to a temporary MEDIA_ROOT
    removed afterwards, so that a run (or the test of this module) leaves nothing in var/media.
    """
    period = Period(close.year, close.month)
    url = f"/public/{period}/oc4ids.json"
    gz = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
    media = tempfile.mkdtemp(prefix="bench-opendata-")
    try:
        with _public(), override_settings(MEDIA_ROOT=media):
            client = Client(HTTP_HOST=HOST)
            for label, headers in (("", {}), (", gzip", gz)):
                _forget_downloads(media)
                elapsed, size = _once(lambda h=headers: _get(client, url, **h))
                run.add(
                    Row(f"GET {url}{label}, first (builds + stores)", 1, elapsed, elapsed, size, _rss()),
                    say,
                )
                _warm(
                    f"GET {url}{label}, stored file streamed",
                    lambda h=headers: _get(client, url, **h),
                    run,
                    runs=runs,
                    say=say,
                    note=_rss(),
                )
            xlsx = f"/public/{period}/oc4ids.xlsx"
            _warm(f"GET {xlsx}, stored file streamed", lambda: _get(client, xlsx), run, runs=runs, say=say)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def api(period: Period, run: OpenDataRun, *, runs: int, say: Callable[[str], None]) -> None:
    """GET /api/v1/open-data/oc4ids/ with the site not public: the office's stored file, a district's own build.

    The office admin sees the whole programme and is served the stored download (built by the
    first request); the district officer sees its district only, a package built per request.
    """
    url = f"/api/v1/open-data/oc4ids/?period={period}"
    gz = {"HTTP_ACCEPT_ENCODING": "gzip"}
    media = tempfile.mkdtemp(prefix="bench-opendata-")
    try:
        with override_settings(KEYPROJ_PUBLIC=False, ALLOWED_HOSTS=[HOST, "localhost", "testserver"], MEDIA_ROOT=media):
            for who, username in (("office admin", ADMIN_USERNAME), ("district officer", DISTRICT_USERNAME)):
                user = User.objects.filter(username=username).first()
                if user is None:
                    run.add(Row(f"GET {url} as {who}", note=f"skipped: no user {username}"), say)
                    continue
                client = Client(HTTP_HOST=HOST, HTTP_ACCEPT="application/json")
                client.force_login(user)
                elapsed, size = _once(lambda c=client: _get(c, url))
                run.add(Row(f"GET {url} as {who}, first", 1, elapsed, elapsed, size, _rss()), say)
                kind = "stored file" if who == "office admin" else "built per request, scoped"
                _warm(
                    f"GET {url} as {who}, again",
                    lambda c=client: _get(c, url),
                    run,
                    runs=runs,
                    say=say,
                    note=f"{kind}; {_rss()}",
                )
                _warm(
                    f"GET {url} as {who}, again, gzip",
                    lambda c=client: _get(c, url, **gz),
                    run,
                    runs=runs,
                    say=say,
                    note=kind,
                )
    finally:
        shutil.rmtree(media, ignore_errors=True)


# -- the whole run -------------------------------------------------------------------------------


def run(
    projects: int = 10_000,
    *,
    months: int = DEFAULT_MONTHS,
    seed: int = DEFAULT_SEED,
    runs: int = 3,
    profile: bool = False,
    say: Callable[[str], None] = print,
) -> OpenDataRun:
    """Generate (or reuse), close every month up to `months`, and measure the export of the last one."""
    period = Period(YEAR, months)
    done = OpenDataRun(projects, str(period), backend_name())
    say(f"\n== {projects:,} projects, export of {period} on {done.backend} ==")
    done.generation = prepare(projects, months=months, seed=seed, say=say)
    closed_here = close_up_to(period, done, say)
    if not closed_here:
        elapsed = reclose_once(period)
        done.add(Row(f"close-month {period} (compute + write), re-closed and rolled back", 1, elapsed, elapsed), say)
    close = _published(period)
    if close is None:
        raise SystemExit(f"{period} 未能关账并印发通报")
    figure_rows = close.snapshot.get("projects", [])
    n, median, slowest, _ = _repeat(lambda: public_projects(period, figure_rows), runs)
    done.add(Row("  of which: the published rows (publication.public_projects)", n, median, slowest), say)
    if profile:
        rules = _close_rules()
        done.profiles["close compute"] = _profile(lambda: computing.compute(period, *rules))
    snapshot_sizes(close, done, say)
    snapshot_reads(period, done, runs=runs, say=say)
    export(period, done, runs=runs, profile=profile, say=say)
    public_page(period, done, runs=runs, say=say)
    public_project_page(period, done, runs=runs, say=say)
    downloads(close, done, runs=runs, say=say)
    api(period, done, runs=runs, say=say)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    done.add(Row("peak RSS of the whole run", size_bytes=rss, note="ru_maxrss"), say)
    return done


def _close_rules() -> tuple[Any, Any, Any]:
    from keyproj.supervision.models import CardRule, CompletenessRule, RankingRule

    return CardRule.current(), RankingRule.current(), CompletenessRule.current()


# -- the table -----------------------------------------------------------------------------------


def _bytes(size: int | None) -> str:
    if size is None:
        return "-"
    if size >= 2**20:
        return f"{size:,} B ({size / 2**20:,.1f} MiB)"
    return f"{size:,} B"


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _line(row: Row) -> str:
    return f"{row.what}: {_ms(row.median_ms)} ms (max {_ms(row.max_ms)}), {_bytes(row.size_bytes)} {row.note}".strip()


def table(done: OpenDataRun) -> str:
    """The rows as a plain-text table: what, runs, median and slowest ms, size, note."""
    header = ("what", "runs", "median ms", "max ms", "size", "note")
    rows = [("generate (COPY, rollups, analyze)", "1", "-", "-", "-", done.generation)]
    rows += [
        (r.what, str(r.runs) if r.runs else "-", _ms(r.median_ms), _ms(r.max_ms), _bytes(r.size_bytes), r.note)
        for r in done.rows
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in (1, 2, 3, 4) else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    title = f"{done.projects:,} projects, {done.period}, {done.backend}"
    return "\n".join([title, line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])

"""`python -m bench` (and `make bench`): generate data at scale and time the figures and the import.

    python -m bench                              everything: 10,000 and 100,000 projects
    python -m bench all --sizes 10000            everything, at the sizes given
    python -m bench generate --projects 10000    only fill the database (add --reset to empty it first)
    python -m bench summary                      time the figures on what is there
    python -m bench import                       time the returns import on what is there
    python -m bench import-export                the same file through a generic django-import-export resource
    python -m bench explain                      the query plans of the figures
    python -m bench stack                        the production stack under load, beside `keyproj serve`
    python -m bench opendata --projects 10000    close the months and time the OC4IDS export (PostgreSQL)

The database is whatever KEYPROJ_DATABASE_URL points to. Without it, an SQLite file in a
throwaway directory (KEYPROJ_VAR_DIR, by default <tmp>/keyproj-bench) — never the
checkout's own var/. The benchmarks run with KEYPROJ_DEBUG=0, as a server would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path


def _environment() -> None:
    """Point Django at a bench database and production-like settings, before it reads them."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    if not os.environ.get("KEYPROJ_DATABASE_URL") and not os.environ.get("KEYPROJ_VAR_DIR"):
        os.environ["KEYPROJ_VAR_DIR"] = str(Path(tempfile.gettempdir()) / "keyproj-bench")
    # DEBUG keeps every query's SQL in memory: at 100,000 projects that is gigabytes, and
    # it is not how a server runs. The bench serves no requests, so any secret will do.
    os.environ.setdefault("KEYPROJ_DEBUG", "0")
    os.environ.setdefault("KEYPROJ_SECRET_KEY", "bench-" + secrets.token_urlsafe(32))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="keyproj benchmarks")
    sub = parser.add_subparsers(dest="command")

    everything = sub.add_parser("all", help="generate at each size, then time the figures and the import")
    everything.add_argument("--sizes", default="10000,100000", help="comma-separated project counts")
    everything.add_argument("--json", type=Path, help="also write the results to this file")

    generate = sub.add_parser("generate", help="fill the database with generated projects")
    generate.add_argument("--projects", type=int, required=True)
    generate.add_argument("--reset", action="store_true", help="empty the register first")
    generate.add_argument(
        "--via",
        choices=["copy", "bulk", "services"],
        help="COPY (the default on PostgreSQL), bulk_create (the default elsewhere) or the services",
    )

    sub.add_parser("summary", help="time summary() and its three breakdowns")
    sub.add_parser("pages", help="time the dashboard and register pages")
    sub.add_parser("import", help="time the import of a 10,000-row returns workbook")
    close = sub.add_parser("close", help="time closing a month, notices included (issue 5)")
    close.add_argument("--close-runs", type=int, default=3, help="timed closes (default 3)")
    sub.add_parser("import-export", help="the same workbook through a generic django-import-export resource")
    stack = sub.add_parser("stack", help="load the production stack and `keyproj serve` (PostgreSQL, Redis)")
    stack.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    stack.add_argument("--seconds", type=int, default=60, help="seconds of load per server (default 60)")
    scale = sub.add_parser("scale", help="issue 15's table at 10,000 to 1,000,000 projects, beside DuckDB (PostgreSQL)")
    scale.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated project counts")
    scale.add_argument("--json", type=Path, help="also write the results to this file")
    opendata = sub.add_parser("opendata", help="issue 16: close the months and time the OC4IDS export (PostgreSQL)")
    opendata.add_argument("--projects", type=int, default=10_000, help="generated projects (default 10,000)")
    opendata.add_argument("--runs", type=int, default=3, help="timed runs of each cheap part (default 3)")
    opendata.add_argument("--profile", action="store_true", help="also print cProfiles of the close and the export")
    opendata.add_argument("--json", type=Path, help="also write the results to this file")
    explain = sub.add_parser("explain", help="the query plans of the figures")
    explain.add_argument("--as", dest="actor", choices=["admin", "district"], default="admin")

    for command in (
        everything,
        generate,
        sub.choices["summary"],
        sub.choices["import"],
        sub.choices["import-export"],
        close,
        scale,
        opendata,
    ):
        command.add_argument("--months", type=int, default=7, help="months of returns (default 7)")
    opendata.add_argument("--seed", type=int, default=2019)
    for command in (everything, generate, scale):
        command.add_argument("--seed", type=int, default=2019)
        command.add_argument("--years", type=int, default=1, help="years of plans and returns, ending 2019 (default 1)")
    for command in (everything, sub.choices["summary"], sub.choices["pages"], scale):
        command.add_argument("--runs", type=int, default=20, help="timed runs of the figures (default 20)")
        command.add_argument("--warmup", type=int, default=3)
    for command in (everything, sub.choices["import"], sub.choices["import-export"], scale):
        command.add_argument("--import-runs", type=int, default=3, help="timed imports (default 3)")
        command.add_argument("--rows", type=int, default=10_000, help="rows in the returns workbook")
    return parser


def _sizes(parser: argparse.ArgumentParser, text: str) -> list[int]:
    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes 应为逗号分隔的项目数，而不是“{text}”")


def _check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse sizes the generator cannot make before anything is migrated or written (exit code 2)."""
    from bench.sizes import GeneratorError, check_size

    if args.command not in ("all", "generate", "scale", "opendata"):
        return
    sizes = [args.projects] if args.command in ("generate", "opendata") else _sizes(parser, args.sizes)
    if not sizes:
        parser.error("--sizes 至少要有一个项目数")
    for size in sizes:
        try:
            check_size(size, months=args.months, years=getattr(args, "years", 1))
        except GeneratorError as exc:
            parser.error(str(exc))


def _scale(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.db import connection

    from bench import bench_scale
    from bench.report import machine

    if connection.vendor != "postgresql":
        print(
            "错误：bench scale 只在 PostgreSQL 上运行：请把 KEYPROJ_DATABASE_URL 指向一个基准用的数据库",
            file=sys.stderr,
        )
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    done = bench_scale.run(
        [int(s) for s in args.sizes.split(",") if s.strip()],
        months=args.months,
        seed=args.seed,
        runs=args.runs,
        warmup=args.warmup,
        import_runs=args.import_runs,
        import_rows=args.rows,
    )
    print(f"\n{dt.date.today()} · {machine()} · {done[0].results[0].backend if done[0].results else ''}")
    print(bench_scale.table(done))
    if args.json:
        args.json.write_text(json.dumps(bench_scale.as_json(done), ensure_ascii=False, indent=2))
    return 0


def _opendata(args: argparse.Namespace) -> int:
    from django.core.management import call_command
    from django.db import connection

    from bench import bench_opendata
    from bench.report import machine

    if connection.vendor != "postgresql":
        print(
            "错误：bench opendata 只在 PostgreSQL 上运行：请把 KEYPROJ_DATABASE_URL 指向一个基准用的数据库",
            file=sys.stderr,
        )
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    done = bench_opendata.run(args.projects, months=args.months, seed=args.seed, runs=args.runs, profile=args.profile)
    for name, text in done.profiles.items():
        print(f"\n-- cProfile: {name} --\n{text}")
    print(f"\n{dt.date.today()} · {machine()}")
    print(bench_opendata.table(done))
    if args.json:
        args.json.write_text(json.dumps(done.as_json(), ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        args = parser.parse_args(["all"])
    _check(parser, args)
    _environment()
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command

    from bench import bench_dashboard, bench_import, bench_register, bench_summary
    from bench.generate import GeneratorError, generate
    from bench.report import Result, backend_name, machine, table

    database = settings.DATABASES["default"]
    print(f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")

    if args.command == "explain":
        from bench.generate import ADMIN_USERNAME, DISTRICT_USERNAME

        print(bench_summary.explain(username=ADMIN_USERNAME if args.actor == "admin" else DISTRICT_USERNAME))
        return 0
    if args.command == "stack":
        from bench import bench_stack

        try:
            rows = bench_stack.run(clients=args.clients, seconds=args.seconds)
        except RuntimeError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        print(bench_stack.table(rows))
        return 0
    if args.command == "scale":
        return _scale(args)
    if args.command == "opendata":
        return _opendata(args)
    if args.command == "summary":
        print(table(bench_summary.run(runs=args.runs, warmup=args.warmup)))
        return 0
    if args.command == "pages":
        pages = bench_dashboard.run(runs=args.runs, warmup=args.warmup)
        print(table(pages + bench_register.run(runs=args.runs, warmup=args.warmup)))
        return 0
    if args.command == "import":
        print(table(bench_import.run(rows=args.rows, runs=args.import_runs, month=args.months + 1)))
        return 0
    if args.command == "close":
        from bench import bench_close

        print(table(bench_close.run(runs=args.close_runs, month=args.months)))
        return 0
    if args.command == "import-export":
        from bench import bench_import_export

        print(table(bench_import_export.run(rows=args.rows, runs=args.import_runs, month=args.months + 1)))
        return 0

    call_command("migrate", verbosity=0, interactive=False)
    sizes = [args.projects] if args.command == "generate" else _sizes(parser, args.sizes)
    results: list[Result] = []
    for size in sizes:
        print(f"\n== {size:,} projects on {backend_name()} ==")
        started = time.perf_counter()
        try:
            report = generate(
                size,
                months=args.months,
                seed=args.seed,
                years=args.years,
                via=getattr(args, "via", None),
                reset=getattr(args, "reset", True) if args.command == "generate" else True,
                progress=print,
            )
        except GeneratorError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 1
        print(report)
        seconds = time.perf_counter() - started
        results.append(
            Result(
                f"generate ({report.via}, {report.years} yr, rollup, analyze)",
                size,
                backend_name(),
                1,
                seconds * 1000,
                seconds * 1000,
            )
        )
        if args.command == "generate":
            return 0
        results.extend(bench_summary.run(runs=args.runs, warmup=args.warmup))
        results.extend(bench_dashboard.run(runs=args.runs, warmup=args.warmup))
        results.extend(bench_register.run(runs=args.runs, warmup=args.warmup))
        if bench_import.available():
            results.extend(bench_import.run(rows=min(args.rows, size), runs=args.import_runs, month=args.months + 1))
        else:
            print("导入命令尚不存在（keyproj/exchange）：跳过导入基准")
        print(table([r for r in results if r.n == size]))

    print(f"\n{dt.date.today()} · {machine()}")
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

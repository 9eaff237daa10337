"""The production stack under load, beside `keyproj serve`, in one run (issue 14).

    KEYPROJ_DATABASE_URL=postgres://…/bench KEYPROJ_REDIS_URL=redis://127.0.0.1:6379/5 \
        python -m bench stack [--clients 32] [--seconds 60]

On the database as it is (fill it first with `python -m bench generate --projects 10000`), each
server in turn is started on 127.0.0.1, loaded by locust in headless mode (bench/locustfile.py:
signed-in office users asking for the home page, the register and /api/v1/summary/ with no pause)
for the given time, and stopped:

- the stack: `keyproj stack --processes 1` — gunicorn with its worker processes, the Redis cache,
  the job worker and the scheduler, as docs/deploy.md installs it;
- `keyproj serve`: waitress, one process with threads, as `make run` serves.

Only 127.0.0.1 is ever loaded. The load tool runs on the same two cores as the server, so the
figures are a floor for what a machine with its own load generator would see.
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class Row:
    server: str
    endpoint: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped before answering (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"the server on port {port} did not answer /healthz within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Each server runs in a session of its own, so that its children (gunicorn's workers, the job
    # worker) stop with it.
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _load(port: int, *, clients: int, seconds: int, env: dict[str, str], label: str) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="keyproj-locust-") as folder:
        prefix = str(Path(folder) / "run")
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
                "--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{seconds}s",
                "--host", f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary",
                "--reset-stats", "--loglevel", "WARNING", "--stop-timeout", "10",
            ],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        # The sign-ins happen before the stats are reset; should one be counted, it is not a page.
        if row["Name"] == "login":
            continue
        found.append(
            Row(
                server=label,
                endpoint="all three" if row["Name"] == "Aggregated" else row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=float(row["Requests/s"]),
                p50=float(row["50%"]),
                p95=float(row["95%"]),
                p99=float(row["99%"]),
            )
        )
    return found


def _bench_user_password() -> tuple[str, str]:
    """Give the generator's office user a password for this run (it is made without one)."""
    from bench.generate import ADMIN_USERNAME
    from keyproj.accounts.models import User

    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is None:
        raise RuntimeError("no generated programme here: run `python -m bench generate --projects 10000` first")
    password = secrets.token_urlsafe(16)
    user.set_password(password)
    user.save(update_fields=["password"])
    return ADMIN_USERNAME, password


def run(*, clients: int = 32, seconds: int = 60) -> list[Row]:
    from django.conf import settings
    from django.core.cache import cache

    from keyproj.projects.models import Project

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise RuntimeError("the stack runs on PostgreSQL: set KEYPROJ_DATABASE_URL")
    if not os.environ.get("KEYPROJ_REDIS_URL"):
        raise RuntimeError("the stack caches in Redis: set KEYPROJ_REDIS_URL (e.g. redis://127.0.0.1:6379/5)")
    projects = Project.objects.count()
    username, password = _bench_user_password()
    cache.clear()
    from bench.generate import DEFAULT_MONTHS, YEAR

    period = f"{YEAR}-{DEFAULT_MONTHS:02d}"
    env = {**os.environ, "BENCH_USERNAME": username, "BENCH_PASSWORD": password, "BENCH_PERIOD": period}
    keyproj = str(Path(sys.executable).with_name("keyproj"))
    servers = [
        ("gunicorn stack", lambda port: [keyproj, "stack", "--processes", "1", "--port", str(port)]),
        ("keyproj serve", lambda port: [keyproj, "serve", "--port", str(port), "--no-jobs"]),
    ]
    rows: list[Row] = []
    for label, command in servers:
        port = _free_port()
        print(f"{label}: {projects:,} projects, {clients} clients for {seconds} s on 127.0.0.1:{port} …", flush=True)
        process = subprocess.Popen(
            command(port), env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_healthy(port, process)
            rows.extend(_load(port, clients=clients, seconds=seconds, env=env, label=label))
        finally:
            _stop(process)
    return rows


def table(rows: list[Row]) -> str:
    lines = [
        "| server | endpoint | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r.server} | {r.endpoint} | {r.requests:,} | {r.failures:,} | {r.rps:,.1f} | "
            f"{r.p50:,.0f} | {r.p95:,.0f} | {r.p99:,.0f} |"
        )
    return "\n".join(lines)

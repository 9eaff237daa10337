"""The worker as it runs: a real process, started and stopped (the one test that runs one)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from keyproj.testing import process_environ

STARTUP_SECONDS = 60


@pytest.fixture
def installation(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite installation of its own (the test database is not reachable from another process)."""
    env = process_environ(KEYPROJ_VAR_DIR=str(tmp_path), KEYPROJ_TODAY="2019-09-03", KEYPROJ_WORKERS="1")
    subprocess.run([sys.executable, "-m", "keyproj", "migrate", "--noinput"], env=env, check=True, capture_output=True)
    return env


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def ended(runs: list[tuple]) -> bool:
    return any(code == "deliver_outbox" and status in ("succeeded", "failed", "skipped") for code, status in runs)


def test_the_worker_with_the_scheduler_beats_queues_and_runs_the_due_jobs(installation):
    database = Path(installation["KEYPROJ_VAR_DIR"]) / "keyproj.sqlite3"
    worker = subprocess.Popen(
        [sys.executable, "-m", "keyproj", "worker", "--with-scheduler"],
        env=installation,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        beats: list[tuple] = []
        done: list[tuple] = []
        while time.monotonic() < deadline:
            beats = rows(database, "SELECT name FROM jobs_heartbeat ORDER BY name")
            done = rows(database, "SELECT j.code, r.status FROM jobs_jobrun r JOIN jobs_job j ON j.id = r.job_id")
            if beats == [("scheduler",), ("worker",)] and ended(done):
                break
            time.sleep(0.5)
        assert beats == [("scheduler",), ("worker",)]
        # Message delivery is due every minute, whatever the hour: queued by the scheduler, run by a worker.
        assert ended(done), done
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

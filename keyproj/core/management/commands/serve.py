"""`keyproj serve [--host H] [--port P] [--no-jobs]`: serve the application with waitress.

Unless --no-jobs, the job worker with the schedule (`keyproj worker --with-scheduler`) runs beside it
as a child process, started before serving and stopped when serving stops, so a local run
(`make run`) sends its reminders and delivers its messages without a second command. A deployment
runs the worker as a service of its own and serves with --no-jobs (or gunicorn).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# How long the worker may take to finish its running tasks when serving stops.
WORKER_STOP_SECONDS = 30


def _die_with_parent() -> None:
    """In the child (Linux): be sent SIGTERM when the server dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "keyproj", "worker", "--with-scheduler"],
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


class Command(BaseCommand):
    help = "启动网页服务（waitress），并在旁运行定时任务（--no-jobs 不运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-jobs", action="store_true", help="不在旁运行任务队列和定时任务调度")

    def handle(self, *args: Any, **options: Any) -> None:
        # The server is loaded only when serving, not whenever the command list is read.
        from waitress import serve

        # Static files are served by whitenoise from STATIC_ROOT; collect them first so
        # that a production-mode server (KEYPROJ_DEBUG=0) finds them too. Before the
        # application is loaded: whitenoise lists STATIC_ROOT once, when it starts.
        call_command("collectstatic", interactive=False, verbosity=0)

        from keyproj.wsgi import application  # after collectstatic: see above

        worker = None if options["no_jobs"] else start_worker()
        # SIGTERM (a service manager, `kill`) ends serving as Ctrl+C does, so the worker is stopped too.
        signal.signal(signal.SIGTERM, _interrupt)
        self.stdout.write(f"keyproj 正在运行：http://{options['host']}:{options['port']}/  （Ctrl+C 退出）")
        if worker is not None:
            self.stdout.write("定时任务与任务队列已在旁运行（keyproj worker --with-scheduler）")
        try:
            serve(application, host=options["host"], port=options["port"], threads=options["threads"])
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                stop_worker(worker)

"""`keyproj worker [--with-scheduler]`: run the job queue's workers (django-q2's cluster), and the schedule.

The cluster takes the queued runs from the database and carries them out in its worker processes
(KEYPROJ_WORKERS, 2 by default). This process beats the worker's heartbeat every BEAT_SECONDS while
the cluster lives, and with --with-scheduler also ticks the schedule in a thread of its own, so one
process is enough for a small site or a local run. SIGTERM or Ctrl+C stops the cluster; its running
tasks finish first (up to the queue's timeout).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django import db
from django.core.management.base import BaseCommand, CommandParser

from keyproj.jobs import scheduler
from keyproj.jobs.runner import beat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 30.0


def beating(stop: threading.Event, alive: Any) -> None:
    """Beat the worker's heartbeat while the cluster is alive."""
    while not stop.is_set() and alive():
        db.close_old_connections()
        try:
            beat("worker")
        except Exception:
            logger.exception("worker heartbeat failed")
        finally:
            db.close_old_connections()
        stop.wait(BEAT_SECONDS)


class Command(BaseCommand):
    help = "运行任务队列的工作进程（--with-scheduler 同时运行定时任务调度）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--with-scheduler", action="store_true", help="在同一进程中运行定时任务调度")

    def handle(self, *args: Any, **options: Any) -> None:
        # Not at the top: the cluster module sets up Django when imported, which a command list need not do.
        from django_q.cluster import Cluster

        # The cluster forks its processes from here: none may inherit this process's database connection.
        db.connections.close_all()
        cluster = Cluster()
        cluster.start()
        stop = threading.Event()
        threads = [threading.Thread(target=beating, args=(stop, cluster.sentinel.is_alive), name="heartbeat")]
        if options["with_scheduler"]:
            threads.append(threading.Thread(target=scheduler.loop, args=(stop,), name="scheduler"))
        for thread in threads:
            thread.daemon = True
            thread.start()
        self.stdout.write(
            "任务队列工作进程已启动"
            + ("，定时任务调度同时运行" if options["with_scheduler"] else "")
            + "（Ctrl+C 退出）"
        )
        self.stdout.flush()
        try:
            # The cluster's own signal handlers stop it on SIGTERM and Ctrl+C; this process follows.
            while cluster.sentinel.is_alive():
                time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
            if cluster.sentinel.is_alive():
                cluster.stop()

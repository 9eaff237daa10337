"""`keyproj scheduler [--once]`: queue the jobs that are due, every few seconds (or once, for cron or a test).

The runs it queues are carried out by `keyproj worker`; `keyproj worker --with-scheduler` runs both in
one process. Two schedulers at once are safe (a period's run is queued once), but one is enough.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keyproj.jobs import scheduler


class Command(BaseCommand):
    help = "定时任务调度：按计划把到期的任务放入队列（--once 只检查一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="只检查一次，放入到期的任务后退出")
        parser.add_argument("--every", type=float, default=scheduler.TICK_SECONDS, help="两次检查之间的秒数（默认15）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            runs = scheduler.tick()
            for run in runs:
                self.stdout.write(f"已放入队列：{run.job.label}（{run.job.code}）{run.period} 第{run.attempt}次")
            self.stdout.write(f"共放入队列{len(runs)}个任务")
            return
        stop = threading.Event()
        # Stopped by the service manager (SIGTERM) as by Ctrl+C: the current tick finishes first.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        self.stdout.write("定时任务调度已启动（Ctrl+C 退出）")
        scheduler.loop(stop, seconds=max(1.0, options["every"]))

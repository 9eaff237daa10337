"""`keyproj stack [--processes 2] [--port 8000] [--workers-per-process 2]`: the production stack, locally.

What docs/deploy.md installs with systemd, on one machine and in one terminal: several separate
gunicorn servers (each its own master with its worker processes, on ports port, port+1, …) as a
load balancer would have behind it, the job worker and the scheduler — all on the configured
PostgreSQL database and Redis cache, after `migrate` and `collectstatic`. Ctrl+C or SIGTERM stops
them all. Several masters rather than one: whatever one process keeps to itself (a cache in its
memory, a file on its disk) shows up as a difference between them, as it would between two machines.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

STOP_SECONDS = 30


@dataclass
class Child:
    name: str
    command: list[str]
    address: str = ""
    process: subprocess.Popen[bytes] | None = None


class Command(BaseCommand):
    help = "在本机启动生产环境的整套服务（多个 gunicorn 进程、任务执行器、调度器；PostgreSQL 与 Redis）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--processes", type=int, default=2, help="separate gunicorn servers (default 2)")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="the first server's port; the next take +1 …")
        parser.add_argument(
            "--workers-per-process", type=int, default=2, help="gunicorn worker processes of each server (default 2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["processes"] < 1 or options["workers_per_process"] < 1:
            raise CommandError("--processes 与 --workers-per-process 至少为 1")
        self._refuse_a_single_machine_setup()
        self._stopping = False
        children = self._children(options)

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        previous = {sig: signal.signal(sig, self._ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in children:
                child.process = subprocess.Popen(child.command)
            for child in children:
                assert child.process is not None
                where = f"  {child.address}" if child.address else ""
                self.stdout.write(f"{child.name}: pid {child.process.pid}{where}")
            self.stdout.write("Ctrl+C 停止全部进程", ending="\n")
            self.stdout.flush()
            self._wait_until_ready(children)
            self._watch(children)
        finally:
            self._stop(children)
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _refuse_a_single_machine_setup(self) -> None:
        # SQLite and a per-process cache would each make the servers disagree (a file per machine, a
        # memory per process): the point of the stack is that they share what production shares.
        if connection.vendor != "postgresql":
            raise CommandError(
                "keyproj stack 只在 PostgreSQL 上运行：请设置 KEYPROJ_DATABASE_URL（如 postgres://user@127.0.0.1:5432/keyproj）"
            )
        if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
            raise CommandError(
                "keyproj stack 需要共享的 Redis 缓存：请设置 KEYPROJ_REDIS_URL（如 redis://127.0.0.1:6379/0）"
            )
        try:
            cache.set("keyproj:stack:probe", "1", timeout=5)
        except Exception as exc:
            raise CommandError(f"Redis 无法连接（KEYPROJ_REDIS_URL）：{type(exc).__name__}") from None
        missing = [name for name in ("worker", "scheduler") if name not in get_commands()]
        if missing:
            raise CommandError("缺少命令：" + ", ".join(f"keyproj {name}" for name in missing))

    def _children(self, options: dict[str, Any]) -> list[Child]:
        python = sys.executable
        host, port = options["host"], options["port"]
        children = []
        for number in range(options["processes"]):
            address = f"{host}:{port + number}"
            children.append(
                Child(
                    name=f"web {chr(ord('A') + number) if number < 26 else number + 1}",
                    command=[
                        python, "-m", "gunicorn", "-c", "python:keyproj.deploy.gunicorn",
                        "--bind", address, "--workers", str(options["workers_per_process"]),
                        "--name", f"keyproj-{port + number}",
                    ],
                    address=f"http://{address}/",
                )
            )  # fmt: skip
        children.append(Child(name="worker", command=[python, "-m", "keyproj", "worker"]))
        children.append(Child(name="scheduler", command=[python, "-m", "keyproj", "scheduler"]))
        return children

    def _ask_to_stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _wait_until_ready(self, children: list[Child]) -> None:
        pending = [child for child in children if child.address]
        while pending and not self._stopping:
            self._check_alive(children)
            for child in list(pending):
                try:
                    with urllib.request.urlopen(child.address + "healthz", timeout=2):
                        pending.remove(child)
                except (urllib.error.URLError, OSError):
                    pass
            time.sleep(0.2)
        if not self._stopping:
            self.stdout.write("全部就绪：" + "  ".join(child.address for child in children if child.address))
            self.stdout.flush()

    def _watch(self, children: list[Child]) -> None:
        while not self._stopping:
            self._check_alive(children)
            time.sleep(0.5)

    def _check_alive(self, children: list[Child]) -> None:
        # One part gone means the stack is not what it claims to be: stop it all, loudly.
        for child in children:
            if child.process is not None and child.process.poll() is not None:
                raise CommandError(f"{child.name} 已退出（退出码 {child.process.returncode}），全部停止")

    def _stop(self, children: list[Child]) -> None:
        running = [c.process for c in children if c.process is not None and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if running:
            self.stdout.write("已全部停止")

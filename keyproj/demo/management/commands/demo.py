"""`keyproj demo [--reset | --if-empty]`: load the Xiamen 2019 demo."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from keyproj.core.commandline import KeyprojCommand
from keyproj.core.period import Period
from keyproj.core.scoping import CONSOLE
from keyproj.demo import loader
from keyproj.demo.build import REPORTED_MONTHS, YEAR
from keyproj.demo.data.organisations import DEMO_PASSWORD, DEMO_USERNAMES
from keyproj.metrics.figures import summary
from keyproj.projects.models import Project


class Command(KeyprojCommand):
    help = "加载厦门2019年演示数据：357个市重点项目及其2019年度计划和1-7月月报"

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--reset",
            action="store_true",
            help="先清空全部项目、计划、月报、单位、审计记录和演示用户，再重新加载",
        )
        group.add_argument("--if-empty", action="store_true", help="仅在还没有任何项目时加载，否则跳过")

    def handle(self, *args: Any, reset: bool = False, if_empty: bool = False, **options: Any) -> None:
        count = Project.objects.count()
        if count and if_empty:
            self.stdout.write(f"数据库中已有{count}个项目，跳过演示数据加载。")
            return
        if reset and count and not (settings.DEBUG or settings.LOCAL_RUN):
            # A production server's register is real: --reset would erase it and its audit log. A local
            # run (`make run`, answering only on this machine) is a demo installation and may start over.
            raise CommandError("生产模式（KEYPROJ_DEBUG=0）下不能使用 --reset：它会删除全部项目、单位和审计记录。")
        if count and not reset:
            raise CommandError(
                f"数据库中已有{count}个项目，未加载演示数据。如需清空后重新加载，"
                "请使用 keyproj demo --reset（将删除全部项目、计划、月报、单位和审计记录）。"
            )
        started = time.perf_counter()
        # Clearing and loading are one transaction: a failed load leaves the old data in place.
        with transaction.atomic():
            if reset:
                loader.clear()
            loaded = loader.load()
        seconds = time.perf_counter() - started
        programme = loaded.programme

        self.stdout.write(
            f"已加载厦门{YEAR}年演示数据：{len(programme.projects)}个项目，{len(programme.firms)}家代建单位，"
            f"用时{seconds:.1f}秒。"
        )
        self.stdout.write(f"演示账号（仅供演示）：{'、'.join(DEMO_USERNAMES)}，密码均为 {DEMO_PASSWORD}")
        if loaded.kept_users:
            self.stdout.write(
                self.style.WARNING(f"以下账号在加载前已存在，保留其原密码：{'、'.join(loaded.kept_users)}")
            )
        self.stdout.write(summary(CONSOLE, Period(YEAR, REPORTED_MONTHS)).sentence())

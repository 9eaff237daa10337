"""`keyproj rollup --year YYYY (--check | --rebuild)`: compare the scope figures with a recount, or rebuild a year."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from keyproj.core.commandline import KeyprojCommand
from keyproj.metrics import rollup, scopes

_SHOWN = 20  # differences listed; the rest are counted


class Command(KeyprojCommand):
    help = "核对或重建某年度的汇总数据（项目月度汇总与范围月度汇总）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="年度，例如 2019")
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--check", action="store_true", help="与按项目重新汇总的结果核对，有差异时退出码为1")
        action.add_argument("--rebuild", action="store_true", help="按计划和已审核月报重新计算该年度的全部汇总")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if not 1900 <= year <= 9999:
            raise CommandError(f"年度“{year}”不对，应为四位数年份")
        if options["rebuild"]:
            rollup.rebuild(year)
            self.stdout.write(f"已重建{year}年度的汇总数据。")
            return
        found = scopes.differences(year)
        if not found:
            self.stdout.write(f"{year}年度的范围月度汇总与按项目重新汇总的结果一致。")
            return
        for key, have, want in found[:_SHOWN]:
            year_, month, family, scope_id, dimension, key_id = key
            self.stdout.write(
                f"{year_}-{month:02d} {family}:{scope_id} {dimension}:{key_id} 现为 {_show(have)}，应为 {_show(want)}"
            )
        if len(found) > _SHOWN:
            self.stdout.write(f"……另有{len(found) - _SHOWN}处差异")
        raise CommandError(f"{year}年度的范围月度汇总有{len(found)}处与重新汇总的结果不符；可用 --rebuild 重建")


def _show(row: scopes.Row) -> str:
    count, annual, plan, actual = row
    return f"{count}个项目 年度计划{annual} 累计计划{plan} 累计完成{actual}"

"""`keyproj inspections draw|show|evaluate|notice`: the quarterly 督查考评 at the command line.

keyproj inspections draw --quarter 2019Q3 --random 25 --seed 20190701 [--pick CODE …] [--json] [--dry-run]
keyproj inspections show --quarter 2019Q3 [--json]        the recorded draw, re-run from its pool
keyproj inspections evaluate --year 2019 [--json]         the annual 信用综合评价
keyproj inspections notice --quarter 2019Q1 --out DIR     the quarter's 通报 as .docx and .pdf
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from keyproj.agents.attendance_import import import_attendance
from keyproj.agents.credit import evaluate_credit
from keyproj.agents.models import InspectionRound
from keyproj.agents.notice import quarterly_notice, render
from keyproj.agents.rules import Draw, draw, fingerprint
from keyproj.agents.services import draw_round, parse_quarter
from keyproj.core.commandline import KeyprojCommand, acting_user, add_user_option
from keyproj.core.errors import Refused
from keyproj.projects.models import Project


def _draw_json(result: Draw, *, recorded: bool) -> dict[str, Any]:
    return {
        "quarter": result.quarter,
        "seed": result.seed,
        "pool_size": len(result.pool),
        "pool_fingerprint": fingerprint(result.pool),
        "pool": result.pool,
        "picks": result.picks,
        "drawn": result.drawn,
        "projects": result.projects,
        "recorded": recorded,
    }


class Command(KeyprojCommand):
    help = "季度督查考评：抽取项目（随机抽查+重点检查）、查看与复核抽取、信用综合评价、生成通报"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        d = sub.add_parser("draw", help="抽取本季度督查项目；--dry-run 只显示不记录")
        d.add_argument("--quarter", required=True, help="季度，如 2019Q3")
        d.add_argument("--random", type=int, required=True, metavar="N", help="随机抽查的项目数")
        d.add_argument("--seed", required=True, help="公布的随机种子")
        d.add_argument("--pick", nargs="*", default=[], metavar="CODE", help="重点检查的项目代码")
        d.add_argument("--json", action="store_true")
        d.add_argument("--dry-run", action="store_true", help="只显示抽取结果，不记录")
        add_user_option(d)
        s = sub.add_parser("show", help="显示已记录的抽取，并用记录的种子和范围复核")
        s.add_argument("--quarter", required=True)
        s.add_argument("--json", action="store_true")
        e = sub.add_parser("evaluate", help="开展年度信用综合评价")
        e.add_argument("--year", type=int, required=True)
        e.add_argument("--json", action="store_true")
        add_user_option(e)
        a = sub.add_parser("attendance", help="导入关键人员考勤（xlsx）")
        a.add_argument(
            "file", help="xlsx文件：统一社会信用代码、姓名、岗位、项目代码、年度、月份、应出勤天数、实际出勤天数"
        )
        a.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        add_user_option(a)
        n = sub.add_parser("notice", help="生成季度督查暨代建考评情况通报（.docx 与 .pdf）")
        n.add_argument("--quarter", required=True)
        n.add_argument("--out", required=True, help="输出目录")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except Refused as refused:
            raise CommandError("\n".join(str(p) for p in refused.problems)) from None
        except PermissionDenied as denied:
            raise CommandError(str(denied) or "没有权限") from None

    def _draw(self, options: dict[str, Any]) -> None:
        year, quarter = parse_quarter(options["quarter"])
        user = acting_user(options["user"])
        result = draw_round(
            year,
            quarter,
            seed=options["seed"],
            count=options["random"],
            picks=options["pick"],
            user=user,
            dry_run=options["dry_run"],
        )
        self._print(result, recorded=not options["dry_run"], as_json=options["json"])

    def _show(self, options: dict[str, Any]) -> None:
        year, quarter = parse_quarter(options["quarter"])
        found = InspectionRound.objects.filter(year=year, quarter=quarter).exclude(seed="").first()
        if found is None:
            raise CommandError(f"{year}年第{quarter}季度尚未抽取")
        rerun = draw(found.label, found.seed, found.pool, found.picks, len(found.drawn))
        recorded = Draw(found.label, found.seed, found.pool, found.picks, found.drawn)
        self._print(recorded, recorded=True, as_json=options["json"], verified=rerun.drawn == found.drawn)

    def _print(self, result: Draw, *, recorded: bool, as_json: bool, verified: bool | None = None) -> None:
        if as_json:
            data = _draw_json(result, recorded=recorded)
            if verified is not None:
                data["verified"] = verified
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        names = dict(Project.objects.filter(code__in=result.projects).values_list("code", "name"))
        state = "已记录" if recorded else "试抽（未记录）"
        self.stdout.write(
            f"{result.quarter} 督查项目抽取{state}：种子“{result.seed}”，可抽查范围{len(result.pool)}个项目"
            f"（范围指纹 {fingerprint(result.pool)}），重点检查{len(result.picks)}个，随机抽查{len(result.drawn)}个"
        )
        for n, code in enumerate(result.projects, start=1):
            how = "重点检查" if code in result.picks else "随机抽查"
            self.stdout.write(f"{n}\t{code}\t{how}\t{names.get(code, '')}")
        if verified is not None:
            self.stdout.write("复核：按记录的种子与范围重新抽取，结果一致" if verified else "复核：结果不一致！")

    def _evaluate(self, options: dict[str, Any]) -> None:
        evaluation = evaluate_credit(options["year"], user=acting_user(options["user"]))
        rows = evaluation.scores.select_related("firm").order_by("rank", "firm__name")
        if options["json"]:
            data = [{"rank": s.rank, "firm": s.firm.name, "total": str(s.total), "flagged": s.flagged} for s in rows]
            self.stdout.write(json.dumps({"year": evaluation.year, "scores": data}, ensure_ascii=False))
            return
        self.stdout.write(f"{evaluation}（规则v{evaluation.rule_version}）")
        for s in rows:
            flag = "\t末位约谈" if s.flagged else ""
            self.stdout.write(f"{s.rank}\t{s.firm.name}\t{s.total}{flag}")

    def _attendance(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件“{path}”")
        result = import_attendance(path, user=acting_user(options["user"]), dry_run=options["dry_run"])
        if result.errors:
            raise CommandError("\n".join(result.errors))
        verb = "检查通过（未写入）" if options["dry_run"] else "已导入"
        self.stdout.write(f"{verb}考勤{len(result.rows)}条")

    def _notice(self, options: dict[str, Any]) -> None:
        year, quarter = parse_quarter(options["quarter"])
        found = InspectionRound.objects.filter(year=year, quarter=quarter).first()
        if found is None:
            raise CommandError(f"{year}年第{quarter}季度尚未安排督查")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        document = quarterly_notice(found)
        for suffix, content in render(document).items():
            path = out / f"{found.label}-代建考评通报.{suffix}"
            path.write_bytes(content)
            self.stdout.write(str(path))

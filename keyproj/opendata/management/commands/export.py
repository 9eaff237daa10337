"""`keyproj export oc4ids [--period YYYY-MM] [--out FILE.json|FILE.xlsx] [--prefix P]`: a published month as open data.

Without --period the latest published month is exported. Without --out the package is printed
(JSON) on stdout. A refusal — a month that is open, not closed, reopened, closed without its
通报 issued, or without data; no month published yet; a malformed period or prefix; an unknown
file type, or an --out that is a folder — exits 1 with a Chinese sentence on stderr and writes no file: the file is
written beside its target under a temporary name and renamed over it only once complete, so an
existing file at --out is untouched by a refusal or a failure.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from keyproj.core.commandline import KeyprojCommand
from keyproj.core.period import Period
from keyproj.opendata.mapping import BadPrefix, check_prefix
from keyproj.opendata.oc4ids import build_package
from keyproj.opendata.published import NotPublished, parse_period, published_closes

FORMATS = ("oc4ids",)
SUFFIXES = (".json", ".xlsx")


class Command(KeyprojCommand):
    help = "导出某个已公开月份的开放数据：OC4IDS项目数据包（JSON，或 .xlsx 工作簿）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=FORMATS, help="数据格式：oc4ids（基础设施开放合同数据标准 0.9）")
        parser.add_argument(
            "--period", help="已关账并印发通报的月份，YYYY-MM，例如 2019-07（缺省：最近一个已公开的月份）"
        )
        parser.add_argument("--out", help="写入文件（.json 或 .xlsx）；缺省时打印JSON")
        parser.add_argument("--prefix", help="OC4IDS项目编号前缀（缺省：KEYPROJ_OC4IDS_PREFIX）")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"]) if options.get("out") else None
        if out is not None and out.is_dir():
            # Checked before the name's suffix: "exports.json" may be a folder, and renaming over it would fail.
            raise CommandError(_("“%(path)s”是文件夹，请给出要写入的文件名（.json或.xlsx）") % {"path": out})
        if out is not None and out.suffix.lower() not in SUFFIXES:
            raise CommandError(_("输出文件应以.json或.xlsx结尾，而不是“%(name)s”") % {"name": out.name})
        try:
            prefix = check_prefix(options["prefix"]) if options.get("prefix") is not None else None
            period = parse_period(options["period"]) if options.get("period") else _latest_published()
            package = build_package(period, prefix=prefix)
        except (NotPublished, BadPrefix) as exc:
            raise CommandError(str(exc)) from None
        if out is None:
            self.stdout.write(json.dumps(package, ensure_ascii=False, indent=2))
            return
        if out.suffix.lower() == ".xlsx":
            from keyproj.opendata.flat import package_workbook

            data = package_workbook(package)
        else:
            # Compact: the file is for programs (the printed form, for people, is indented).
            data = (json.dumps(package, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        _write_whole(out, data)
        self.stderr.write(
            _("已导出%(period)s的%(count)s个项目：%(path)s")
            % {"period": period, "count": len(package["projects"]), "path": out}
        )


def _latest_published() -> Period:
    """The latest published month, when no --period is given; a refusal when none is published yet."""
    close = published_closes().last()
    if close is None:
        raise NotPublished(_("尚无已公开的月份"))
    return Period(close.year, close.month)


def _write_whole(path: Path, data: bytes) -> None:
    """Write the file under a temporary name in its folder, then rename it over the target in one step."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise CommandError(_("文件夹“%(folder)s”不存在") % {"folder": folder})
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        # mkstemp makes the file private (0600); an export is for sharing, readable as any new file is.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise

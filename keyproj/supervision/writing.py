"""Rendering a month's notice to files and bytes (the .docx, .pdf and .xlsx of a month).

A closed month renders from its snapshot (as issued, or as a 草稿 before issue); a month
not yet closed renders its 预览稿 from a snapshot computed now (the close page's preview).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from keyproj.core.period import Period
from keyproj.notices.document import OfficialDocument, to_docx, to_pdf, to_xlsx
from keyproj.notices.models import Notice
from keyproj.supervision.models import MonthClose
from keyproj.supervision.notice import DRAFT, PREVIEW, notice_for, preview_notice, xlsx_tables

KINDS = ("docx", "pdf", "xlsx")


def _render(doc: OfficialDocument, snapshot: dict[str, Any], kind: str, mark: str) -> bytes:
    if kind == "xlsx":
        return to_xlsx(xlsx_tables(snapshot, mark))
    return to_docx(doc) if kind == "docx" else to_pdf(doc)


def notice_bytes(close: MonthClose, kind: str) -> bytes:
    """One file of a close's notice: the stored file once the notice is issued (the very bytes whose
    checksum was recorded), else rendered from the snapshot as a 草稿."""
    issued = close.snapshot.get("notice")
    if issued and kind in ("docx", "pdf"):
        notice = Notice.objects.filter(pk=issued["id"]).only(kind, f"{kind}_sha256", "number", "title").first()
        if notice is not None:
            return notice.file_bytes(kind)
    mark = "" if issued else DRAFT
    return _render(notice_for(close), close.snapshot, kind, mark)


def preview_bytes(snapshot: dict[str, Any], day: dt.date, kind: str) -> bytes:
    """One file of the 预览稿 of a month not yet closed."""
    return _render(preview_notice(snapshot, day), snapshot, kind, PREVIEW)


def file_name(close: MonthClose | None, kind: str, period: Period | None = None) -> str:
    """The download's name; a 草稿 or 预览稿 says so."""
    month = close.period if close is not None else period
    assert month is not None
    stem = f"{month.year}年{month.month}月市重点项目建设进展通报"
    if close is None:
        stem += f"（{PREVIEW}）"
    elif not close.snapshot.get("notice"):
        stem += f"（{DRAFT}）"
    return f"{stem}-排名表.xlsx" if kind == "xlsx" else f"{stem}.{kind}"


def write_notice_files(close: MonthClose, directory: Path) -> list[Path]:
    """Write the three files into `directory` (created if need be); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in KINDS:
        path = directory / file_name(close, kind)
        path.write_bytes(notice_bytes(close, kind))
        paths.append(path)
    return paths

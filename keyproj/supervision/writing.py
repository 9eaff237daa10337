"""Rendering a close's notice to files and bytes (the .docx, .pdf and .xlsx of a month)."""

from __future__ import annotations

from pathlib import Path

from keyproj.notices.document import to_docx, to_pdf, to_xlsx
from keyproj.supervision.models import MonthClose
from keyproj.supervision.notice import notice_for, xlsx_tables

KINDS = ("docx", "pdf", "xlsx")


def notice_bytes(close: MonthClose, kind: str) -> bytes:
    """One file of a close's notice, rendered from its snapshot."""
    if kind == "xlsx":
        return to_xlsx(xlsx_tables(close.snapshot))
    doc = notice_for(close)
    return to_docx(doc) if kind == "docx" else to_pdf(doc)


def file_name(close: MonthClose, kind: str) -> str:
    stem = f"{close.year}年{close.month}月市重点项目建设进展通报"
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

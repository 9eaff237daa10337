"""The official document as a PDF: a Django template printed by WeasyPrint.

WeasyPrint embeds (subsets of) the fonts it uses, so the PDF shows the same glyphs on any
reader. The metadata comes from the document (title, author = issuer, dates = 成文日期), and
the PDF identifier is derived from the content, so the same document gives the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from keyproj.notices.document import (
    OfficialDocument,
    Table,
    attachment_label,
    attachment_lines,
    chinese_date,
    clean_document,
    is_numeric_text,
    signature_indents,
    table_layout,
    text_width,
)

CSS_PATH = Path(settings.BASE_DIR) / "keyproj" / "static" / "keyproj" / "notice-print.css"
TEXT_WIDTH_PT = (210 - 28 - 26) / 25.4 * 72


@lru_cache(maxsize=1)
def _stylesheet() -> Any:
    from weasyprint import CSS  # slow to import (Pango, fonts): loaded only when a PDF is rendered

    return CSS(string=CSS_PATH.read_text(encoding="utf-8"))


def document_context(doc: OfficialDocument) -> dict[str, Any]:
    """What the print template (and the page's preview) needs: the document with its layout worked out."""
    doc = clean_document(doc)  # the same text as the .docx, without what XML cannot hold
    signer_indent, date_indent = signature_indents(doc)
    return {
        "doc": {
            "issuer": doc.issuer,
            "number": doc.number,
            "title": doc.title,
            "main_to": doc.main_to,
            "copy_to": doc.copy_to,
            "signer": doc.signer,
            "sections": [
                {"heading": s.heading, "paragraphs": s.paragraphs, "tables": [_table(t) for t in s.tables]}
                for s in doc.sections
            ],
        },
        "created": datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC).isoformat(),
        # The issuer mark as large as fits on one line, at most 初号 (42 pt).
        "issuer_size": min(42, int(TEXT_WIDTH_PT * 0.95 / max(text_width(doc.issuer), 1))),
        "main_to": "、".join(doc.main_to),
        "copy_to": "，".join(doc.copy_to),
        "date": chinese_date(doc.date),
        "signer_indent": f"{signer_indent:g}",
        "date_indent": f"{date_indent:g}",
        "attachment_lines": attachment_lines(doc) if doc.attachments else [],
        "attachments": [
            {"label": attachment_label(i, len(doc.attachments)), "table": _table(t)}
            for i, t in enumerate(doc.attachments, 1)
        ],
    }


def render_html(doc: OfficialDocument) -> str:
    """The HTML that is printed (also handy to look at in a browser)."""
    return render_to_string("notices/official.html", document_context(doc))


def _table(table: Table) -> dict[str, Any]:
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=1)
    size, widths = table_layout(table)
    return {
        "title": table.title,
        "font_size": f"{size:g}",
        "header": table.header + [""] * (ncols - len(table.header)),
        "col_widths": [f"{100 * w / sum(widths):.3f}" for w in widths],
        "cells": [
            [{"text": c, "numeric": is_numeric_text(c)} for c in row + [""] * (ncols - len(row))] for row in table.rows
        ],
    }


def render_pdf(doc: OfficialDocument) -> bytes:
    """The PDF bytes of the document."""
    from weasyprint import HTML  # slow to import (Pango, fonts): loaded only when a PDF is rendered

    html = render_html(doc)
    identifier = hashlib.md5(html.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")
    pdf = HTML(string=html, base_url=str(CSS_PATH.parent)).write_pdf(
        stylesheets=[_stylesheet()],
        pdf_identifier=identifier,
        uncompressed_pdf=False,
    )
    assert pdf is not None
    return pdf

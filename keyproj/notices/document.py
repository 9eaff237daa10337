"""The official document (公文) that every 通报 is made of, and its renderers.

Other apps build an :class:`OfficialDocument` from frozen data (a month-close snapshot, a
quarter's inspection results, a meeting) and call :func:`to_docx`, :func:`to_pdf`,
:func:`to_text` or :func:`to_xlsx`. The renderers never look at the clock: the same document
gives the same text every time, so a closed month's notice regenerates identically.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from keyproj.core.text import for_document


@dataclass(frozen=True)
class Table:
    """A ruled table: a caption, one header row and already formatted text cells."""

    title: str  # caption, e.g. "表1 各区红黑榜" (also the xlsx sheet name, cut to 31 chars)
    header: list[str]
    rows: list[list[str]]  # already formatted text
    widths: list[float] | None = None  # relative column widths, optional


@dataclass(frozen=True)
class Section:
    """A part of the body: an optional heading ("一、总体情况"), paragraphs, then tables."""

    heading: str  # "" for none
    paragraphs: list[str]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class OfficialDocument:
    """A document laid out in the style of GB/T 9704 (党政机关公文格式)."""

    issuer: str  # 发文机关, e.g. "厦门市重点项目建设领导小组办公室"
    number: str  # 文号, e.g. "厦重点办〔2019〕7号"; "" for none
    title: str
    date: datetime.date  # 成文日期
    main_to: list[str]  # 主送
    copy_to: list[str]  # 抄送
    sections: list[Section]
    signature: str = ""  # 落款 (the issuer when empty)
    attachments: list[Table] = field(default_factory=list)  # 附件 tables after the body

    @property
    def signer(self) -> str:
        """The 落款: the signature, or the issuer when none is given."""
        return self.signature or self.issuer

    def with_number(self, number: str) -> OfficialDocument:
        """The same document under another 文号 (used when a number is reserved at issue)."""
        return dataclasses.replace(self, number=number)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, so an issued notice can be stored and re-rendered identically."""
        data = dataclasses.asdict(self)
        data["date"] = self.date.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OfficialDocument:
        """The inverse of :meth:`to_dict`."""

        def table(t: dict[str, Any]) -> Table:
            widths = t.get("widths")
            return Table(
                title=t["title"],
                header=[str(h) for h in t["header"]],
                rows=[[str(c) for c in row] for row in t["rows"]],
                widths=[float(w) for w in widths] if widths else None,
            )

        return cls(
            issuer=data["issuer"],
            number=data.get("number", ""),
            title=data["title"],
            date=datetime.date.fromisoformat(data["date"]),
            main_to=list(data.get("main_to", [])),
            copy_to=list(data.get("copy_to", [])),
            sections=[
                Section(
                    heading=s.get("heading", ""),
                    paragraphs=list(s.get("paragraphs", [])),
                    tables=[table(t) for t in s.get("tables", [])],
                )
                for s in data.get("sections", [])
            ],
            signature=data.get("signature", ""),
            attachments=[table(t) for t in data.get("attachments", [])],
        )


def clean_table(table: Table) -> Table:
    """The table with every text as a document may hold it (keyproj.core.text.for_document)."""
    return Table(
        title=for_document(table.title),
        header=[for_document(h) for h in table.header],
        rows=[[for_document(c) for c in row] for row in table.rows],
        widths=table.widths,
    )


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return for_document(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {k: _cleaned(v) for k, v in value.items()}
    return value


def clean_document(doc: OfficialDocument) -> OfficialDocument:
    """The document with every text as XML can hold it, for the docx and pdf writers.

    Text stored before it was cleaned at the door (a listing pasted from Word with a vertical
    tab) must not stop a close: lxml refuses such a character outright. A document without any
    is returned as it is, so its files stay byte for byte the same.
    """
    data = doc.to_dict()
    cleaned = _cleaned(data)
    return doc if cleaned == data else OfficialDocument.from_dict(cleaned)


def chinese_date(day: datetime.date) -> str:
    """The 成文日期 with Arabic numerals and no leading zeros: 2019年8月13日 (GB/T 9704-2012 7.3.5.2)."""
    return f"{day.year}年{day.month}月{day.day}日"


def attachment_label(index: int, count: int) -> str:
    """附件 or 附件1, 附件2 … when there are several."""
    return "附件" if count == 1 else f"附件{index}"


# Cells that read as quantities ("1,234.56", "-3", "130.59%", "+2") are right-aligned in every format.
NUMERIC_TEXT = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?%?$")


def is_numeric_text(text: str) -> bool:
    """Whether a formatted cell reads as a number (and is therefore right-aligned)."""
    return bool(NUMERIC_TEXT.match(text.strip()))


def text_width(text: str) -> float:
    """Width in Chinese characters: CJK and full-width forms count 1, Latin letters and digits ½."""
    return sum(1.0 if ord(c) >= 0x2E80 else 0.5 for c in text)


def column_weights(table: Table) -> list[float]:
    """Relative column widths: the table's own, or else each column's longest text (2 to 16 characters).

    Without given widths a column of project codes gets room for a whole code, and a column
    of ranks does not take as much as a column of names.
    """
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=1)
    if table.widths and len(table.widths) == ncols and sum(table.widths) > 0:
        return [float(w) for w in table.widths]
    weights = []
    for i in range(ncols):
        body = max([text_width(r[i]) for r in table.rows if i < len(r)], default=0.0)
        head = text_width(table.header[i]) / 2 if i < len(table.header) else 0.0  # headers may wrap once
        weights.append(min(16.0, max(2.0, body, head)))
    return weights


# Cells kept on one line when the columns are sized: codes, numbers, dates and short words (红榜, 思明区).
SHORT_WORD = 4


def unbreakable(text: str) -> bool:
    """Whether a cell should not wrap: no spaces and either no Chinese or at most four characters."""
    text = text.strip()
    if not text or any(c.isspace() for c in text):
        return False
    return len(text) <= SHORT_WORD or not any(ord(c) >= 0x2E80 for c in text)


def column_widths(table: Table, total: float, *, em: float, padding: float) -> list[float]:
    """Column widths (in the unit of `total`) that follow the relative widths but never break a code or a number.

    `em` is the table's font size and `padding` a cell's horizontal padding, in the same unit.
    Each column is first given at least the width of its longest unbreakable cell (Latin
    letters and digits measured at 0.6 em); the rest is shared by the relative widths
    among the columns that need more than their minimum. When even the minimums do not
    fit, they are scaled down together.
    """
    weights = column_weights(table)
    ncols = len(weights)
    minimum = _minimum_widths(table, em, padding)
    if sum(minimum) >= total:
        return [m * total / sum(minimum) for m in minimum]
    fixed: set[int] = set()
    while True:
        room = total - sum(minimum[i] for i in fixed)
        free = [i for i in range(ncols) if i not in fixed]
        share = sum(weights[i] for i in free)
        widths = {i: room * weights[i] / share for i in free}
        short = {i for i, w in widths.items() if w < minimum[i]}
        if not short:
            return [minimum[i] if i in fixed else widths[i] for i in range(ncols)]
        fixed |= short


# The text area is 156 mm wide (GB/T 9704 版心); tables are set in 小4号, 5号 or 小5号 to fit it.
TEXT_WIDTH_PT = 156 / 25.4 * 72
TABLE_SIZES_PT = (12.0, 10.5, 9.0)
CELL_PADDING_PT = 11.0  # both sides with the rule: WeasyPrint's 4 pt a side, Word's 0.19 cm a side
CROWDED = 0.7  # a size is too large when the columns' minimums take more than this share of the width


def table_layout(table: Table) -> tuple[float, list[float]]:
    """The font size (pt) and the column widths (pt) of a table across the text area.

    The largest size at which the codes, numbers and short words leave room for the prose
    columns; a ten-column ranking table drops to 5号 or 小5号 instead of squeezing the names.
    """
    for size in TABLE_SIZES_PT:
        minimum = sum(_minimum_widths(table, size, CELL_PADDING_PT))
        if minimum <= CROWDED * TEXT_WIDTH_PT:
            break
    return size, column_widths(table, TEXT_WIDTH_PT, em=size, padding=CELL_PADDING_PT)


def _minimum_widths(table: Table, em: float, padding: float) -> list[float]:
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=1)
    minimum = []
    for i in range(ncols):
        cells = [r[i] for r in table.rows if i < len(r) and unbreakable(r[i])]
        longest = max([sum(1.0 if ord(c) >= 0x2E80 else 0.6 for c in t.strip()) for t in cells], default=0.0)
        minimum.append(max(2.0, longest) * em + padding)
    return minimum


def signature_indents(doc: OfficialDocument) -> tuple[float, float]:
    """Right indents (in characters) of the 落款 and the date, for a document without a seal.

    GB/T 9704-2012 7.3.5.2: the issuer is set two characters from the right, the date below it
    starting two characters further right; when the date is the longer one, the date is set two
    characters from the right and the issuer moves left to keep that offset.
    """
    signer, date = text_width(doc.signer), text_width(chinese_date(doc.date))
    # Measured from the right edge: signer_indent + signer == date_indent + date + 2.
    if signer - date >= 2:
        return 2.0, signer - date
    return date + 4 - signer, 2.0


def attachment_lines(doc: OfficialDocument) -> list[str]:
    """The 附件说明 below the body: "附件：名称", or "附件：1．名称" and "2．名称" aligned under it."""
    titles = [t.title for t in doc.attachments]
    if len(titles) == 1:
        return [f"附件：{titles[0]}"]
    return [("附件：" if i == 1 else "") + f"{i}．{title}" for i, title in enumerate(titles, 1)]


def to_text(doc: OfficialDocument) -> str:
    """The plain text of the whole document, in reading order (previews, search, tests)."""
    lines: list[str] = [doc.issuer]
    if doc.number:
        lines.append(doc.number)
    lines += ["", doc.title, ""]
    if doc.main_to:
        lines.append("、".join(doc.main_to) + "：")
    for section in doc.sections:
        if section.heading:
            lines.append(section.heading)
        lines += [f"　　{p}" for p in section.paragraphs]
        for tbl in section.tables:
            lines += _table_text(tbl)
    if doc.attachments:
        lines += ["", *attachment_lines(doc)]
    lines += ["", doc.signer, chinese_date(doc.date)]
    for i, tbl in enumerate(doc.attachments, 1):
        lines += ["", attachment_label(i, len(doc.attachments)), *_table_text(tbl)]
    if doc.copy_to:
        lines += ["", "抄送：" + "，".join(doc.copy_to) + "。"]
    lines.append(f"{doc.issuer}　　{chinese_date(doc.date)}印发")
    return "\n".join(lines) + "\n"


def _table_text(tbl: Table) -> list[str]:
    lines = [tbl.title] if tbl.title else []
    lines.append("\t".join(tbl.header))
    lines += ["\t".join(row) for row in tbl.rows]
    return lines


def to_docx(doc: OfficialDocument) -> bytes:
    """An editable Word file in the GB/T 9704 layout, with deterministic metadata."""
    from keyproj.notices.docx import render_docx  # it imports this module: a genuine cycle

    return render_docx(doc)


def to_pdf(doc: OfficialDocument) -> bytes:
    """A PDF rendered by WeasyPrint with the Chinese fonts embedded and deterministic metadata."""
    from keyproj.notices.pdf import render_pdf  # it imports this module: a genuine cycle

    return render_pdf(doc)


def to_xlsx(tables: list[Table]) -> bytes:
    """A workbook with one sheet per table, the header styled and the column widths set."""
    from keyproj.notices.xlsx import render_xlsx  # it imports this module: a genuine cycle

    return render_xlsx(tables)

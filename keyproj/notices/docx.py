"""The official document as an editable Word file (python-docx), laid out after GB/T 9704-2012.

Fonts are named as the recipients' Word knows them (仿宋, 黑体, 宋体 on every Chinese Windows);
they are set on every run for the East Asian script (w:eastAsia) as well as for Latin text,
and theme fonts are removed so Word does not substitute its own. The metadata (title,
author, dates) comes from the document, never from the clock, and the archive is
normalised, so the same document gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
from copy import deepcopy

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

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
from keyproj.notices.packaging import normalise_zip

# GB/T 9704-2012 5.2.1: A4, 版心 156 mm × 225 mm; top 37 mm, left 28 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_WIDTH_MM = 210 - 28 - 26
BODY_SIZE = Pt(16)  # 3号
TITLE_SIZE = Pt(22)  # 2号
NOTE_SIZE = Pt(14)  # 4号: page numbers, 版记
CHAR = 16  # one character of body text, in points: indents are counted in characters
LINE = Pt(29)  # 22 lines in the 225 mm text area
RED = RGBColor(0xE6, 0x00, 0x12)
FANGSONG, HEITI, SONGTI, LATIN = "仿宋", "黑体", "宋体", "Times New Roman"


def render_docx(doc: OfficialDocument) -> bytes:
    """The .docx bytes of the document."""
    doc = clean_document(doc)  # lxml refuses a vertical tab or NUL; old data must not stop a close
    d = new_document()
    _set_up_page(d)
    _set_up_styles(d)
    _head(d, doc)
    if doc.main_to:
        _body_paragraph(d, "、".join(doc.main_to) + "：", indent=False)
    for section in doc.sections:
        if section.heading:
            p = _body_paragraph(d, section.heading, font=HEITI)
            p.paragraph_format.keep_with_next = True
        for text in section.paragraphs:
            _body_paragraph(d, text)
        for table in section.tables:
            _table(d, table)
    _closing(d, doc)
    for i, table in enumerate(doc.attachments, 1):
        _attachment(d, table, attachment_label(i, len(doc.attachments)))
    _imprint(d, doc)
    _set_properties(d, doc)
    out = io.BytesIO()
    d.save(out)
    return normalise_zip(out.getvalue(), doc.date)


def _set_up_page(d: Document) -> None:
    section = d.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    # Page numbers sit at the outside edge: right on odd pages, left on even ones (GB/T 9704 7.5).
    d.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number(p: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """ "— N —" in 4号 宋体, one character in from the edge."""
    p.alignment = align
    fmt = p.paragraph_format
    fmt.left_indent = Pt(NOTE_SIZE.pt) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    fmt.right_indent = Pt(NOTE_SIZE.pt) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
    _styled(p.add_run("— "), SONGTI, NOTE_SIZE)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _styled(p.add_run(), SONGTI, NOTE_SIZE)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text or ""
    _styled(p.add_run(" —"), SONGTI, NOTE_SIZE)


def _set_up_styles(d: Document) -> None:
    """Normal is 3号 仿宋 at a fixed 29 pt line, and no theme fonts anywhere."""
    # Theme fonts win over named ones in Word; drop them everywhere (defaults and the built-in
    # styles), so a heading style applied later by the user also stays in the Chinese faces.
    for fonts in d.styles.element.iter(qn("w:rFonts")):
        for attr in list(fonts.attrib):
            if attr.endswith("Theme"):
                del fonts.attrib[attr]
    normal = d.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.font.size = BODY_SIZE
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)


def _fonts(rpr: object, east_asian: str) -> None:
    """Set the Latin and East Asian font names explicitly (Word ignores names when a theme font is set)."""
    fonts = rpr.get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), east_asian)


def _styled(run: Run, font: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None) -> Run:
    _fonts(run._r.get_or_add_rPr(), font)
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return run


def _paragraph(
    d: Document,
    text: str = "",
    *,
    font: str = FANGSONG,
    size: Pt = BODY_SIZE,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    color: RGBColor | None = None,
    line: Pt | None = None,
) -> Paragraph:
    p = d.add_paragraph()
    if align is not None:
        p.alignment = align
    if line is not None:
        p.paragraph_format.line_spacing = line
    if text:
        _styled(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _body_paragraph(d: Document, text: str, *, font: str = FANGSONG, indent: bool = True) -> Paragraph:
    """Body text: 3号, justified, the first line indented two characters."""
    p = _paragraph(d, text, font=font, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if indent:
        p.paragraph_format.first_line_indent = Pt(2 * CHAR)
    return p


def _rule(p: Paragraph, side: str, *, color: str = "000000", eighths: int = 6) -> None:
    """A rule above or below the paragraph (width in eighths of a point)."""
    ppr = p._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(eighths))
    edge.set(qn("w:space"), "1")
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _head(d: Document, doc: OfficialDocument) -> None:
    """版头: the red issuer mark, the 文号 and the red rule; then the title (GB/T 9704 7.2, 7.3.1)."""
    # The mark as large as fits on one line, at most 初号 (42 pt); 0.95 leaves room for letter spacing.
    size = Pt(min(42, int(TEXT_WIDTH_MM / 25.4 * 72 * 0.95 / max(text_width(doc.issuer), 1))))
    mark = _paragraph(d, doc.issuer, font=SONGTI, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, color=RED)
    mark.paragraph_format.line_spacing = Pt(size.pt * 1.4)
    _paragraph(d)
    number = _paragraph(d, doc.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _rule(number, "bottom", color="E60012", eighths=12)
    number.paragraph_format.space_after = Pt(8)
    _paragraph(d)
    title = _paragraph(
        d, doc.title, font=SONGTI, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, line=Pt(36)
    )
    title.paragraph_format.keep_with_next = True
    _paragraph(d)


def _table(d: Document, table: Table, *, caption: bool = True) -> DocxTable:
    """A ruled table: caption, shaded header row repeated on every page, numbers right-aligned."""
    if caption and table.title:
        p = _paragraph(d, table.title, font=HEITI, size=NOTE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(6)
    ncols = max([len(table.header), *(len(r) for r in table.rows)], default=1)
    t = d.add_table(rows=2, cols=ncols)
    t.style = d.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    t._tbl.tblPr.append(layout)
    size, widths = table_layout(table)
    font_size = Pt(size)
    col_widths = [Pt(w) for w in widths]
    for col, width in zip(t.columns, col_widths, strict=True):
        col.width = width
    header, model = t.rows[0], t.rows[1]
    for row in (header, model):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # Word repeats it on every page
    for c, cell in enumerate(_Cell(tc, t) for tc in header._tr.tc_lst):
        p = _cell_paragraph(cell, col_widths[c], WD_ALIGN_PARAGRAPH.CENTER)
        _styled(p.add_run(table.header[c] if c < len(table.header) else ""), HEITI, font_size)
        shade = OxmlElement("w:shd")
        shade.set(qn("w:val"), "clear")
        shade.set(qn("w:color"), "auto")
        shade.set(qn("w:fill"), "D9D9D9")
        cell._tc.get_or_add_tcPr().append(shade)
    # Body rows are copies of one styled model row: python-docx costs about a millisecond per
    # cell, an lxml copy next to nothing, and a notice may list thousands of projects.
    left, right = [], []
    for c, cell in enumerate(_Cell(tc, t) for tc in model._tr.tc_lst):
        p = _cell_paragraph(cell, col_widths[c], WD_ALIGN_PARAGRAPH.LEFT)
        _styled(p.add_run(), FANGSONG, font_size)._r.append(OxmlElement("w:t"))
        left.append(cell._tc)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        right.append(deepcopy(cell._tc))
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    bare = deepcopy(model._tr)
    for tc in bare.tc_lst:
        bare.remove(tc)
    tbl = t._tbl
    tbl.remove(model._tr)
    for values in table.rows:
        tr = deepcopy(bare)
        for c in range(ncols):
            text = values[c] if c < len(values) else ""
            tc = deepcopy(right[c] if is_numeric_text(text) else left[c])
            node = next(tc.iter(qn("w:t")))
            node.text = text
            node.set(qn("xml:space"), "preserve")
            tr.append(tc)
        tbl.append(tr)
    return t


def _cell_paragraph(cell: _Cell, width: Length, align: WD_ALIGN_PARAGRAPH) -> Paragraph:
    """The cell's paragraph at single spacing, not indented (the Normal style is body text)."""
    cell.width = width
    p = cell.paragraphs[0]
    p.alignment = align
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.paragraph_format.first_line_indent = Pt(0)
    return p


def _closing(d: Document, doc: OfficialDocument) -> None:
    """附件说明, then the 落款 and 成文日期 (GB/T 9704 7.3.4, 7.3.5.2)."""
    if doc.attachments:
        _paragraph(d)
        for i, line in enumerate(attachment_lines(doc)):
            p = _body_paragraph(d, line)
            if i and len(doc.attachments) > 1:  # later items line up under "1．"
                p.paragraph_format.first_line_indent = Pt(5 * CHAR)
    _paragraph(d)
    signer_indent, date_indent = signature_indents(doc)
    for text, indent in ((doc.signer, signer_indent), (chinese_date(doc.date), date_indent)):
        p = _paragraph(d, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(indent * CHAR)
        p.paragraph_format.keep_with_next = True


def _attachment(d: Document, table: Table, label: str) -> None:
    """An attachment starts a new page: "附件1" top left in 黑体, its title, then the table."""
    p = _paragraph(d, label, font=HEITI)
    p.paragraph_format.page_break_before = True
    _paragraph(d)
    title = _paragraph(
        d, table.title, font=SONGTI, size=Pt(18), align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, line=Pt(32)
    )
    title.paragraph_format.keep_with_next = True
    _table(d, table, caption=False)


def _imprint(d: Document, doc: OfficialDocument) -> None:
    """版记: 抄送 and the 印发 line between rules, 4号 仿宋, one character in from each side (GB/T 9704 7.4).

    The 印发 date is the document's date: rendering never reads the clock.
    """
    if not doc.copy_to and not doc.issuer:
        return
    _paragraph(d)
    first = True
    if doc.copy_to:
        p = _paragraph(d, "抄送：" + "，".join(doc.copy_to) + "。", size=NOTE_SIZE)
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(NOTE_SIZE.pt)
        p.paragraph_format.keep_with_next = True
        _rule(p, "top", eighths=8)
        first = False
    p = d.add_paragraph()
    fmt = p.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(NOTE_SIZE.pt)
    fmt.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM) - Pt(2 * NOTE_SIZE.pt), WD_TAB_ALIGNMENT.RIGHT)
    _styled(p.add_run(doc.issuer + "\t" + chinese_date(doc.date) + "印发"), FANGSONG, NOTE_SIZE)
    _rule(p, "top", eighths=8 if first else 4)
    _rule(p, "bottom", eighths=8)


def _set_properties(d: Document, doc: OfficialDocument) -> None:
    """Core properties from the document itself: the same document, the same metadata."""
    when = datetime.datetime.combine(doc.date, datetime.time(), tzinfo=datetime.UTC)
    props = d.core_properties
    props.title = doc.title
    props.subject = doc.number
    props.author = doc.issuer
    props.last_modified_by = doc.issuer
    props.comments = ""
    props.keywords = ""
    props.category = "公文"
    props.language = "zh-CN"
    props.created = when
    props.modified = when
    props.revision = 1

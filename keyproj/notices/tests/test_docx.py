from __future__ import annotations

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from keyproj.notices.document import to_docx
from keyproj.notices.tests.samples import all_text, monthly_notice


@pytest.fixture(scope="module")
def doc():
    return monthly_notice(40, attachments=2)


@pytest.fixture(scope="module")
def data(doc):
    return to_docx(doc)


@pytest.fixture(scope="module")
def word(data):
    return docx.Document(io.BytesIO(data))


def word_text(word) -> str:
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_word_file_holds_the_title_number_every_paragraph_and_every_cell(doc, word):
    text = word_text(word)
    for part in all_text(doc):
        assert part in text, part
    assert "2019年8月13日" in text
    assert "2019年8月13日印发" in text


def test_the_same_document_gives_the_same_bytes(doc, data):
    assert to_docx(doc) == data


def test_the_metadata_comes_from_the_document_not_the_clock(doc, word):
    props = word.core_properties
    assert props.title == doc.title
    assert props.author == doc.issuer
    assert props.created == props.modified == datetime.datetime(2019, 8, 13, tzinfo=datetime.UTC)
    with zipfile.ZipFile(io.BytesIO(to_docx(doc))) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2019, 8, 13, 0, 0, 0)}


def test_the_page_is_a4_with_the_official_margins_and_numbers_at_the_outside_edge(word):
    section = word.sections[0]
    measured = [section.page_width, section.page_height, section.top_margin, section.bottom_margin]
    measured += [section.left_margin, section.right_margin]
    assert [round(length.mm) for length in measured] == [210, 297, 37, 35, 28, 26]
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    for footer in (odd, even):
        assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
        assert footer.text.startswith("— ") and footer.text.endswith(" —")


def test_every_run_names_a_chinese_font_and_no_theme_font_overrides_it(data, word):
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            fonts = run._r.rPr.rFonts
            assert fonts.get(qn("w:eastAsia")) in {"仿宋", "黑体", "宋体"}, paragraph.text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in ("word/document.xml", "word/styles.xml"):
            assert "eastAsiaTheme" not in archive.read(name).decode()


def test_the_issuer_mark_is_red_bold_and_centred_and_the_body_is_indented_two_characters(doc, word):
    mark = word.paragraphs[0]
    assert mark.text == doc.issuer
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert mark.runs[0].bold and str(mark.runs[0].font.color.rgb) == "E60012"
    title = next(p for p in word.paragraphs if p.text == doc.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    body = next(p for p in word.paragraphs if p.text.startswith("1-7月，全市357个"))
    assert body.paragraph_format.first_line_indent.pt == 32
    assert body.runs[0].font.size.pt == 16


def test_tables_repeat_their_shaded_header_and_right_align_numbers(word):
    table = word.tables[0]
    assert len(table.rows) == 41
    header, first = table.rows[0], table.rows[1]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert first._tr.trPr is None or first._tr.trPr.find(qn("w:tblHeader")) is None
    assert header.cells[0]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "D9D9D9"
    alignments = [cell.paragraphs[0].alignment for cell in first.cells]
    assert alignments[1] == WD_ALIGN_PARAGRAPH.LEFT  # the project's name
    assert alignments[3:] == [WD_ALIGN_PARAGRAPH.RIGHT] * 3  # money and the rate


def test_the_signature_and_date_are_right_aligned_after_the_body(word):
    texts = [p.text for p in word.paragraphs]
    date = texts.index("2019年8月13日")
    assert texts[date - 1] == "厦门市重点项目建设领导小组办公室"
    assert word.paragraphs[date].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert texts.index("附件1") > date
    assert word.paragraphs[texts.index("附件1")].paragraph_format.page_break_before

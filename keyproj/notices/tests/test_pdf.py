from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from keyproj.notices.document import to_pdf
from keyproj.notices.tests.samples import all_text, monthly_notice


def squeeze(text: str) -> str:
    """pdftotext breaks lines where the page does; compare without any whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def doc():
    return monthly_notice(40, attachments=2)


@pytest.fixture(scope="module")
def pdf(doc, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "notice.pdf"
    path.write_bytes(to_pdf(doc))
    return path


def poppler(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def page_text(pdf: Path, page: int) -> str:
    return poppler("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)), re.M).group(1))


def test_the_pdf_holds_the_title_number_every_paragraph_and_every_cell(doc, pdf):
    # -raw keeps the order the text is drawn in (cell by cell), whatever lines a wrapped cell takes.
    text = squeeze(poppler("pdftotext", "-raw", str(pdf), "-"))
    for part in all_text(doc):
        assert squeeze(part) in text, part
    assert "2019年8月13日印发" in text


def test_the_same_document_gives_the_same_pdf(doc, pdf):
    assert to_pdf(doc) == pdf.read_bytes()


def test_the_chinese_fonts_are_embedded(pdf):
    rows = poppler("pdffonts", str(pdf)).splitlines()[2:]
    cjk = [row for row in rows if "CJK" in row or "FangSong" in row or "SimSun" in row or "SimHei" in row]
    assert cjk, rows
    # Columns: name, type…, encoding, emb, sub, uni: every Chinese font is embedded.
    assert all(row.split()[-5] == "yes" for row in cjk), cjk


def test_the_metadata_comes_from_the_document(doc, pdf):
    info = poppler("pdfinfo", "-isodates", str(pdf))
    assert re.search(rf"^Title:\s+{re.escape(doc.title)}$", info, re.M)
    assert re.search(rf"^Author:\s+{doc.issuer}$", info, re.M)
    assert re.search(r"^CreationDate:\s+2019-08-13T00:00:00", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)


def test_a_long_table_breaks_across_pages_with_its_header_repeated(pdf):
    pages = [squeeze(page_text(pdf, n)) for n in range(1, page_count(pdf) + 1)]
    with_rows = [n for n, text in enumerate(pages) if "号环东海域道路工程" in text]
    assert len(with_rows) >= 2, "40 rows fill more than one page"
    for n in with_rows:
        first_row = pages[n].index("号环东海域道路工程")
        assert 0 <= pages[n].find("完成序时进度计划") < first_row, f"page {n + 1} starts without the header"
    # Every row is there once: none lost or doubled at a page break.
    names = re.findall(r"示范项目(\d{3})号环东海域", "".join(pages))
    assert names == [f"{i:03d}" for i in range(1, 41)]


def test_pages_are_numbered_with_dashes(pdf):
    assert "—1—" in squeeze(page_text(pdf, 1))
    assert "—2—" in squeeze(page_text(pdf, 2))


def test_a_bare_document_renders_in_every_format(tmp_path):
    import io

    import docx

    from keyproj.notices.document import OfficialDocument, Section, Table, to_docx, to_text, to_xlsx

    bare = OfficialDocument(
        issuer="厦门市建设局",
        number="",
        title="会议纪要",
        date=monthly_notice(1).date,
        main_to=[],
        copy_to=[],
        sections=[Section("", ["会议研究了管线迁改问题。"], [Table("", ["事项", "结论"], [])])],
    )
    path = tmp_path / "bare.pdf"
    path.write_bytes(to_pdf(bare))
    text = squeeze(poppler("pdftotext", str(path), "-"))
    assert "会议纪要" in text and "会议研究了管线迁改问题。" in text and "抄送" not in text
    word = docx.Document(io.BytesIO(to_docx(bare)))
    assert [c.text for c in word.tables[0].rows[0].cells] == ["事项", "结论"] and len(word.tables[0].rows) == 1
    assert "抄送" not in to_text(bare) and to_text(bare).startswith("厦门市建设局\n\n会议纪要")
    assert to_xlsx([]) and to_xlsx(bare.sections[0].tables)

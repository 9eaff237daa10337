"""The demo's July notice carries the seed's sentence, in the .docx and in the PDF's text."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from keyproj.notices.document import to_text
from keyproj.supervision.models import MonthClose
from keyproj.supervision.notice import notice_for
from keyproj.supervision.writing import notice_bytes

SENTENCE = (
    "1-7月，全市357个市重点项目计划投资595.31亿元，实际完成投资777.40亿元，超182.09亿元，"
    "完成序时进度计划130.59%，完成年度计划65.18%。"
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture
def july():
    return MonthClose.objects.get(year=2019, month=7)


def test_the_demo_has_january_to_july_closed():
    assert sorted(MonthClose.objects.filter(status="closed").values_list("month", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_the_july_notice_opens_with_the_seed_sentence(july):
    text = to_text(notice_for(july))
    assert SENTENCE in text
    assert "关于2019年1-7月市重点项目建设进展情况的通报" in text


def test_the_docx_contains_the_seed_sentence(july):
    document = Document(io.BytesIO(notice_bytes(july, "docx")))
    paragraphs = [p.text for p in document.paragraphs]
    assert any(SENTENCE in p for p in paragraphs)


def test_the_pdf_text_contains_the_seed_sentence(july, tmp_path):
    path = tmp_path / "july.pdf"
    path.write_bytes(notice_bytes(july, "pdf"))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert SENTENCE in "".join(text.split())


def cells(data: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def test_regenerating_the_notice_gives_the_same_files(july):
    assert notice_bytes(july, "docx") == notice_bytes(july, "docx")
    # the workbook's cells (its zip carries the time it was written)
    assert cells(notice_bytes(july, "xlsx")) == cells(notice_bytes(july, "xlsx"))


def test_the_ranking_workbook_has_the_four_lists_the_cards_and_the_returns_not_approved(july):
    with zipfile.ZipFile(io.BytesIO(notice_bytes(july, "xlsx"))) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 6


def test_the_later_closes_saw_the_earlier_ones(july):
    # the repeat rule and the moves need the previous month's close
    assert any("repeat" in card["rules"] for card in july.snapshot["cards"])
    assert all(row["move"] is not None for row in july.snapshot["rankings"]["districts"])


def test_each_closed_month_has_its_notice_issued_in_order_on_its_close_day():
    from keyproj.notices.models import Notice

    notices = list(Notice.objects.filter(kind="monthly").order_by("sequence"))
    assert [n.number for n in notices] == [f"厦重点办〔2019〕{n}号" for n in range(1, 8)]
    assert [n.period_label for n in notices] == [f"2019年{m}月" for m in range(1, 8)]
    assert [n.date for n in notices] == [dt.date(2019, m + 1, 10) for m in range(1, 8)]
    assert not any(n.is_withdrawn for n in notices)


def test_the_issued_july_notice_carries_the_seed_sentence_and_its_number(july):
    from keyproj.notices.models import Notice

    notice = Notice.objects.get(pk=july.snapshot["notice"]["id"])
    assert notice.number == "厦重点办〔2019〕7号"
    assert SENTENCE in to_text(notice.official_document)

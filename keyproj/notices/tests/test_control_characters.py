"""Old data with a control character cannot block a close: every writer cleans what it writes.

A vertical tab (Word's manual line break) pasted into a listing before text was cleaned at the
door made lxml refuse the notice, so the close answered 500 and the month stayed reopened.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from keyproj.core.period import Period
from keyproj.notices.document import Section, Table, clean_document, to_docx, to_pdf, to_xlsx
from keyproj.notices.tests.samples import monthly_notice

PASTED = "征地拆迁\x0b滞后\x00问题\x1f"


def dirty_notice():
    doc = monthly_notice(rows=3)
    table = Table("表9 挂牌督办事项\x0b", ["项目", "督办事项"], [["示范\x0c项目", PASTED]])
    section = Section("五、挂牌督办\x0b情况", [f"本月挂牌督办：{PASTED}。"], [table])
    return dataclasses.replace(doc, title=doc.title + "\x0b", sections=[*doc.sections, section])


def test_a_document_with_control_characters_renders_as_docx():
    data = to_docx(dirty_notice())
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "本月挂牌督办：征地拆迁\n滞后问题。" in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert b"\x0b" not in package.read("word/document.xml")


def test_a_document_with_control_characters_renders_as_pdf():
    assert to_pdf(dirty_notice()).startswith(b"%PDF")


def test_tables_with_control_characters_render_as_xlsx():
    data = to_xlsx([Table("表9 挂牌督办事项", ["项目", "督办事项"], [["示范项目", PASTED]])])
    values = [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert "征地拆迁\n滞后问题" in values


def test_a_clean_document_is_rendered_from_itself_so_its_bytes_do_not_change():
    doc = monthly_notice(rows=3)
    assert clean_document(doc) is doc


@pytest.fixture(scope="module")
def demo(demo_for_module):
    """The Xiamen demo, loaded once, for the tests that close a month."""


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestAClose:
    """The demo's months: a closed one from its frozen snapshot, an open one from live data."""

    def test_a_closed_months_snapshot_with_a_vertical_tab_renders_every_file(self):
        from keyproj.supervision.models import MonthClose
        from keyproj.supervision.writing import KINDS, notice_bytes

        close = MonthClose.objects.get(year=2019, month=7)
        close.snapshot = copy.deepcopy(close.snapshot)
        # As a listing pasted from Word before the door cleaned it would have been frozen.
        close.snapshot["listings"]["listed"].append(
            {
                "id": 1,
                "project": "XM-001",
                "name": "示范\x0b项目",
                "matter": PASTED,
                "responsible": "市交通局\x0b市建设局",
                "target": "目标\x0b一",
                "due": "2019-09-30",
                "status": "listed",
                "overdue": False,
                "referral": "",
            }
        )
        for kind in KINDS:
            assert notice_bytes(close, kind)

    def test_live_listings_and_problems_with_a_vertical_tab_render_the_preview(self):
        from keyproj.core import clock
        from keyproj.problems.models import Problem
        from keyproj.supervision.compute import compute
        from keyproj.supervision.models import Listing
        from keyproj.supervision.writing import KINDS, preview_bytes

        # PostgreSQL cannot store NUL at all; what old rows can hold is the rest of what was pasted.
        stored = PASTED.replace("\x00", "")
        Listing.objects.update(matter=stored, target="目标\x0b一")
        Problem.objects.update(title=stored)
        snapshot = compute(Period(2019, 8))
        for kind in KINDS:
            assert preview_bytes(snapshot, clock.today(), kind)

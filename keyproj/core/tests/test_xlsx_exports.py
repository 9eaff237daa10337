"""Every workbook keyproj hands out stores user text as text: `=1+1` is shown, never run.

The demo is loaded once; each test puts formula-like text into the fields the exports carry
(project names, problem titles, return texts, contacts), downloads every xlsx the office can
download and reads every cell back with openpyxl: none may be a formula, and the hostile text
must be there exactly as typed, marked as text (quotePrefix).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from keyproj.core import xlsx
from keyproj.notices.document import Table
from keyproj.notices.xlsx import render_xlsx

pytestmark = pytest.mark.django_db

EQUALS, AT, MINUS, PLUS = "=1+1", "@SUM(A1)", "-2+3", "+cmd|' /C calc'!A0"
HOSTILE = (EQUALS, AT, MINUS, PLUS)


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture
def hostile():
    """Formula-like text in every field an export carries (rolled back after each test)."""
    from keyproj.orgs.models import Organisation, OrgKind
    from keyproj.problems.models import Problem
    from keyproj.projects.models import Project
    from keyproj.returns.models import ProgressReturn

    Project.objects.update(name=EQUALS)
    Problem.objects.update(title=EQUALS, description=AT, resolution=MINUS)
    ProgressReturn.objects.update(physical_progress=AT, problems=PLUS)
    Organisation.objects.filter(kind=OrgKind.OWNER).update(contact=AT, phone=MINUS)


@pytest.fixture
def office(client):
    from keyproj.accounts.models import User

    client.force_login(User.objects.get(username="admin"))
    return client


def cells_of(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_text_only(data: bytes, *, expected: tuple[str, ...] = ()) -> None:
    """No cell is a formula; each expected text is there as typed, stored as a string marked as text."""
    cells = cells_of(data)
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, formulas
    for value in expected:
        found = [c for c in cells if c.value == value]
        assert found, f"{value!r} is not in the workbook"
        assert all(c.data_type == "s" and c.quotePrefix for c in found)


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    return response.content


EXPORTS = [
    # (url, the hostile texts that must appear in it)
    ("/projects/export.xlsx", (EQUALS,)),
    ("/plans/tasklist.xlsx?year=2019", (EQUALS,)),
    ("/problems/ledger.xlsx", (EQUALS, AT, MINUS)),
    ("/returns/prefilled.xlsx?period=2019-08", (AT,)),  # last month's 形象进度 carried over
    ("/returns/timeliness/reminders.xlsx?period=2019-08", (EQUALS, AT, MINUS)),
    ("/returns/template.xlsx", ()),
    ("/supervision/2019-08/notice.xlsx", (EQUALS,)),  # the close page's 预览稿 of a month not yet closed
    ("/supervision/2019-07/notice.xlsx", ()),  # a closed month renders from its frozen snapshot
]


@pytest.mark.parametrize(("url", "expected"), EXPORTS, ids=[url for url, _ in EXPORTS])
def test_every_export_writes_formula_like_text_as_text(office, hostile, url, expected):
    assert_text_only(download(office, url), expected=expected)


def test_every_notice_workbook_has_no_formula(office, hostile):
    """The monthly, quarterly (代建督查) and other notices' tables as xlsx, from the notices pages."""
    from keyproj.notices.models import Notice

    notices = list(Notice.objects.all())
    assert notices
    for notice in notices:
        assert_text_only(download(office, f"/notices/{notice.pk}/xlsx/"))


def test_a_notice_table_with_formula_like_text_keeps_it_as_text():
    table = Table("表1 问题", ["项目", "问题", "数"], [[EQUALS, AT, "-3"], [PLUS, MINUS, "1,234.50"]])
    data = render_xlsx([table])
    assert_text_only(data, expected=HOSTILE)
    numbers = [c.value for c in cells_of(data) if c.data_type == "n"]
    assert -3 in numbers  # a figure stays a number


def test_the_interchange_templates_have_no_formula():
    from keyproj.exchange.formats import FORMATS
    from keyproj.exchange.writer import build_template

    for fmt in FORMATS.values():
        buffer = io.BytesIO()
        build_template(fmt).save(buffer)
        assert_text_only(buffer.getvalue())


def test_the_safe_writer_keeps_tab_and_cr_led_text_as_text_and_drops_what_xml_cannot_hold():
    book = xlsx.new_workbook()
    xlsx.append(book.active, ["\t=1+1", "\r=1+1", "a\x0bb\x00", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = cells_of(buffer.getvalue())
    assert [c.value for c in cells] == ["\t=1+1", "\r=1+1", "a\nb", 12]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells[:2])


KEYPROJ = Path(__file__).resolve().parents[2]
# Building a workbook or writing a cell without the safe writer.
UNSAFE = re.compile(r"\bWorkbook\(|WriteOnlyCell\(|\.cell\([^)]*value=|\b(?:sheet|ws|tasks|duties)\.append\(")


def test_no_module_writes_a_workbook_except_through_the_safe_writer():
    offenders = []
    for path in KEYPROJ.rglob("*.py"):
        relative = path.relative_to(KEYPROJ).as_posix()
        if "/tests/" in f"/{relative}" or relative in ("core/xlsx.py",) or relative.startswith("browser_tests/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if UNSAFE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "write workbooks through keyproj.core.xlsx:\n" + "\n".join(offenders)

"""Cells that are not what they seem: control characters, over-long text, full-width digits, formulas, inf.

A workbook can carry any character through OOXML's `_xHHHH_` escape (Excel writes a pasted
vertical tab as `_x000B_`); each import cleans it as a form would. A formula saved without its
result and a number that is not finite are named for what they are, never "不能为空".
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.core.text import TEXT_LIMIT
from keyproj.core.workbooks import cells
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import PROJECT_HEADER, RETURN_HEADER, project_row, return_row
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn
from keyproj.testing import make_plan

pytestmark = pytest.mark.django_db

MID_AUGUST = dt.date(2019, 8, 15)


@pytest.fixture(autouse=True)
def districts(siming, haicang):
    """Districts are known bodies: the import finds them, never creates them."""


def rewrite_sheet(path: Path, replacements: dict[str, str]) -> Path:
    """The same workbook with raw text replaced inside the first sheet's XML (what openpyxl refuses to write)."""
    data = {}
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            data[name] = package.read(name)
    sheet = data["xl/worksheets/sheet1.xml"].decode()
    for old, new in replacements.items():
        assert old in sheet, old
        sheet = sheet.replace(old, new)
    data["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in data.items():
            package.writestr(name, content)
    return path


def test_imported_text_loses_control_characters_and_a_name_its_line_breaks(xlsx):
    book = xlsx(PROJECT_HEADER, [project_row("XM-001", name="NAME", description="DESC")])
    rewrite_sheet(
        book,
        {
            ">NAME<": ">厦门_x000B_大桥_x0000_工程<",
            ">DESC<": ">一期_x000B_二期_x000C_三期_x0001_<",
        },
    )

    result = import_workbook("projects", book, user=CONSOLE)

    assert result.lines == []
    project = Project.objects.get(code="XM-001")
    assert project.name == "厦门 大桥工程"  # a name is one line
    assert project.description == "一期\n二期\n三期"  # 建设内容 keeps its lines


def test_over_long_free_text_is_refused_by_row_and_column(xlsx):
    book = xlsx(PROJECT_HEADER, [project_row("XM-001", description="字" * (TEXT_LIMIT + 1))])

    result = import_workbook("projects", book, user=CONSOLE)

    assert result.lines == [f"第2行 建设内容: 长度超过{TEXT_LIMIT}个字符（现为{TEXT_LIMIT + 1}个）"]
    assert not Project.objects.exists()


def test_a_year_and_a_month_in_full_width_digits_are_read_as_money_is(xlsx, admin_user, siming_project):
    make_plan(siming_project)
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, month="７月", year="２０１９", investment="１５０")])

    result = import_workbook("returns", book, user=admin_user, approve=True, today=MID_AUGUST)

    assert result.lines == []
    ret = ProgressReturn.objects.get(project=siming_project)
    assert (ret.year, ret.month, str(ret.investment)) == (2019, 7, "150.00")


def test_a_formula_without_a_result_is_named_not_called_empty(xlsx, admin_user, siming_project):
    make_plan(siming_project)
    # openpyxl writes a formula without a cached value, as a program-made workbook has it.
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, investment="=100+50")])

    result = import_workbook("returns", book, user=admin_user, approve=True, today=MID_AUGUST)

    assert result.lines == ["第2行 本月完成投资(万元): 是公式但没有计算结果，请在Excel中重新计算并保存后再导入"]
    assert not ProgressReturn.objects.exists()


def test_a_number_that_is_not_finite_is_named(xlsx, admin_user, siming_project):
    make_plan(siming_project)
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, investment=424242, month=777)])
    rewrite_sheet(book, {"<v>424242</v>": "<v>inf</v>", "<v>777</v>": "<v>NaN</v>"})

    result = import_workbook("returns", book, user=admin_user, approve=True, today=MID_AUGUST)

    assert result.lines == [
        "第2行 月份: “nan”不是有限的数字",
        "第2行 本月完成投资(万元): “inf”不是有限的数字",
    ]


@pytest.mark.parametrize("value", ["２０１９", "２０１９年", 2019, 2019.0, "2019"])
def test_every_spelling_of_a_year_reads_the_same(value):
    assert cells.year(value) == 2019


def test_a_full_width_month_of_a_year_reads_as_typed():
    assert cells.year_month("２０１９－０７") == dt.date(2019, 7, 1)

from __future__ import annotations

import openpyxl
import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.exchange.formats import FORMATS
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import plan_row, project_row, return_row
from keyproj.exchange.writer import write_template
from keyproj.plans.models import AnnualPlan
from keyproj.projects.models import Category, Project
from keyproj.returns.models import ProgressReturn

pytestmark = pytest.mark.django_db


def test_the_template_has_a_bold_frozen_header_with_a_comment_on_each_column(tmp_path):
    path = tmp_path / "projects.xlsx"

    write_template("projects", path)

    sheet = openpyxl.load_workbook(path).active
    header = [cell for cell in sheet[1]]
    assert [cell.value for cell in header] == [c.label for c in FORMATS["projects"].columns]
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1
    comments = {cell.value: cell.comment.text for cell in header}
    assert comments["所属区"] == "所属区: 必填。区名称或6位行政区划代码，如 思明区 / 350203"
    assert "产业项目 / 社会事业 / 城乡基础设施 / 新城基地" in comments["项目类别"]
    assert sheet.column_dimensions["I"].number_format == "#,##0.00"  # 总投资(万元)
    assert sheet.column_dimensions["A"].number_format == "@"  # codes stay text
    assert sheet.column_dimensions["B"].width >= 30


def test_the_template_follows_the_category_list_the_office_keeps(tmp_path):
    Category.objects.filter(code="new_city").update(active=False)
    Category.objects.create(code="ecology", name="生态环保", order=9)

    write_template("projects", tmp_path / "projects.xlsx")

    sheet = openpyxl.load_workbook(tmp_path / "projects.xlsx").active
    assert "产业项目 / 社会事业 / 城乡基础设施 / 生态环保（名称或代码）" in sheet["D1"].comment.text


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_an_empty_template_imports_nothing_without_error(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    write_template(kind, path)

    result = import_workbook(kind, path, user=CONSOLE)

    assert result.ok and result.rows == 0
    assert str(result.count) == "新增0条，更新0条，未变0条"


def test_a_filled_in_template_imports_round_trip(tmp_path, siming):
    paths = {kind: tmp_path / f"{kind}.xlsx" for kind in FORMATS}
    rows = {
        "projects": [project_row("XM-001"), project_row("XM-002")],
        "plans": [plan_row("XM-001"), plan_row("XM-002")],
        "returns": [return_row("XM-001", 1), return_row("XM-002", 1)],
    }
    for kind, path in paths.items():
        write_template(kind, path)
        workbook = openpyxl.load_workbook(path)
        for row in rows[kind]:
            workbook.active.append(row)
        workbook.save(path)

    for kind in ("projects", "plans", "returns"):
        result = import_workbook(kind, paths[kind], user=CONSOLE, approve=kind != "projects")
        assert result.lines == [], kind
        assert str(result.count) == "新增2条，更新0条，未变0条"

    assert Project.objects.count() == AnnualPlan.objects.count() == ProgressReturn.objects.count() == 2

"""The projects workbook's point: 经度 · 纬度 · 坐标系, judged per row and column like every other cell."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.core import geo
from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import PROJECT_HEADER, project_row
from keyproj.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def districts(siming, haicang):
    """Districts are known bodies: the import finds them, never creates them."""


def test_a_row_with_a_point_in_its_district_stores_it_in_wgs84(xlsx):
    glng, glat = geo.wgs84_to_gcj02(118.03, 24.48)
    book = xlsx(
        PROJECT_HEADER,
        [
            project_row("XM-001", lng=118.09, lat=24.47),
            project_row("XM-002", district="海沧区", lng=f"{glng:.8f}", lat=f"{glat:.8f}", crs="GCJ-02"),
        ],
    )
    result = import_workbook("projects", book, user=CONSOLE)
    assert result.lines == []
    first, second = Project.objects.order_by("code")
    assert (first.lng, first.lat) == (Decimal("118.090000"), Decimal("24.470000"))
    assert abs(second.lng - Decimal("118.03")) <= Decimal("0.000001")
    assert abs(second.lat - Decimal("24.48")) <= Decimal("0.000001")


def test_each_bad_point_is_refused_by_row_and_column_and_nothing_is_written(xlsx):
    book = xlsx(
        PROJECT_HEADER,
        [
            project_row("XM-001", lng=118.15, lat=24.40),
            project_row("XM-002", lng=118.03, lat=24.48),
            project_row("XM-003", lng="东经118", lat=24.47),
            project_row("XM-004", lng=118.09, lat=95),
            project_row("XM-005", lng=118.09, lat=""),
            project_row("XM-006", lng=118.09, lat=24.47, crs="BD-09"),
        ],
    )
    result = import_workbook("projects", book, user=CONSOLE)
    assert result.lines == [
        "第2行 经度: 该点不在厦门市范围内（可能在海上）",
        "第3行 经度: 该点位于海沧区，而项目所属区为思明区",
        "第4行 经度: “东经118”不是数字",
        "第5行 纬度: 应在-90到90之间",
        "第6行 纬度: 经度和纬度须同时填写",
        "第7行 坐标系: “BD-09”不是WGS-84或GCJ-02",
    ]
    assert not Project.objects.exists()


def test_blank_cells_clear_a_point_and_a_file_without_the_columns_keeps_it(xlsx):
    assert import_workbook("projects", xlsx(PROJECT_HEADER, [project_row(lng=118.09, lat=24.47)]), user=CONSOLE).ok
    without = [label for label in PROJECT_HEADER if label not in ("经度", "纬度", "坐标系")]
    row = project_row(name="改名")[: len(without)]
    assert import_workbook("projects", xlsx(without, [row]), user=CONSOLE).ok
    assert Project.objects.get().lng == Decimal("118.090000")
    assert import_workbook("projects", xlsx(PROJECT_HEADER, [project_row()]), user=CONSOLE).ok
    assert Project.objects.get().lng is None


def test_a_file_with_only_one_of_the_two_columns_is_refused(xlsx):
    header = [label for label in PROJECT_HEADER if label not in ("纬度", "坐标系")]
    row = [value for label, value in zip(PROJECT_HEADER, project_row(lng=118.09), strict=True) if label in header]
    result = import_workbook("projects", xlsx(header, [row]), user=CONSOLE)
    assert result.lines == ["经度和纬度两列须同时提供"]


def test_the_template_has_the_point_columns():
    assert PROJECT_HEADER[-3:] == ["经度", "纬度", "坐标系"]

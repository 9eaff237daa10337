"""The streamed workbook: what openpyxl and python-calamine read back, text kept text, Excel's bounds."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from keyproj.core import xlsx

HEADER = ["id", "title", "amount", "done"]
ROWS: list[list[Any]] = [
    ["P1", "=SUM(1)", Decimal("1234567.89"), True],
    ["P2", "@第二个项目", 5000000, False],
    ["P3", "第一行\x0b第二行\x01", 2.5, None],
    ["P4", "a < b & c > d", None, True],
    ["P5", "-30%", Decimal("-0.5"), None],
    ["P6", "+cmd|' /C calc'!A0", 0, None],
    ["P7", "\tTab\r", datetime.date(2026, 7, 1), None],
]


def sheets() -> list[tuple[str, list[str], Any]]:
    """A table sheet, a second sheet without a header row, rows given as a generator."""
    return [
        ("projects", HEADER, (list(row) for row in ROWS)),
        ("Meta", [], [["uri", "https://data.example.cn/p.json"], ["version", "0.9"]]),
    ]


@pytest.fixture(scope="module")
def data() -> bytes:
    return xlsx.stream_workbook(sheets())


def test_openpyxl_reads_back_every_value(data):
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["projects", "Meta"]
    rows = [list(row) for row in book["projects"].iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert rows[1] == ["P1", "=SUM(1)", 1234567.89, True]
    assert rows[2] == ["P2", "@第二个项目", 5000000, False]
    assert rows[3] == ["P3", "第一行\n第二行", 2.5, None]
    assert rows[4] == ["P4", "a < b & c > d", None, True]
    assert rows[5] == ["P5", "-30%", -0.5, None]
    assert rows[7] == ["P7", "\tTab\r", "2026-07-01", None]
    assert [list(row) for row in book["Meta"].iter_rows(values_only=True)] == [
        ["uri", "https://data.example.cn/p.json"],
        ["version", "0.9"],
    ]


def test_python_calamine_reads_back_the_same_values(data):
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["projects", "Meta"]
    rows = book.get_sheet_by_name("projects").to_python()
    assert rows[0] == HEADER
    assert rows[1] == ["P1", "=SUM(1)", 1234567.89, True]
    assert rows[2] == ["P2", "@第二个项目", 5000000, False]
    assert rows[3][:3] == ["P3", "第一行\n第二行", 2.5]
    assert rows[6][:3] == ["P6", "+cmd|' /C calc'!A0", 0]
    assert book.get_sheet_by_name("Meta").to_python()[1] == ["version", "0.9"]


def test_formula_looking_text_is_text_marked_with_quote_prefix(data):
    sheet = load_workbook(io.BytesIO(data))["projects"]
    titles = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    for key in ("P1", "P2", "P5", "P6", "P7"):
        assert titles[key].data_type == "s", key
        assert titles[key].quotePrefix, key
    assert not titles["P4"].quotePrefix
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_the_header_row_is_bold_and_the_rows_are_not(data):
    sheet = load_workbook(io.BytesIO(data))["projects"]
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2] if cell.value is not None)


def test_numbers_and_decimals_are_numbers_and_none_is_no_cell(data):
    sheet = load_workbook(io.BytesIO(data))["projects"]
    assert sheet["C2"].data_type == "n"
    assert sheet["C2"].value == pytest.approx(1234567.89)
    assert sheet["C3"].data_type == "n"
    assert sheet["D2"].data_type == "b"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="C2"><v>1234567.89</v></c>' in xml
    assert 'r="D4"' not in xml and 'r="C5"' not in xml


def test_the_same_input_gives_the_same_bytes(data):
    assert xlsx.stream_workbook(sheets()) == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_sheet_names_are_made_valid_and_unique():
    data = xlsx.stream_workbook(
        [
            ("a/b[c]:d*e?f\\g", ["x"], []),
            ("x" * 40, ["x"], []),
            ("X" * 40, ["x"], []),
            ("'quoted'", ["x"], []),
        ]
    )
    names = CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
    assert names == ["a_b_c__d_e_f_g", "x" * 31, "X" * 27 + " (2)", "quoted"]
    assert load_workbook(io.BytesIO(data)).sheetnames == names


def test_too_many_columns_are_refused():
    with pytest.raises(ValueError, match="16384"):
        xlsx.stream_workbook([("wide", ["a"], [[1] * (xlsx.MAX_COLUMNS + 1)])])
    with pytest.raises(ValueError, match="16384"):
        xlsx.stream_workbook([("wide", ["a"] * (xlsx.MAX_COLUMNS + 1), [])])


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_ROWS", 10)  # Excel's 1,048,576, made small to keep the test quick
    xlsx.stream_workbook([("long", ["n"], ([index] for index in range(9)))])
    with pytest.raises(ValueError, match="more than 10 rows"):
        xlsx.stream_workbook([("long", ["n"], ([index] for index in range(10)))])


def test_a_workbook_without_sheets_is_refused():
    with pytest.raises(ValueError):
        xlsx.stream_workbook([])


def test_a_value_a_sheet_cannot_hold_is_refused():
    with pytest.raises(TypeError):
        xlsx.stream_workbook([("s", ["a"], [[{"a": 1}]])])


def test_text_longer_than_a_cell_holds_is_cut_with_an_ellipsis():
    content = xlsx.stream_workbook([("长文", [], [["字" * 40_000]])])

    value = load_workbook(io.BytesIO(content)).active["A1"].value

    assert len(value) == xlsx.CELL_TEXT_LIMIT
    assert value.endswith("…")

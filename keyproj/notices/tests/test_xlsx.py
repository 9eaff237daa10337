from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from keyproj.notices.document import Table, to_xlsx
from keyproj.notices.tests.samples import progress_table
from keyproj.notices.xlsx import cell_value, sheet_names


def workbook(tables: list[Table]):
    return load_workbook(io.BytesIO(to_xlsx(tables)))


def test_each_table_is_a_sheet_with_its_header_bold_and_shaded_and_every_row():
    table = progress_table(12)
    ws = workbook([table]).worksheets[0]
    assert ws.title == table.title
    assert [c.value for c in ws[1]] == table.header
    assert all(c.font.b for c in ws[1])
    assert ws["A1"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.max_row == 13
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width  # widths follow the relative widths


def test_sheet_names_are_cut_to_31_characters_stripped_of_forbidden_ones_and_unique():
    long = "表1 " + "各区市重点项目投资完成情况排名" * 3
    tables = [Table(long, ["a"], []), Table(long, ["a"], []), Table("a/b:c*d?[e]", ["a"], []), Table("", ["a"], [])]
    names = sheet_names(tables)
    assert all(len(n) <= 31 for n in names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names[2] == "a_b_c_d__e_"
    assert names[3] == "表4"
    assert workbook(tables).sheetnames == names


def test_numbers_are_stored_as_numbers_that_show_exactly_the_given_text():
    assert cell_value("1,234.56") == (Decimal("1234.56"), "#,##0.00")
    assert cell_value("-3") == (-3, "0")
    assert cell_value("130.59%") == (Decimal("1.3059"), "0.00%")
    assert cell_value("0.50") == (Decimal("0.50"), "0.00")


def test_codes_and_other_text_stay_text():
    for text in [
        "2019-350203-48-01-000001",
        "007",
        "91350200MA2XXXXX1X",
        "1-3",
        "—",
        "思明区",
        " 12",
        "123456789012345678",
    ]:
        assert cell_value(text) == (text, None), text


def test_the_sheet_keeps_money_as_numbers_right_aligned_and_names_as_left_aligned_text():
    ws = workbook([progress_table(3)]).worksheets[0]
    money, rate, name = ws["D2"], ws["F2"], ws["B2"]
    assert money.value == Decimal("1234.50") or money.value == 1234.5
    assert money.number_format == "#,##0.00" and money.alignment.horizontal == "right"
    assert rate.number_format == "0.00%" and abs(rate.value - 1.0025) < 1e-9
    assert isinstance(name.value, str) and name.alignment.horizontal == "left"


def test_the_same_tables_give_the_same_bytes():
    assert to_xlsx([progress_table(5)]) == to_xlsx([progress_table(5)])

"""Guarding and reading the file: whatever arrives, the answer is a sentence, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import RETURN_HEADER, return_row, write_workbook
from keyproj.returns.models import ProgressReturn

pytestmark = pytest.mark.django_db


def errors_for(source, kind="returns"):
    return import_workbook(kind, source, user=CONSOLE).lines


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    csv = tmp_path / "returns.csv"
    csv.write_text("项目代码,年度,月份\nXM-001,2019,7\n", encoding="utf-8")

    assert errors_for(csv) == ["文件不是xlsx格式的Excel工作簿"]


def test_an_old_xls_file_is_refused_with_advice(tmp_path):
    xls = tmp_path / "returns.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)

    assert errors_for(xls) == ["这是旧版Excel（.xls）或加密的文件，请在Excel中另存为不加密的.xlsx后再导入"]


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "returns.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("readme.txt", "not a workbook")

    assert errors_for(path) == ["文件不是xlsx格式的Excel工作簿（压缩包中没有工作簿内容）"]


def test_a_truncated_workbook_is_reported_as_corrupt(tmp_path):
    whole = write_workbook(tmp_path / "whole.xlsx", RETURN_HEADER, [return_row("XM-001")]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])

    assert errors_for(cut) == ["文件已损坏，无法作为xlsx工作簿读取"]


def test_a_workbook_with_broken_contents_is_reported_as_corrupt(tmp_path):
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types")
        package.writestr("xl/workbook.xml", "<<< not xml")

    assert errors_for(path) == ["文件已损坏，无法作为xlsx工作簿读取"]


def test_an_empty_or_missing_file_is_refused(tmp_path):
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")

    assert errors_for(empty) == ["文件是空的"]
    assert errors_for(tmp_path / "nowhere.xlsx") == [f"找不到文件“{tmp_path / 'nowhere.xlsx'}”"]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, settings):
    settings.KEYPROJ_UPLOAD_MAX_BYTES = 1000
    book = write_workbook(tmp_path / "big.xlsx", RETURN_HEADER, [return_row("XM-001")])
    size = book.stat().st_size

    assert errors_for(book) == [f"文件大小{size / 1024:.1f}KB，超过上限1000字节"]
    upload = SimpleUploadedFile("big.xlsx", book.read_bytes())
    assert errors_for(upload) == [f"文件大小{size / 1024:.1f}KB，超过上限1000字节"]
    assert errors_for(io.BytesIO(book.read_bytes())) == ["文件大小超过上限1000字节"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.KEYPROJ_UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    book = write_workbook(tmp_path / "bomb.xlsx", RETURN_HEADER, [return_row("XM-001")])
    with zipfile.ZipFile(book, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))  # 8 MB of zeros: ~8 KB packed
    assert book.stat().st_size < 64 * 1024

    [message] = errors_for(book)

    assert message.startswith("文件解压后大小8.0MB，超过上限1.0MB")


def test_an_upload_is_read_like_a_file_on_disk(tmp_path, siming_project):
    book = write_workbook(tmp_path / "returns.xlsx", RETURN_HEADER, [return_row(siming_project.code, 3)])
    upload = SimpleUploadedFile("returns.xlsx", book.read_bytes())

    result = import_workbook("returns", upload, user=CONSOLE)

    assert result.lines == []
    assert ProgressReturn.objects.get().month == 3


def test_blank_rows_are_skipped_but_row_numbers_stay_excels(xlsx, siming_project):
    code = siming_project.code
    book = xlsx(RETURN_HEADER, [return_row(code, 1), [], ["", "  ", None], return_row(code, 13)])

    result = import_workbook("returns", book, user=CONSOLE)

    assert result.lines == ["第5行 月份: 月份应为1-12，而不是13"]
    assert result.rows == 2


def test_extra_columns_are_ignored_and_columns_may_come_in_any_order(xlsx, siming_project):
    header = ["备注", *reversed(RETURN_HEADER)]
    row = ["内部备注", *reversed(return_row(siming_project.code, 5))]

    result = import_workbook("returns", xlsx(header, [row]), user=CONSOLE)

    assert result.lines == []
    assert ProgressReturn.objects.get().month == 5


def test_a_column_given_twice_is_an_error(xlsx):
    header = [*RETURN_HEADER, "月份"]

    assert import_workbook("returns", xlsx(header), user=CONSOLE).lines == [
        "第1行 月份: 此列出现了两次（第C列和第K列）"
    ]


def test_a_sheet_with_no_header_lists_every_missing_column(xlsx):
    lines = import_workbook("plans", xlsx([]), user=CONSOLE).lines

    assert lines[:3] == [
        "第1行 项目代码: 缺少此列",
        "第1行 年度: 缺少此列",
        "第1行 年度计划投资(万元): 缺少此列",
    ]
    assert len(lines) == 15  # the optional milestone months may be left out

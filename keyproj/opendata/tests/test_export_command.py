"""`keyproj export oc4ids`: the package on stdout or in a file; a refusal exits 1 with a sentence and writes nothing."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import execute_from_command_line
from openpyxl import load_workbook

from keyproj.supervision.models import CloseStatus, MonthClose

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


def run(*args: str) -> int:
    """The command as the shell runs it (exit code, stderr), in this process so it sees the test database."""
    try:
        execute_from_command_line(["keyproj", "export", "oc4ids", *args])
    except SystemExit as exit:
        return int(exit.code or 0)
    return 0


def test_it_prints_the_package_without_out(capsys):
    assert run("--period", "2019-07") == 0
    package = json.loads(capsys.readouterr().out)
    assert package["version"] == "0.9"
    assert len(package["projects"]) == 357


def test_it_writes_the_package_as_json(tmp_path, capsys):
    out = tmp_path / "july.json"

    assert run("--period", "2019-07", "--out", str(out)) == 0

    package = json.loads(out.read_text(encoding="utf-8"))
    assert len(package["projects"]) == 357
    assert package["projects"][0]["id"].startswith("oc4ids-xmzdxm-")
    assert "357" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["july.json"]  # no temporary file left behind


def test_it_takes_another_prefix(tmp_path):
    out = tmp_path / "july.json"
    assert run("--period", "2019-07", "--out", str(out), "--prefix", "oc4ids-abc123") == 0
    assert json.loads(out.read_text(encoding="utf-8"))["projects"][0]["id"].startswith("oc4ids-abc123-")


def test_it_writes_the_package_as_a_workbook(tmp_path):
    out = tmp_path / "july.xlsx"

    assert run("--period", "2019-07", "--out", str(out)) == 0

    book = load_workbook(io.BytesIO(out.read_bytes()), read_only=True)
    assert "projects" in book.sheetnames
    assert len(list(book["projects"].iter_rows(values_only=True))) == 358  # a header and one row per project


def _reopened():
    MonthClose.objects.filter(year=2019, month=7).update(status=CloseStatus.REOPENED)


def _not_issued():
    snapshot = MonthClose.objects.get(year=2019, month=7).snapshot
    snapshot.pop("notice")
    MonthClose.objects.filter(year=2019, month=7).update(snapshot=snapshot)


def _no_projects():
    snapshot = MonthClose.objects.get(year=2019, month=7).snapshot
    snapshot["public"]["projects"] = []
    MonthClose.objects.filter(year=2019, month=7).update(snapshot=snapshot)


REFUSALS = [
    ("open month", None, ["--period", "2019-08"], "2019年8月尚未关账"),
    ("a month never closed", None, ["--period", "2020-03"], "2020年3月尚未关账"),
    ("reopened", _reopened, ["--period", "2019-07"], "已重新打开"),
    ("not issued", _not_issued, ["--period", "2019-07"], "通报尚未印发"),
    ("no data", _no_projects, ["--period", "2019-07"], "没有项目数据"),
    ("bad period", None, ["--period", "2019-13"], "不是月份"),
    (
        "bad prefix",
        None,
        ["--period", "2019-07", "--prefix", "oc4ids-XM"],
        "前缀应为oc4ids-加6位小写字母或数字，例如oc4ids-xmzdxm，而不是“oc4ids-XM”",
    ),
    ("bad file type", None, ["--period", "2019-07"], "应以.json或.xlsx结尾"),
]


@pytest.mark.parametrize(("case", "arrange", "args", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_a_refusal_exits_1_says_why_and_writes_no_file(case, arrange, args, message, suffix, tmp_path, capsys):
    if arrange:
        arrange()
    out = tmp_path / ("july.txt" if case == "bad file type" else f"july{suffix}")

    assert run(*args, "--out", str(out)) == 1

    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("case", "arrange", "args", "message"), REFUSALS[:5], ids=[r[0] for r in REFUSALS[:5]])
def test_a_refusal_leaves_an_existing_file_untouched(case, arrange, args, message, tmp_path, capsys):
    if arrange:
        arrange()
    out = tmp_path / "july.json"
    out.write_text("earlier export", encoding="utf-8")

    assert run(*args, "--out", str(out)) == 1

    assert message in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["july.json"]


def test_a_refusal_prints_nothing_on_stdout(capsys):
    assert run("--period", "2019-08") == 1
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("name", ["july.json", "exports"])
def test_an_out_that_is_a_folder_is_refused_with_a_sentence(name, tmp_path, capsys):
    folder = tmp_path / name
    folder.mkdir()

    assert run("--period", "2019-07", "--out", str(folder)) == 1

    err = capsys.readouterr().err
    assert "是文件夹" in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


def test_without_a_period_it_exports_the_latest_published_month(tmp_path, capsys):
    out = tmp_path / "latest.json"

    assert run("--out", str(out)) == 0

    package = json.loads(out.read_text(encoding="utf-8"))
    assert package["uri"].endswith("/public/2019-07/oc4ids.json")
    assert len(package["projects"]) == 357


def test_without_a_period_and_no_month_published_it_says_so_and_writes_nothing(tmp_path, capsys):
    MonthClose.objects.update(status=CloseStatus.REOPENED)
    out = tmp_path / "latest.json"

    assert run("--out", str(out)) == 1

    assert "尚无已公开的月份" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

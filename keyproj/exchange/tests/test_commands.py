"""`keyproj import` and `keyproj template`: exit codes, what goes to stdout and to stderr."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from keyproj.core.models import AuditEntry
from keyproj.exchange.tests.books import PROJECT_HEADER, RETURN_HEADER, project_row, return_row
from keyproj.projects.models import Project
from keyproj.returns.models import ProgressReturn, ReturnStatus

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_counts(xlsx, siming):
    book = xlsx(PROJECT_HEADER, [project_row("XM-001"), project_row("XM-002")])

    out, err = run("import", "projects", str(book))

    assert out.strip() == "项目库导入完成：共2行，新增2条，更新0条，未变0条"
    assert err == ""
    assert AuditEntry.objects.filter(action="project.create").values("request_id").distinct().count() == 1
    assert AuditEntry.objects.filter(action="project.create").first().request_id.startswith("cmd-")


def test_import_with_errors_prints_every_line_to_stderr_and_exits_1(xlsx, siming):
    book = xlsx(PROJECT_HEADER, [project_row("XM-001", total_investment=-1), project_row("XM-002", district="x")])
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import", "projects", str(book), stderr=err)

    assert refused.value.returncode == 1
    assert str(refused.value) == "项目库导入失败：共2处错误，未写入任何数据"
    assert err.getvalue().splitlines() == [
        "第2行 总投资(万元): 金额不能为负数（-1）",
        "第3行 所属区: “x”不是有效的所属区（可选：思明区）",
    ]
    assert not Project.objects.exists()


def test_import_dry_run_says_what_would_happen_and_writes_nothing(xlsx, siming):
    out, _ = run("import", "projects", str(xlsx(PROJECT_HEADER, [project_row()])), "--dry-run")

    assert out.strip() == "试运行（未写入任何数据）：项目库共1行，将新增1条，更新0条，未变0条"
    assert not Project.objects.exists()


def test_import_as_a_user_applies_their_scope_and_rights(xlsx, owner_user, siming_project, haicang_project):
    book = xlsx(RETURN_HEADER, [return_row(siming_project.code, 1)])
    run("import", "returns", str(book), "--user", "owner")
    assert ProgressReturn.objects.get().status == ReturnStatus.SUBMITTED

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import",
            "returns",
            str(xlsx(RETURN_HEADER, [return_row(haicang_project.code, 1)])),
            "--user",
            "owner",
            stderr=err,
        )
    assert err.getvalue().strip() == f"第2行 项目代码: 没有项目代码为“{haicang_project.code}”的项目"

    with pytest.raises(CommandError):
        call_command("import", "returns", str(book), "--user", "owner", "--approve", stderr=err)
    assert "只有重点办可以直接导入已审核的填报" in err.getvalue()


def test_import_approve_records_returns_approved(xlsx, siming_project):
    run("import", "returns", str(xlsx(RETURN_HEADER, [return_row(siming_project.code, 1)])), "--approve")

    assert ProgressReturn.objects.get().status == ReturnStatus.APPROVED


def test_import_refuses_an_unknown_user_and_approve_for_projects(xlsx):
    book = str(xlsx(PROJECT_HEADER))

    with pytest.raises(CommandError, match="没有名为“nobody”的有效用户"):
        call_command("import", "projects", book, "--user", "nobody")
    with pytest.raises(CommandError, match="--approve 只适用于 plans 和 returns"):
        call_command("import", "projects", book, "--approve")


def test_template_writes_the_workbook(tmp_path):
    out, _ = run("template", "returns", str(tmp_path / "returns.xlsx"))

    assert out.strip() == f"已生成月度填报模板：{tmp_path / 'returns.xlsx'}"
    assert (tmp_path / "returns.xlsx").stat().st_size > 0
    with pytest.raises(CommandError, match="不存在"):
        call_command("template", "returns", str(tmp_path / "no" / "such" / "dir.xlsx"))


def keyproj(tmp_path, *args):
    """The real `keyproj` console command, in a process of its own with its own state directory."""
    env = {**os.environ, "KEYPROJ_VAR_DIR": str(tmp_path / "var")}
    env.pop("KEYPROJ_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "keyproj", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_console_command_exits_1_on_a_bad_file_and_0_on_a_template(tmp_path):
    bad = tmp_path / "returns.xlsx"
    bad.write_text("项目代码,年度\n", encoding="utf-8")

    refused = keyproj(tmp_path, "import", "returns", str(bad))
    written = keyproj(tmp_path, "template", "plans", str(tmp_path / "plans.xlsx"))

    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == "文件不是xlsx格式的Excel工作簿"
    assert "CommandError: 月度填报导入失败：共1处错误，未写入任何数据" in refused.stderr
    assert refused.stdout == ""
    assert written.returncode == 0, written.stderr
    assert (tmp_path / "plans.xlsx").exists()

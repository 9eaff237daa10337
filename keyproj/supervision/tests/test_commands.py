"""The commands: close-month (with --out), cards --json and ranking --json, and bad input."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keyproj.notices.document import to_text
from keyproj.notices.models import Notice
from keyproj.supervision.models import MonthClose
from keyproj.supervision.notice import notice_for
from keyproj.supervision.tests.helpers import JULY, close, earlier_months_closed, project_with

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.fixture
def programme(siming, haicang):
    return {
        "red": project_with("50", district=siming),
        "yellow": project_with("70", district=haicang),
        "fine": project_with("100", district=siming),
    }


def test_cards_json_is_a_list_of_objects_with_the_agreed_fields(programme):
    close()
    cards = json.loads(run("cards", "--period", "2019-07", "--json"))

    assert [(c["project"], c["colour"]) for c in cards] == [
        (programme["red"].code, "red"),
        (programme["yellow"].code, "yellow"),
    ]
    red = cards[0]
    assert red["rules"] == ["rate"]
    assert red["schedule_rate"] == "50.00"
    assert red["path_to_green"] == "290.00"  # 80 % × 800 − 350
    assert set(red) >= {"project", "colour", "rules", "schedule_rate", "path_to_green"}


def test_ranking_json_lists_the_rows_with_their_indicators(programme):
    close()
    rows = json.loads(run("ranking", "--period", "2019-07", "--list", "districts", "--json"))

    assert [r["name"] for r in rows] == ["海沧区", "思明区"] or [r["name"] for r in rows] == ["思明区", "海沧区"]
    assert {
        "rank",
        "score",
        "board",
        "move",
        "investment_rate",
        "start_rate",
        "completion_rate",
        "timeliness",
        "long_unresolved",
    } <= set(rows[0])


def test_as_a_district_user_the_commands_show_only_their_part(programme, siming_officer):
    close()
    cards = json.loads(run("cards", "--period", "2019-07", "--json", "--user", "siming"))
    rows = json.loads(run("ranking", "--period", "2019-07", "--list", "districts", "--json", "--user", "siming"))
    assert [c["project"] for c in cards] == [programme["red"].code]
    assert [r["name"] for r in rows] == ["思明区"]


def test_close_month_takes_no_number_and_writes_the_draft_files(programme, tmp_path):
    earlier_months_closed(JULY)
    out = run("close-month", "--period", "2019-07", "--out", str(tmp_path))
    assert "2019年7月已关账：红牌1张，黄牌1张" in out
    assert "通报尚未印发" in out
    assert not Notice.objects.exists()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "2019年7月市重点项目建设进展通报（草稿）-排名表.xlsx",
        "2019年7月市重点项目建设进展通报（草稿）.docx",
        "2019年7月市重点项目建设进展通报（草稿）.pdf",
    ]


def test_close_month_with_issue_takes_the_number_and_a_second_run_changes_nothing(programme, tmp_path):
    earlier_months_closed(JULY)
    out = run("close-month", "--period", "2019-07", "--issue", "--out", str(tmp_path))
    close = MonthClose.objects.get(month=7)
    number = close.snapshot["notice"]["number"]
    assert f"通报文号：{number}" in out
    assert Notice.objects.get().number == number
    assert to_text(notice_for(close)).splitlines()[1] == number  # the issued 文号 under the issuer
    assert "2019年7月市重点项目建设进展通报.pdf" in {p.name for p in tmp_path.iterdir()}

    again = run("close-month", "--period", "2019-07", "--issue")
    assert "此前已关账，未作任何修改" in again
    assert MonthClose.objects.filter(month=7).count() == 1
    assert Notice.objects.count() == 1


def test_bad_input_is_a_clear_message_and_writes_nothing(programme):
    with pytest.raises(CommandError, match="格式不对"):
        run("close-month", "--period", "2019/07")
    with pytest.raises(CommandError, match="截止日过后才能关账"):
        run("close-month", "--period", "2099-01")
    with pytest.raises(CommandError, match="榜单“towns”不存在"):
        run("ranking", "--period", "2019-07", "--list", "towns")
    assert not MonthClose.objects.exists()


def test_a_month_not_closed_is_shown_as_a_preview(programme):
    out = run("cards", "--period", "2019-07")
    assert "未关账，以下为预览" in out
    assert not MonthClose.objects.exists()


def test_a_month_not_closed_is_previewed_for_the_console_but_not_for_a_district(programme, siming_officer):
    with pytest.raises(CommandError, match="尚未关账"):
        run("cards", "--period", "2019-07", "--user", "siming")
    with pytest.raises(CommandError, match="尚未关账"):
        run("ranking", "--period", "2019-07", "--user", "siming")
    assert "未关账，以下为预览" in run("ranking", "--period", "2019-07")

import json

import pytest
from django.core.management import CommandError, call_command

from keyproj.testing import make_plan, make_project, make_returns


@pytest.fixture
def programme(siming, haicang):
    a = make_project(district=siming)
    make_plan(a, ["100"] * 12)
    make_returns(a, ["150"] * 7)
    b = make_project(district=haicang)
    make_plan(b, ["100"] * 12)
    make_returns(b, ["20"] * 7)


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("summary", *args, stdout=out)
    return out.getvalue().strip()


def test_it_prints_the_published_sentence(programme):
    assert run("--period", "2019-07") == (
        "1-7月，全市2个市重点项目计划投资0.14亿元，实际完成投资0.12亿元，差0.02亿元，完成序时进度计划85.00%，完成年度计划49.58%。"
    )


def test_january_is_written_as_one_month(programme):
    assert run("--period", "2019-01").startswith("1月，全市2个市重点项目")


def test_a_district_scope_names_the_district(programme):
    assert run("--period", "2019-07", "--scope", "district:350203").startswith("1-7月，思明区1个市重点项目")
    assert "超0.04亿元" in run("--period", "2019-07", "--scope", "district:350203")


def test_json_gives_every_figure_as_strings_with_two_places(programme):
    data = json.loads(run("--period", "2019-07", "--json"))
    assert data == {
        "period": "2019-07",
        "scope": "city",
        "project_count": 2,
        "annual_plan": "2400.00",
        "plan_to_date": "1400.00",
        "actual_to_date": "1190.00",
        "over": "-210.00",
        "schedule_rate": "85.00",
        "annual_rate": "49.58",
        "time_rate": "58.33",
        "time_lead": "-8.75",
    }


def test_as_a_user_it_covers_only_their_scope(programme, siming_officer):
    data = json.loads(run("--period", "2019-07", "--json", "--user", "siming"))
    assert data["project_count"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2019-13"], "月份应为1-12"),
        (["--period", "July"], "格式不对"),
        (["--period", "2019-07", "--scope", "district:999999"], "没有代码或名称"),
        (["--period", "2019-07", "--scope", "planet:mars"], "格式不对"),
        (["--period", "2019-07", "--user", "nobody"], "没有名为"),
    ],
)
def test_bad_arguments_get_a_clear_answer(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_district_officers_figures_are_named_after_their_district(programme, siming_officer):
    data = json.loads(run("--period", "2019-07", "--json", "--user", "siming"))
    assert data["scope"] == "visible"
    assert run("--period", "2019-07", "--user", "siming", "--scope", "category:industry").startswith(
        "1-7月，思明区1个市重点项目（产业项目）"
    )


def test_an_inspectors_figures_say_they_cover_agent_built_projects(programme, inspector_user, agent_org):
    from keyproj.testing import make_plan, make_project

    make_plan(make_project(agent_builder=agent_org))
    assert run("--period", "2019-07", "--user", "inspector").startswith("1-7月，全市1个市重点项目（代建）")


def test_an_organisation_number_must_be_plain_digits(programme):
    with pytest.raises(CommandError, match="没有编号为"):
        run("--period", "2019-07", "--scope", "org:²")

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyproj.core.period import Period
from keyproj.metrics.figures import summary
from keyproj.testing import make_plan, make_project, make_returns

HOME = "/"


@pytest.fixture
def city(siming, haicang):
    """A Siming project ahead of plan and a Haicang project behind it, reported to July 2019."""
    ahead = make_project(district=siming, name="思明示范道路")
    behind = make_project(district=haicang, name="海沧示范学校")
    make_plan(ahead, ["100"] * 12)
    make_plan(behind, ["200"] * 12)
    make_returns(ahead, ["150"] * 7)
    make_returns(behind, ["50"] * 7)
    return ahead, behind


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_office_sees_the_published_sentence_of_the_latest_month(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME)

    assert response.status_code == 200
    sentence = summary(admin_user, Period(2019, 7)).sentence()
    assert sentence.startswith("1-7月，全市2个市重点项目计划投资")
    assert sentence in response.content.decode()
    assert response.context["period"] == Period(2019, 7)


def test_the_home_page_shows_headline_figures_and_three_breakdowns(client, admin_user, city):
    client.force_login(admin_user)

    page = client.get(HOME).content.decode()

    # 1-7月: plan 700 + 1400 = 2100万元 = 0.21亿元; actual 1050 + 350 = 1400万元 = 0.14亿元; 差0.07亿元.
    assert "0.21" in page and "0.14" in page and "差计划" in page
    assert "66.67" in page  # 完成序时进度计划 1400 / 2100
    for title in ("按区", "按项目类别", "按责任单位"):
        assert title in page
    assert "思明区" in page and "海沧区" in page


def test_a_district_officer_sees_only_their_districts_figures(client, siming_officer, city):
    client.force_login(siming_officer)

    response = client.get(HOME)

    page = response.content.decode()
    assert response.context["figures"].project_count == 1
    assert "1-7月，思明区1个市重点项目计划投资0.07亿元，实际完成投资0.11亿元" in page
    assert "海沧区" not in page


def test_the_picker_offers_the_reported_months_newest_first(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME)

    assert response.context["picker"] == [Period(2019, month) for month in range(7, 0, -1)]
    assert '<option value="2019-07" selected>2019年7月</option>' in response.content.decode()


def test_another_month_can_be_chosen(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME, {"period": "2019-03"})

    assert response.context["period"] == Period(2019, 3)
    assert "1-3月，全市2个市重点项目" in response.content.decode()


def test_a_malformed_month_gets_a_friendly_message_not_an_error_page(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME, {"period": "2019-7月"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "格式不对，应为YYYY-MM" in page
    assert "1-7月，全市2个市重点项目" in page  # and the latest month below it


def test_a_month_without_plans_says_so(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME, {"period": "2021-03"})

    assert response.status_code == 200
    assert "2021年3月没有可统计的项目" in response.content.decode()


def test_before_any_approved_return_the_page_says_there_is_nothing_to_publish(client, admin_user):
    client.force_login(admin_user)

    response = client.get(HOME)

    assert response.status_code == 200
    assert "还没有已审核的月度填报" in response.content.decode()


def test_a_user_without_a_role_is_told_they_have_no_projects(client, outsider, city):
    client.force_login(outsider)

    response = client.get(HOME)

    page = response.content.decode()
    assert "您还没有被分配任何项目" in page
    assert "市重点项目" not in page


def test_the_header_names_the_user_and_their_role(client, siming_officer):
    client.force_login(siming_officer)

    page = client.get(HOME).content.decode()

    assert "重点项目督办平台" in page
    assert "思明区 · 区级联络员" in page
    assert 'action="/accounts/logout/"' in page


def test_the_login_page_is_in_chinese_and_signs_the_user_in(client, siming_officer):
    page = client.get(reverse("login")).content.decode()
    assert "用户名" in page and "密码" in page and 'lang="zh-Hans"' in page

    response = client.post(reverse("login"), {"username": "siming", "password": "pw-for-tests-only"})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_refused_in_chinese(client, siming_officer):
    response = client.post(reverse("login"), {"username": "siming", "password": "wrong"})

    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logging_out_ends_the_session(client, siming_officer):
    client.force_login(siming_officer)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(HOME).status_code == 302


def test_the_stylesheet_can_be_found_by_the_static_files_finders():
    from django.contrib.staticfiles import finders

    # keyproj/static is not an app's static folder: settings.STATICFILES_DIRS must list it.
    assert finders.find("keyproj/app.css"), "add BASE_DIR / 'keyproj' / 'static' to STATICFILES_DIRS"


# The dashboard: charts, links to the register, the slowest projects, the milestones ahead.


def _chart_data(response):
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "the chart data is on the page"
    return json.loads(match.group(1))


def test_the_dashboard_has_four_charts_fed_from_the_page(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME)

    page = response.content.decode()
    for chart in ("chart-trend", "chart-district", "chart-category", "chart-unit"):
        assert f'id="{chart}"' in page
    assert "vendor/echarts.min.js" in page and "keyproj/dashboard.js" in page
    data = _chart_data(response)
    assert data["trend"]["plan"][6] == 0.21 and data["trend"]["actual"][6] == 0.14
    assert data["trend"]["actual"][7:] == [None] * 5
    assert data["breakdowns"]["district"]["names"] == ["思明区", "海沧区"]
    assert data["breakdowns"]["district"]["plan"] == [0.07, 0.14]


def test_clicking_a_districts_bar_leads_to_its_projects_of_that_month(client, admin_user, city):
    client.force_login(admin_user)

    data = _chart_data(client.get(HOME, {"period": "2019-05"}))

    assert data["breakdowns"]["district"]["urls"] == [
        "/projects/?district=350203&period=2019-05",
        "/projects/?district=350205&period=2019-05",
    ]
    assert data["breakdowns"]["category"]["urls"] == ["/projects/?category=industry&period=2019-05"]
    ahead, _ = city
    assert data["breakdowns"]["responsible_unit"]["urls"] == [
        f"/projects/?responsible_unit={ahead.responsible_unit_id}&period=2019-05"
    ]


def test_every_number_in_the_breakdown_tables_links_to_its_projects(client, admin_user, city):
    client.force_login(admin_user)

    page = client.get(HOME).content.decode()

    # The name and its seven numbers.
    assert page.count('href="/projects/?district=350205&amp;period=2019-07"') == 8


def test_the_headline_numbers_link_to_the_register_and_the_rates_to_the_projects_behind(client, admin_user, city):
    client.force_login(admin_user)

    page = client.get(HOME).content.decode()

    assert '<a class="card-link" href="/projects/?period=2019-07">2</a>' in page
    assert 'href="/projects/?behind=1&amp;period=2019-07"' in page


def test_the_slowest_projects_are_listed_first_with_links_to_their_pages(client, admin_user, city):
    _, behind = city
    client.force_login(admin_user)

    response = client.get(HOME)

    rows = response.context["behind"]
    assert [row["name"] for row in rows] == ["海沧示范学校", "思明示范道路"]
    assert rows[0]["schedule_rate"] == "25.00" and rows[0]["plan_to_date"] == "1,400.00"
    assert f'href="/projects/{behind.pk}/"' in response.content.decode()


def test_planned_starts_of_the_next_months_are_shown(client, admin_user, siming):
    project = make_project(district=siming, name="八月开工的学校")
    make_plan(project, start_month=8)
    make_returns(make_project(district=siming), ["1"] * 7)  # makes July the latest month
    client.force_login(admin_user)

    page = client.get(HOME).content.decode()

    assert "即将开工和竣工（2019年8月至2019年10月）" in page
    assert "八月开工的学校" in page and f'href="/projects/{project.pk}/"' in page


def test_a_district_officer_sees_nothing_of_another_district_anywhere_on_the_dashboard(
    client, siming_officer, city, haicang
):
    make_plan(make_project(district=haicang, name="海沧八月开工"), start_month=8)
    client.force_login(siming_officer)

    response = client.get(HOME)

    page = response.content.decode()
    assert "海沧" not in page and "350205" not in page
    assert _chart_data(response)["breakdowns"]["district"]["names"] == ["思明区"]
    assert [row["name"] for row in response.context["behind"]] == ["思明示范道路"]


def test_an_owner_sees_the_dashboard_of_their_own_projects(client, owner_user, owner_org, city, siming):
    mine = make_project(district=siming, owner=owner_org, name="业主自己的项目")
    make_plan(mine, ["100"] * 12)
    make_returns(mine, ["80"] * 7)
    client.force_login(owner_user)

    response = client.get(HOME)

    assert response.context["figures"].project_count == 1
    assert [row["name"] for row in response.context["behind"]] == ["业主自己的项目"]
    assert "示范" not in response.content.decode()


def test_a_month_out_of_range_gets_a_friendly_message(client, admin_user, city):
    client.force_login(admin_user)

    response = client.get(HOME, {"period": "2019-13"})

    assert response.status_code == 400
    assert "月份应为1-12" in response.content.decode()
    assert response.context["period"] == Period(2019, 7)


def test_the_dashboard_runs_the_same_number_of_queries_however_many_projects(client, admin_user, siming, haicang):
    def add(n):
        for i in range(n):
            project = make_project(district=siming if i % 2 else haicang)
            make_plan(project, ["100"] * 12, start_month=8, completion_month=9)
            make_returns(project, [str(10 * i)] * 7)

    client.force_login(admin_user)
    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    add(12)
    with CaptureQueriesContext(connection) as many:
        assert client.get(HOME).status_code == 200

    assert len(many) == len(few)
    assert len(few) <= 18  # session, user, scope, closed months, the figures, returns in, the breakdowns …


@pytest.mark.parametrize("who", ["admin_user", "siming_officer"])
def test_the_city_and_a_district_read_their_totals_from_the_aggregate_not_from_each_project(
    client, request, who, siming, haicang
):
    def add(n):
        for i in range(n):
            project = make_project(district=siming if i % 2 else haicang)
            make_plan(project, ["100"] * 12, start_month=8, completion_month=9)
            make_returns(project, [str(10 * i)] * 7)

    client.force_login(request.getfixturevalue(who))
    counted = []
    for n in (3, 27):
        add(n)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(HOME)
        assert response.status_code == 200
        assert "填报中" in response.content.decode()  # the month is provisional: the returns are counted
        sums = [q["sql"] for q in queries if 'SUM("metrics_projectmonth"' in q["sql"]]
        assert sums == []  # the headline, the breakdowns and the curve are the scope's stored rows
        counted.append(len(queries))

    assert counted[0] == counted[1]


def test_a_district_past_a_thousand_yi_is_charted_as_a_number(client, admin_user, siming):
    # 1,200 亿元 planned by July: the tables print "1,200.00", which is no number for a chart.
    large = make_project(district=siming, name="思明特大项目", total_investment="30000000")
    make_plan(large, ["2000000"] * 12)
    make_returns(large, ["1000000"] * 7)
    client.force_login(admin_user)

    response = client.get(HOME, {"period": "2019-07"})

    assert response.status_code == 200
    district = _chart_data(response)["breakdowns"]["district"]
    assert district["plan"] == [1400.0] and district["actual"] == [700.0] and district["rate"] == [50.0]

from __future__ import annotations

import pytest
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

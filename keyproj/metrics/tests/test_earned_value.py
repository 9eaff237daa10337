"""Earned value from the database: the month's figures, and the project page's S-curve block."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.metrics.earned_value import earned_value
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan, make_project

D = Decimal
pytestmark = pytest.mark.django_db


def approved(project, month, investment, completion=None, year=2019):
    save_returns(
        [
            ReturnData(
                project=project, year=year, month=month, investment=D(investment), started=True, completion=completion
            )
        ],
        user=CONSOLE,
        approve=True,
        today=AFTER_2019,
    )


def test_the_months_figures_are_worked_out_from_the_plan_the_returns_and_the_percentage():
    # Total 10,000; 2,000 before the year; 100 planned each month.
    project = make_project(total_investment=D("10000.00"))
    make_plan(project, invested_before=D("2000"))
    approved(project, 1, "150", completion="21")
    approved(project, 2, "250")  # no percentage: February keeps January's
    approved(project, 3, "100", completion="25.5")

    months = earned_value(project, 2019, reported_to=3)

    assert len(months) == 12
    jan, feb, mar, apr = months[:4]
    # January: PV 2,000 + 100, AC 2,000 + 150, EV 21% × 10,000.
    assert (jan.pv, jan.ac, jan.ev) == (D("2100.00"), D("2150.00"), D("2100.0000"))
    assert (feb.pv, feb.ac, feb.ev) == (D("2200.00"), D("2400.00"), D("2100.0000"))
    assert (mar.pv, mar.ac, mar.ev) == (D("2300.00"), D("2500.00"), D("2550.0000"))
    assert mar.spi == D("2550") / D("2300") and mar.cpi == D("1.02")
    # April is not reported yet: its plan only.
    assert (apr.pv, apr.ac, apr.ev, apr.cpi) == (D("2400.00"), None, None, None)


def test_the_percentage_of_an_earlier_year_carries_into_january():
    project = make_project(total_investment=D("10000.00"))
    make_plan(project, year=2018, invested_before=D("0"))
    approved(project, 12, "100", completion="30", year=2018)
    make_plan(project, invested_before=D("2500"))

    january = earned_value(project, 2019, reported_to=1)[0]

    assert january.ev == D("3000.0000") and january.completion == D("30.00")


def test_without_an_opening_balance_pv_and_ac_are_unknown():
    project = make_project(total_investment=D("10000.00"))
    make_plan(project)
    approved(project, 1, "150", completion="21")

    january = earned_value(project, 2019, reported_to=1)[0]

    assert (january.pv, january.ac, january.spi, january.cpi) == (None, None, None, None)
    assert january.ev == D("2100.0000")


def test_the_project_page_shows_the_s_curve_and_the_latest_indices(client, admin_user, siming_project):
    make_plan(siming_project, invested_before=D("2000"))
    approved(siming_project, 1, "150", completion="21")

    client.force_login(admin_user)
    response = client.get(siming_project.get_absolute_url(), {"period": "2019-01"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="earned-value-data"' in page and "keyproj/earned-value" in page
    assert "<script>" not in page.split('id="earned-value"', 1)[1].split("</section>", 1)[0]
    assert response.context["ev_latest"]["spi"] == "1.00"  # 2,100 / 2,100
    assert response.context["ev_latest"]["cpi"] == "0.98"  # 2,100 / 2,150
    chart = json.loads(page.split('id="earned-value-data" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert chart["series"]["ev"][:2] == ["2100.00", None]
    assert chart["series"]["pv"][11] == "3200.00"


def test_the_project_page_asks_for_the_opening_balance_when_there_is_none(client, admin_user, siming_project):
    make_plan(siming_project)

    client.force_login(admin_user)
    page = client.get(siming_project.get_absolute_url(), {"period": "2019-01"}).content.decode()

    assert "截至上年末累计完成投资" in page
    assert 'id="earned-value-data"' not in page


def test_an_outsider_and_another_district_get_404_for_the_page(client, outsider, haicang_officer, siming_project):
    make_plan(siming_project, invested_before=D("2000"))

    for user in (outsider, haicang_officer):
        client.force_login(user)
        assert client.get(siming_project.get_absolute_url()).status_code == 404

"""Scope rules: who may take which project. Every path that assigns a firm goes through save_projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyproj.agents.credit import CreditData, record_credit
from keyproj.agents.models import EntryKind
from keyproj.agents.services import record_entry
from keyproj.agents.tests.helpers import admit, specialty
from keyproj.core.errors import Refused
from keyproj.core.scoping import CONSOLE
from keyproj.orgs.models import OrgKind
from keyproj.projects.models import Category, Project
from keyproj.projects.services import ProjectData, save_projects
from keyproj.testing import district, make_user, org

pytestmark = pytest.mark.django_db


def data(firm, investment="20000", spec="building", code="2019-350203-48-01-000001"):
    return ProjectData(
        code=code,
        name="测试代建项目",
        level="city_key",
        category=Category.objects.get(code="social"),
        district=district("350203"),
        responsible_unit=org(OrgKind.RESPONSIBLE_UNIT, "市建设局"),
        owner=org(OrgKind.OWNER, "测试业主"),
        total_investment=Decimal(investment),
        agent_builder=firm,
        agent_specialty=specialty(spec) if spec else None,
    )


def refused(item) -> str:
    with pytest.raises(Refused) as caught:
        save_projects([item], user=CONSOLE)
    assert not Project.objects.filter(code=item.code).exists()
    return str(caught.value)


def test_a_firm_must_hold_the_projects_specialty():
    firm = admit("甲公司", {"building": "A"})
    assert "不具备项目专业“水利水务”" in refused(data(firm, spec="water"))
    save_projects([data(firm)], user=CONSOLE)
    assert Project.objects.get().agent_builder == firm


def test_a_class_b_firm_may_take_projects_up_to_the_cap_and_no_more():
    firm = admit("乙公司", {"building": "B"})
    message = refused(data(firm, investment="30000.01"))
    assert "乙类" in message and "30,000.00万元" in message
    save_projects([data(firm, investment="30000.00")], user=CONSOLE)
    assert Project.objects.get().total_investment == Decimal("30000.00")


def test_a_class_a_firm_has_no_cap():
    firm = admit("甲公司", {"building": "A"})
    save_projects([data(firm, investment="900000")], user=CONSOLE)


def test_the_cap_follows_the_class_in_the_projects_specialty():
    firm = admit("混合公司", {"building": "A", "landscape": "B"})
    assert "乙类" in refused(data(firm, investment="40000", spec="landscape"))
    save_projects([data(firm, investment="40000", spec="building")], user=CONSOLE)


@pytest.mark.parametrize("kind", [EntryKind.SUSPENSION, EntryKind.REMOVAL])
def test_suspended_or_removed_firms_take_no_new_projects_but_reinstated_ones_do(kind):
    firm = admit("甲公司")
    record_entry(firm, kind, on=dt.date(2019, 1, 1), reason="考评不合格", user=CONSOLE)
    assert "不能承接新项目" in refused(data(firm))
    record_entry(firm, EntryKind.REINSTATEMENT, on=dt.date(2019, 2, 1), reason="整改到位", user=CONSOLE)
    save_projects([data(firm)], user=CONSOLE)


def test_a_blacklisted_firm_takes_no_new_projects():
    firm = admit("甲公司")
    record_credit(
        CreditData(
            firm=firm,
            kind="bad",
            grade="grave",
            points=Decimal("20"),
            valid_from=dt.date(2019, 1, 1),
            valid_until=dt.date(2099, 12, 31),
            description="列入建筑市场黑名单",
            blacklist=True,
        ),
        user=CONSOLE,
    )
    assert "黑名单" in refused(data(firm))


def test_a_firm_not_in_the_directory_is_refused():
    stranger = org(OrgKind.AGENT_BUILDER, "未入库公司")
    assert "未入库" in refused(data(stranger, spec=None))


def test_a_suspended_firm_keeps_the_projects_it_has():
    firm = admit("甲公司")
    save_projects([data(firm)], user=CONSOLE)
    record_entry(firm, EntryKind.SUSPENSION, on=dt.date(2019, 1, 1), reason="暂停", user=CONSOLE)
    item = data(firm)
    item.name = "改名"
    save_projects([item], user=CONSOLE)
    assert Project.objects.get().name == "改名"


def test_the_admin_form_shows_the_reason(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    firm = admit("乙公司", {"building": "B"})
    item = data(firm, investment="50000")
    response = client.post(
        "/admin/projects/project/add/",
        {
            "code": item.code,
            "name": item.name,
            "level": item.level,
            "category": item.category.pk,
            "district": item.district.pk,
            "responsible_unit": item.responsible_unit.pk,
            "owner": item.owner.pk,
            "agent_builder": firm.pk,
            "agent_specialty": item.agent_specialty.pk,
            "total_investment": "50000",
        },
    )
    assert response.status_code == 200
    assert "乙类单位" in response.content.decode()
    assert not Project.objects.exists()


def test_an_import_of_many_projects_is_judged_in_the_same_few_queries_as_one():
    firm = admit("乙公司", {"building": "B"})

    def saved(first: int, count: int) -> int:
        items = [data(firm, code=f"2019-350203-48-01-{n:06d}") for n in range(first, first + count)]
        with CaptureQueriesContext(connection) as queries:
            save_projects(items, user=CONSOLE)
        return len(queries)

    assert saved(1, 2) == saved(100, 20)

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.core.errors import Refused
from keyproj.core.models import AuditEntry
from keyproj.projects.models import Category, Project
from keyproj.projects.services import ProjectData, save_projects
from keyproj.testing import district, org


def data(code="2019-350203-47-01-000001", **overrides):
    values = {
        "code": code,
        "name": "厦门实验小学翔安校区",
        "level": "city_key",
        "category": Category.objects.get(code="social"),
        "district": district("350213"),
        "responsible_unit": org("responsible_unit", "市教育局"),
        "owner": org("owner", "厦门市教育局"),
        "total_investment": Decimal("56000"),
    }
    values.update(overrides)
    return ProjectData(**values)


def test_saving_creates_then_updates_then_leaves_alone(admin_user):
    assert save_projects([data()], user=admin_user).created == 1
    count = save_projects([data(name="厦门实验小学翔安校区（一期）")], user=admin_user)
    assert (count.created, count.updated) == (0, 1)
    assert save_projects([data(name="厦门实验小学翔安校区（一期）")], user=admin_user).unchanged == 1

    project = Project.objects.get()
    assert project.name == "厦门实验小学翔安校区（一期）"
    assert project.version == 2
    assert list(AuditEntry.objects.filter(object_id=str(project.pk)).values_list("action", flat=True)) == [
        "project.update",
        "project.create",
    ]


def test_one_bad_project_refuses_the_whole_batch(admin_user):
    with pytest.raises(Refused) as refused:
        save_projects([data(), data(code="2019-35-bad", total_investment=Decimal("-1"))], user=admin_user)
    assert any("全国投资项目代码格式" in str(p) for p in refused.value.problems)
    assert any("不能为负数" in str(p) for p in refused.value.problems)
    assert not Project.objects.exists()


def test_a_project_must_sit_in_a_district(admin_user):
    with pytest.raises(Refused, match="不是区"):
        save_projects([data(district=org("responsible_unit", "市建设局"))], user=admin_user)


@pytest.mark.parametrize("who", ["siming_officer", "owner_user", "leader_user", "outsider"])
def test_only_the_office_keeps_the_register(db, request, who):
    with pytest.raises(PermissionDenied):
        save_projects([data()], user=request.getfixturevalue(who))
    assert not Project.objects.exists()


def test_data_that_speaks_for_some_facts_leaves_the_others_alone(admin_user, staff_user):
    save_projects([data(tracker=staff_user, location="翔安区")], user=admin_user)
    save_projects([data(name="新名称", only=frozenset({"name", "total_investment"}))], user=admin_user)

    project = Project.objects.get()
    assert project.name == "新名称"
    assert project.tracker == staff_user
    assert project.location == "翔安区"


def test_a_save_from_a_stale_version_is_refused_and_changes_nothing(admin_user):
    from keyproj.core.audit import ConflictError

    save_projects([data()], user=admin_user)
    save_projects([data(name="第一次修改", expected_version=1)], user=admin_user)

    with pytest.raises(ConflictError, match="已被他人修改"):
        save_projects([data(name="第二次修改", expected_version=1)], user=admin_user)
    assert Project.objects.get().name == "第一次修改"

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from keyproj.agents.models import Qualification, Specialty
from keyproj.core.errors import Reason, Refused
from keyproj.core.models import AuditEntry
from keyproj.core.scoping import CONSOLE
from keyproj.exchange.importer import import_workbook
from keyproj.exchange.tests.books import PROJECT_HEADER, project_row
from keyproj.orgs.models import Organisation, OrgKind
from keyproj.projects.models import Project
from keyproj.testing import make_project, org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def districts(siming, haicang):
    """Districts are known bodies: the import finds them, never creates them."""


def test_it_creates_projects_and_the_organisations_they_name(xlsx):
    # An agent builder must be in the 代建 directory to take a project (keyproj.agents.rules).
    firm = org(OrgKind.AGENT_BUILDER, "厦门鹭城项目管理有限公司")
    Qualification.objects.create(firm=firm, specialty=Specialty.objects.get(code="building"), grade="A")
    book = xlsx(
        PROJECT_HEADER,
        [
            project_row("2019-350203-48-01-000001", agent_builder="厦门鹭城项目管理有限公司"),
            project_row("XM-002", district="海沧区", level="省重大", category="社会事业", stage=""),
        ],
    )

    result = import_workbook("projects", book, user=CONSOLE)

    assert result.lines == []
    assert str(result.count) == "新增2条，更新0条，未变0条"
    first = Project.objects.get(code="2019-350203-48-01-000001")
    assert first.name == "测试项目2019-350203-48-01-000001"
    assert first.total_investment == Decimal("12000.50")
    assert first.district.code == "350203"
    assert first.planned_start == dt.date(2019, 3, 1)
    assert first.planned_completion == dt.date(2021, 12, 1)
    assert first.stage.name == "在建"
    assert first.responsible_unit.kind == OrgKind.RESPONSIBLE_UNIT
    assert first.owner.kind == OrgKind.OWNER
    assert first.agent_builder.kind == OrgKind.AGENT_BUILDER
    second = Project.objects.get(code="XM-002")
    assert (second.level, second.category.code, second.stage) == ("provincial_major", "social", None)
    assert second.owner == first.owner  # one organisation per name, shared
    created = AuditEntry.objects.filter(action="organisation.create").values_list("object_repr", flat=True)
    assert sorted(created) == sorted(["市交通局", "厦门路桥建设集团有限公司"])


def test_it_names_existing_organisations_of_a_fitting_kind_instead_of_creating_them(xlsx):
    soe = org(OrgKind.SOE, "厦门路桥建设集团有限公司")
    book = xlsx(PROJECT_HEADER, [project_row(owner="厦门路桥建设集团有限公司", responsible_unit="思明区")])

    import_workbook("projects", book, user=CONSOLE)

    project = Project.objects.get(code="XM-001")
    assert project.owner == soe
    assert project.responsible_unit.kind == OrgKind.DISTRICT
    assert not Organisation.objects.filter(kind=OrgKind.OWNER).exists()


def test_a_new_unit_named_as_responsible_unit_and_owner_becomes_one_organisation(xlsx):
    rows = [project_row("XM-001", responsible_unit="市城建集团"), project_row("XM-002", owner="市城建集团")]

    import_workbook("projects", xlsx(PROJECT_HEADER, rows), user=CONSOLE)

    [unit] = Organisation.objects.filter(name="市城建集团")
    assert unit.kind == OrgKind.RESPONSIBLE_UNIT
    assert Project.objects.get(code="XM-002").owner == unit


def test_reimporting_the_same_file_changes_nothing(xlsx):
    book = xlsx(PROJECT_HEADER, [project_row("XM-001"), project_row("XM-002")])
    import_workbook("projects", book, user=CONSOLE)
    audited = AuditEntry.objects.count()
    organisations = Organisation.objects.count()

    again = import_workbook("projects", book, user=CONSOLE)

    assert str(again.count) == "新增0条，更新0条，未变2条"
    assert AuditEntry.objects.count() == audited
    assert Organisation.objects.count() == organisations


def test_it_updates_a_project_by_code_and_keeps_what_the_workbook_does_not_carry(xlsx, siming, staff_user):
    project = make_project(code="XM-001", name="旧名称", location="思明区湖滨南路", tracker=staff_user)

    result = import_workbook("projects", xlsx(PROJECT_HEADER, [project_row("XM-001", name="新名称")]), user=CONSOLE)

    assert str(result.count) == "新增0条，更新1条，未变0条"
    project.refresh_from_db()
    assert (project.name, project.location, project.tracker) == ("新名称", "思明区湖滨南路", staff_user)
    assert AuditEntry.objects.filter(action="project.update", object_id=str(project.pk)).count() == 1


def test_an_optional_column_left_out_of_the_file_keeps_the_stored_value(xlsx):
    project = make_project(code="XM-001", description="原有建设内容")
    header = [label for label in PROJECT_HEADER if label != "建设内容"]

    import_workbook("projects", xlsx(header, [project_row("XM-001")[:-1]]), user=CONSOLE)

    project.refresh_from_db()
    assert project.description == "原有建设内容"


def test_a_district_may_be_given_by_its_division_code_even_as_a_number(xlsx, haicang):
    import_workbook("projects", xlsx(PROJECT_HEADER, [project_row(district=350205)]), user=CONSOLE)

    assert Project.objects.get(code="XM-001").district == haicang


def test_planned_months_may_be_date_cells_or_written_the_chinese_way(xlsx):
    row = project_row(planned_start=dt.datetime(2019, 3, 18), planned_completion="2021年6月")

    import_workbook("projects", xlsx(PROJECT_HEADER, [row]), user=CONSOLE)

    project = Project.objects.get()
    assert (project.planned_start, project.planned_completion) == (dt.date(2019, 3, 1), dt.date(2021, 6, 1))


def test_a_refusal_by_the_service_undoes_the_organisations_created_for_the_file(xlsx, monkeypatch):
    def refuse(items, *, user):
        raise Refused([Reason("项目代码", "XM-001: 测试用的拒绝")])

    monkeypatch.setattr("keyproj.exchange.importer.save_projects", refuse)

    result = import_workbook("projects", xlsx(PROJECT_HEADER, [project_row()]), user=CONSOLE)

    assert result.lines == ["项目代码: XM-001: 测试用的拒绝"]
    assert not Organisation.objects.exclude(kind=OrgKind.DISTRICT).exists()
    assert not AuditEntry.objects.exists()


def test_headers_may_use_full_width_brackets_a_note_or_leave_the_unit_out(xlsx):
    renamed = {
        "总投资(万元)": "总投资（万元）",
        "项目级别": "项目级别(省重大/市重点)",
        "项目名称": " 项目名称 ",
    }
    full_width = [renamed.get(label, label) for label in PROJECT_HEADER]
    bare = ["总投资" if label == "总投资(万元)" else label for label in PROJECT_HEADER]

    first = import_workbook("projects", xlsx(full_width, [project_row("XM-001")]), user=CONSOLE)
    second = import_workbook("projects", xlsx(bare, [project_row("XM-002")]), user=CONSOLE)

    assert first.lines == [] and second.lines == []
    assert Project.objects.count() == 2


def test_every_error_is_listed_by_row_and_column_and_nothing_is_written(xlsx):
    long_name = "长" * 201
    rows = [
        project_row("XM-001"),  # row 2: right
        project_row("2019-12", name=""),  # row 3
        project_row("XM-003", district="鼓浪屿区", level="区重点"),  # row 4
        project_row("XM-004", category="农业项目", stage="规划中"),  # row 5
        project_row("XM-005", total_investment=-5),  # row 6
        project_row("XM-006", total_investment="十亿"),  # row 7
        project_row("XM-007", planned_start="2019年13月", planned_completion=2019.07),  # row 8
        project_row("XM-008", name=long_name),  # row 9
        project_row("XM-001"),  # row 10: the same code again
        project_row("XM-010", planned_start="2020-06", planned_completion="2019-12"),  # row 11
        project_row("XM-011", owner="", responsible_unit="单" * 101),  # row 12
    ]
    projects, organisations, audited = (
        Project.objects.count(),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
    )

    result = import_workbook("projects", xlsx(PROJECT_HEADER, rows), user=CONSOLE)

    assert result.lines == [
        "第3行 项目代码: “2019-12”不符合全国投资项目代码格式YYYY-RRRRRR-DD-TT-NNNNNN",
        "第3行 项目名称: 不能为空",
        "第4行 项目级别: “区重点”不是有效的项目级别（可选：省重大、市重点）",
        "第4行 所属区: “鼓浪屿区”不是有效的所属区（可选：思明区、海沧区）",
        "第5行 项目类别: “农业项目”不是有效的项目类别（可选：产业项目、社会事业、城乡基础设施、新城基地）",
        "第5行 项目阶段: “规划中”不是有效的项目阶段（可选：策划生成、前期、在建、竣工、投用、暂停、取消）",
        "第6行 总投资(万元): 金额不能为负数（-5）",
        "第7行 总投资(万元): “十亿”不是数字",
        "第8行 计划开工: “2019年13月”不是有效年月，应为YYYY-MM，例如2019-07",
        "第8行 计划竣工: “2019.07”不是有效年月，应为YYYY-MM，例如2019-07",
        "第9行 项目名称: 长度超过200个字符（现为201个）",
        "第10行 项目代码: 与第2行重复（同一项目代码）",
        "第11行 计划竣工: 早于计划开工",
        "第12行 责任单位: 长度超过100个字符（现为101个）",
        "第12行 业主单位: 不能为空",
    ]
    assert result.count is None
    assert Project.objects.count() == projects
    assert Organisation.objects.count() == organisations
    assert AuditEntry.objects.count() == audited


def test_a_missing_column_is_an_error_in_row_one(xlsx):
    header = [label for label in PROJECT_HEADER if label not in ("总投资(万元)", "所属区")]

    result = import_workbook("projects", xlsx(header, [project_row()[:8]]), user=CONSOLE)

    assert result.lines == ["第1行 所属区: 缺少此列", "第1行 总投资(万元): 缺少此列"]
    assert not Project.objects.exists()


def test_only_the_office_may_import_the_register(xlsx, owner_user, siming_officer):
    book = xlsx(PROJECT_HEADER, [project_row()])

    for user in (owner_user, siming_officer):
        assert import_workbook("projects", book, user=user).lines == ["只有重点办可以导入项目库"]
    assert not Project.objects.exists()
    assert import_workbook("projects", book, user=CONSOLE).lines == []  # a service call without a user


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(xlsx, admin_user):
    make_project(code="XM-001")
    book = xlsx(PROJECT_HEADER, [project_row("XM-001"), project_row("XM-002")])
    audited = AuditEntry.objects.count()

    result = import_workbook("projects", book, user=admin_user, dry_run=True)

    assert result.dry_run and result.ok
    assert str(result.count) == "新增1条，更新1条，未变0条"
    assert list(Project.objects.values_list("code", flat=True)) == ["XM-001"]
    assert not Organisation.objects.filter(name="厦门路桥建设集团有限公司").exists()
    assert AuditEntry.objects.count() == audited

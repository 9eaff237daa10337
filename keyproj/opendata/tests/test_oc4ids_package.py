"""The demo's July package: what each OC4IDS field holds, money in exact 元, and nothing that was not published."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from keyproj.accounts.models import User
from keyproj.core.period import Period
from keyproj.opendata import mapping, oc4ids, published
from keyproj.opendata.oc4ids import build_package, yuan
from keyproj.opendata.published import NotPublished, published_close, published_projects
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Project
from keyproj.supervision.models import MonthClose

pytestmark = pytest.mark.django_db

JULY = Period(2019, 7)


@pytest.fixture(scope="module", autouse=True)
def demo(demo_for_module):
    """The Xiamen demo, loaded once for this module."""


@pytest.fixture
def package():
    return build_package(JULY)


def by_code(package, code):
    return next(p for p in package["projects"] if p["identifiers"][0]["id"] == code)


def test_the_july_package_holds_every_project_the_july_snapshot_holds(package):
    assert len(package["projects"]) == len(published_projects(published_close(JULY))) == 357


def test_the_package_names_its_publisher_date_version_and_address(package, settings):
    assert package["version"] == "0.9"
    assert package["publisher"] == {"name": MonthClose.objects.get(year=2019, month=7).snapshot["issuer"]}
    assert package["publishedDate"].startswith("2019-08-10T") and package["publishedDate"].endswith("+08:00")
    assert package["uri"] == f"{settings.KEYPROJ_PUBLIC_URL}/public/2019-07/oc4ids.json"


def test_a_base_address_and_a_prefix_can_be_given():
    package = build_package(JULY, prefix="oc4ids-abc123", base_url="https://data.example.cn/")
    assert package["uri"] == "https://data.example.cn/public/2019-07/oc4ids.json"
    assert all(p["id"].startswith("oc4ids-abc123-") for p in package["projects"])
    assert package["projects"][0]["documents"][0]["url"] == "https://data.example.cn/public/2019-07/notice.pdf"


def test_a_malformed_prefix_is_refused_by_the_builder():
    with pytest.raises(mapping.BadPrefix, match="oc4ids-xmzdxm"):
        build_package(JULY, prefix="oc4ids-XMZDXM")


def test_each_project_is_identified_by_the_prefix_and_its_national_code(package):
    project = by_code(package, "2014-350203-48-02-928319")
    assert project["id"] == "oc4ids-xmzdxm-2014-350203-48-02-928319"
    assert project["identifiers"] == [{"id": "2014-350203-48-02-928319", "scheme": "CN-TZXM"}]
    assert project["title"] == "轨道交通2号线一期工程"
    assert project["description"] == "线路全长约31.6公里，设车站22座"
    assert project["language"] == "zh"
    assert project["status"] == "implementation"
    assert project["type"] == "construction"
    assert project["sector"] == ["transport", "transport.rail"]


def test_money_is_converted_to_yuan_exactly(package):
    project = by_code(package, "2014-350206-39-03-536689")  # 总投资 89700.00 万元
    assert project["budget"] == {"amount": {"amount": 897000000, "currency": "CNY"}}
    assert isinstance(project["budget"]["amount"]["amount"], int)
    assert yuan("0.01") == 100
    assert yuan(Decimal("12345678.99")) == 123456789900


def test_the_forecast_is_the_years_monthly_plan_and_adds_up_to_the_annual_plan(package):
    close = published_close(JULY)
    row = next(r for r in published_projects(close) if r["code"] == "2014-350203-48-02-928319")
    project = by_code(package, row["code"])
    (forecast,) = project["forecasts"]
    assert forecast["id"] == "financialProgress"
    assert [o["id"] for o in forecast["observations"]] == [f"2019-{m:02d}" for m in range(1, 13)]
    assert [o["value"]["amount"] for o in forecast["observations"]] == [yuan(w) for w in row["plan"]["monthly"]]
    annual = next(r for r in close.snapshot["projects"] if r["id"] == row["id"])["annual_plan"]
    assert sum(o["value"]["amount"] for o in forecast["observations"]) == yuan(annual)
    assert forecast["observations"][6]["period"] == {
        "startDate": "2019-07-01T00:00:00+08:00",
        "endDate": "2019-07-31T23:59:59+08:00",
    }


def test_the_metrics_are_each_published_months_return_and_add_up_to_the_actual_to_date(package):
    close = published_close(JULY)
    row = next(r for r in published_projects(close) if r["code"] == "2014-350203-48-02-928319")
    metrics = {m["id"]: m for m in by_code(package, row["code"])["metrics"]}
    money = metrics["financialProgress"]["observations"]
    assert [o["id"] for o in money] == [f"2019-{m:02d}" for m in range(1, 8)]
    assert money[-1]["value"] == {"amount": yuan(row["return"]["investment"]), "currency": "CNY"}
    actual = next(r for r in close.snapshot["projects"] if r["id"] == row["id"])["actual_to_date"]
    assert sum(o["value"]["amount"] for o in money) == yuan(actual)
    assert metrics["physicalProgress"]["observations"][-1]["measure"] == row["return"]["physical_progress"]


def test_parties_carry_roles_and_the_district_its_gb2260_code(package):
    project = by_code(package, "2014-350203-48-02-928319")
    parties = {p["name"]: p for p in project["parties"]}
    assert parties["市交通局"]["roles"] == ["publicAuthority"]
    assert parties["思明区"] == {
        "id": "350203",
        "name": "思明区",
        "roles": ["publicAuthority"],
        "identifier": {"scheme": "CN-GB2260", "id": "350203"},
    }
    assert parties["厦门轨道交通集团有限公司"]["roles"] == ["buyer"]
    assert project["publicAuthority"] == {"id": "市交通局", "name": "市交通局"}
    lng, lat = Project.objects.values_list("lng", "lat").get(code="2014-350203-48-02-928319")
    assert project["locations"] == [
        {
            "id": "1",
            "description": "海沧区、思明区、湖里区",
            "gazetteer": {"scheme": "CN-GB2260", "identifiers": ["350203"]},
            # The project's point, WGS-84, longitude first (GeoJSON).
            "geometry": {"type": "Point", "coordinates": [float(lng), float(lat)]},
        }
    ]


def test_an_agent_builder_is_the_procuring_entity(package):
    with_agent = [p for p in package["projects"] if any("procuringEntity" in q["roles"] for q in p["parties"])]
    assert len(with_agent) == sum(1 for r in published_projects(published_close(JULY)) if r["agent_builder"])


def test_a_completion_the_returns_date_is_met_in_that_month(package):
    project = next(p for p in package["projects"] if "completion" in p)
    milestones = {m["id"]: m for m in project["milestones"]}
    assert milestones["completion"]["status"] == "met"
    assert milestones["completion"]["dateMet"] == project["completion"]["endDate"]
    assert project["status"] in ("completion", "maintenance")


def test_a_start_before_the_first_return_is_met_without_a_date(package):
    """文灶社区卫生服务中心 started in 2015; the demo's first return (January 2019) already says 已开工."""
    rows = published_projects(published_close(JULY))
    row = next(r for r in rows if r["name"] == "文灶社区卫生服务中心")
    assert row["started_in"] == "2019-01"
    project = by_code(package, row["code"])
    commencement = next(m for m in project["milestones"] if m["id"] == "commencement")
    assert commencement["status"] == "met"
    assert "dateMet" not in commencement
    assert "completion" not in project  # in use, but no return says when it was completed


def test_a_start_the_returns_show_is_dated(package):
    dated = [m for p in package["projects"] for m in p["milestones"] if m["id"] == "commencement" and "dateMet" in m]
    assert dated
    assert all(m["dateMet"].startswith("2019-") for m in dated)


def test_every_project_links_the_months_notice(package):
    documents = package["projects"][0]["documents"]
    assert documents == [
        {
            "id": "notice-2019-07",
            "documentType": "physicalProgressReport",
            "title": "关于2019年1-7月市重点项目建设进展情况的通报 厦重点办〔2019〕7号",
            "url": "http://127.0.0.1:8000/public/2019-07/notice.pdf",
            "format": "application/pdf",
            "datePublished": package["publishedDate"],
            "language": "zh",
        }
    ]


def _empties(value, path=""):
    if (isinstance(value, str) and not value.strip()) or (isinstance(value, (dict, list)) and not value):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _empties(item, f"{path}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _empties(item, f"{path}/{index}")
    elif value is None:
        yield path


def test_no_value_is_empty_or_null(package):
    assert list(_empties(package)) == []


def test_no_persons_name_or_phone_appears(package):
    text = json.dumps(package, ensure_ascii=False)
    names = [n for n in User.objects.exclude(full_name="").values_list("full_name", flat=True)]
    contacts = [c for c in Organisation.objects.exclude(contact="").values_list("contact", flat=True)]
    phones = [p for p in Organisation.objects.exclude(phone="").values_list("phone", flat=True)]
    assert names and contacts and phones
    assert [s for s in names + contacts + phones if s in text] == []


def test_no_internal_id_appears(package):
    ids = {str(pk) for pk in Project.objects.values_list("pk", flat=True)}
    for project in package["projects"]:
        held = {project["id"], *(i["id"] for i in project["identifiers"]), *(p["id"] for p in project["parties"])}
        assert not (held & ids)
        # The project's own id is the prefix and its code, nothing else.
        assert re.fullmatch(r"oc4ids-xmzdxm-" + re.escape(project["identifiers"][0]["id"]), project["id"])


def test_the_package_can_be_limited_to_some_projects():
    siming = set(Project.objects.filter(district__code="350203").values_list("pk", flat=True))
    package = build_package(JULY, project_ids=siming)
    assert len(package["projects"]) == 32
    assert {p["locations"][0]["gazetteer"]["identifiers"][0] for p in package["projects"]} == {"350203"}
    assert build_package(JULY, project_ids=set())["projects"] == []


def test_an_unpublished_month_is_refused():
    with pytest.raises(NotPublished, match="尚未关账"):
        build_package(Period(2019, 8))


@pytest.mark.parametrize(
    ("stage", "started", "expected"),
    [
        ("planning", False, "identification"),
        ("preparation", False, "preparation"),
        ("construction", True, "implementation"),
        ("completed", True, "completion"),
        ("in_use", True, "maintenance"),
        ("cancelled", False, "cancelled"),
        ("suspended", True, "implementation"),
        ("suspended", False, "preparation"),
        ("something_new", True, None),
        (None, False, None),
    ],
)
def test_the_stage_to_status_table(stage, started, expected):
    assert mapping.status(stage, started=started) == expected


@pytest.mark.parametrize(
    ("name", "category", "sector", "kind"),
    [
        ("新阳中学新建工程", "social", ["education"], "construction"),
        ("坂尚医院改扩建工程", "social", ["health"], "expansion"),
        ("黄厝大道改造提升工程", "infrastructure", ["transport", "transport.road"], "rehabilitation"),
        ("新机场片区蔡厝学校", "new_city", ["education"], "construction"),
        ("马銮湾保障房地铁社区一期", "social", ["socialHousing"], "construction"),
        ("文灶220千伏输变电工程", "infrastructure", ["energy"], "construction"),
        ("莲河港区泊位工程", "infrastructure", ["transport", "transport.water"], "construction"),
        ("晶芯智能装备制造基地二期", "industry", ["economy"], "construction"),
        ("集美新城基础设施及配套建设", "new_city", [], "construction"),
    ],
)
def test_the_sector_and_type_rules(name, category, sector, kind):
    assert mapping.sector(name, category) == sector
    assert mapping.project_type(name) == kind


def test_every_status_type_and_sector_of_the_package_is_a_codelist_code(package):
    assert {p.get("status") for p in package["projects"]} <= set(mapping.STATUS.values())
    assert {p["type"] for p in package["projects"]} <= {"construction", "rehabilitation", "expansion"}
    sectors = {s for p in package["projects"] for s in p.get("sector", [])}
    assert sectors <= {code for code, _ in mapping.SECTOR_KEYWORDS} | {"transport", "economy"}


def test_a_limited_package_reads_only_those_projects_rows_from_the_database(monkeypatch):
    """At 10,000 projects a user's package must not decode every row of the year to keep a few."""
    read = []

    def counting(close, **kwargs):
        for item in published.year_so_far(close, **kwargs):
            read.append(item[1]["id"])
            yield item

    monkeypatch.setattr(oc4ids, "year_so_far", counting)
    siming = Project.objects.filter(district__code="350203").values("pk")

    package = build_package(JULY, project_ids=siming)

    assert len(package["projects"]) == 32
    assert set(read) <= set(siming.values_list("pk", flat=True))


def test_a_package_can_be_given_its_own_address():
    siming = Project.objects.filter(district__code="350203").values("pk")
    uri = "https://data.example.cn/api/v1/open-data/oc4ids/?period=2019-07"
    assert build_package(JULY, project_ids=siming, uri=uri)["uri"] == uri


def _row(**orgs):
    return {"code": "2019-350203-48-01-000001", "name": "某道路工程", **orgs}


def test_a_district_government_that_is_also_the_responsible_unit_keeps_its_division_code():
    district = {"name": "思明区人民政府", "code": "350203"}
    parties, authority = oc4ids._parties(_row(responsible_unit=district, district=district))

    assert parties == [
        {
            "id": "350203",
            "name": "思明区人民政府",
            "roles": ["publicAuthority"],
            "identifier": {"scheme": "CN-GB2260", "id": "350203"},
        }
    ]
    assert authority == {"id": "350203", "name": "思明区人民政府"}


def test_a_partys_identifier_scheme_follows_the_shape_of_its_code():
    row = _row(
        responsible_unit={"name": "市交通局", "code": "11350200003612345x"},
        district={"name": "思明区", "code": "350203"},
        owner={"name": "厦门某建设有限公司", "code": "91350200MA2YD8RK3P"},
        agent_builder={"name": "某代建公司", "code": "DJ-0042"},
    )
    parties = {party["name"]: party for party in oc4ids._parties(row)[0]}

    assert parties["市交通局"]["identifier"] == {"scheme": "CN-USCC", "id": "11350200003612345x"}
    assert parties["思明区"]["identifier"] == {"scheme": "CN-GB2260", "id": "350203"}
    assert parties["厦门某建设有限公司"]["identifier"] == {"scheme": "CN-USCC", "id": "91350200MA2YD8RK3P"}
    assert parties["某代建公司"] == {"id": "DJ-0042", "name": "某代建公司", "roles": ["procuringEntity"]}


@pytest.mark.parametrize(
    ("code", "scheme"),
    [
        ("91350200MA2YD8RK3P", "CN-USCC"),
        ("91350200ma2yd8rk3p", "CN-USCC"),
        ("350203", "CN-GB2260"),
        ("91350200MA2YD8RK3", None),  # 17 characters
        ("91350200MA2YD8RKIO", None),  # I and O are not in the code's alphabet
        ("3502030", None),
        ("厦门市思明区", None),
        ("", None),
    ],
)
def test_the_identifier_scheme_of_a_code(code, scheme):
    identifier = mapping.org_identifier(code)
    assert (identifier and identifier["scheme"]) == (scheme or None)


def _month(month, started=None, completed=None, started_in=None, completed_in=None):
    ret = {key: value for key, value in (("started", started), ("completed", completed)) if value is not None}
    row = {"return": ret or None, "started_in": started_in, "completed_in": completed_in}
    return Period(2019, month), row


def test_the_milestone_months_are_dated_only_when_a_return_said_not_yet_before():
    months = [
        _month(1, started=False, completed=False),
        _month(2, started=True, completed=False, started_in="2019-02"),
        _month(3, started=True, completed=True, started_in="2019-02", completed_in="2019-03"),
    ]
    assert oc4ids.milestone_months(months) == ("2019-02", "2019-03")
    assert oc4ids.milestone_months(months[:2]) == ("2019-02", None)
    # Started before the first return: met, but no month to show (the completion a return said "not yet" to is).
    assert oc4ids.milestone_months(months[1:]) == (None, "2019-03")
    assert oc4ids.milestone_months(months[2:]) == (None, None)
    assert oc4ids.milestone_months([]) == (None, None)


def test_the_milestone_months_are_the_packages_dates(package):
    close = published_close(JULY)
    dated = [p for p in package["projects"] if any("dateMet" in m for m in p.get("milestones", []))]
    assert dated
    for project in dated[:20] + package["projects"][:10]:
        months = list(published.year_so_far(close, code=project["identifiers"][0]["id"]))
        started, completed = oc4ids.milestone_months(months)
        met = {m["id"]: m.get("dateMet") for m in project.get("milestones", [])}
        assert (met.get("commencement") or None) == (started and oc4ids._month_end(started))
        assert (met.get("completion") or None) == (completed and oc4ids._month_end(completed))

"""keyproj's words in OC4IDS's: every code table of the export in one place (docs/open-data.md repeats them).

What a table cannot map is left out of the export rather than guessed into a code: a stage the
table does not know gives no `status`, a project no keyword or category places gives no `sector`.
OC4IDS's closed codelists (projectStatus, projectType, currency, milestoneStatus, geometryType)
take only the values written here; the open ones (sector, party roles, document types, gazetteer
schemes) take the codelist's own codes wherever one fits, and a scheme of ours only where none does.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

# ------------------------------------------------------------------------------ the project-id prefix

# The standard's conformance check (libcoveoc4ids: ^oc4ids-[a-z0-9]{6}.) wants "oc4ids-", six
# lowercase letters or digits registered with the standard's stewards, then the project's own id
# (we join it with "-"). The prefix alone is checked here, whole: nothing may follow the six.
PREFIX_PATTERN = re.compile(r"^oc4ids-[a-z0-9]{6}$")


class BadPrefix(ValueError):
    """The OC4IDS prefix is not of the form the standard requires; the message says so in Chinese."""


def check_prefix(prefix: str) -> str:
    """The prefix when it is well formed (settings, command line, builder alike); BadPrefix otherwise."""
    if not isinstance(prefix, str) or not PREFIX_PATTERN.match(prefix):
        raise BadPrefix(
            _("前缀应为oc4ids-加6位小写字母或数字，例如oc4ids-xmzdxm，而不是“%(prefix)s”")
            % {"prefix": str(prefix)[:40]}
        )
    return prefix


# ------------------------------------------------------------------------------ status

# keyproj's stage (keyproj.projects.defaults.STAGES) → OC4IDS projectStatus (closed codelist).
# 暂停 (suspended) has no status of its own in OC4IDS: a suspended project stays in the phase it
# stopped in — implementation once the works have started (a return reported 开工), preparation before.
STATUS: dict[str, str] = {
    "planning": "identification",
    "preparation": "preparation",
    "construction": "implementation",
    "completed": "completion",
    "in_use": "maintenance",
    "cancelled": "cancelled",
}
SUSPENDED = "suspended"


def status(stage_code: str | None, *, started: bool) -> str | None:
    """The projectStatus of a stage; None (the field left out) for a stage the table does not know."""
    if stage_code == SUSPENDED:
        return "implementation" if started else "preparation"
    return STATUS.get(stage_code or "")


# ------------------------------------------------------------------------------ type

# OC4IDS projectType (closed codelist), read from the project's name; new construction otherwise.
TYPE_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("expansion", ("扩建", "扩产")),
    ("rehabilitation", ("改造", "修缮", "提升", "整治", "修复")),
]
DEFAULT_TYPE = "construction"


def project_type(name: str) -> str:
    """construction, rehabilitation or expansion, by the first keyword the name holds (改扩建 counts as expansion)."""
    for code, words in TYPE_KEYWORDS:
        if any(word in name for word in words):
            return code
    return DEFAULT_TYPE


# ------------------------------------------------------------------------------ sector

# OC4IDS projectSector (open codelist, only its own codes used), read from the project's name; the
# first rule whose keyword the name holds wins, so the order settles names that hold two (马銮湾保障房
# 地铁社区 is housing, not rail). An area's name is not read ("新机场片区蔡厝学校" is a school, not an
# airport): everything up to the last 片区 is dropped first.
SECTOR_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("education", ("学校", "中学", "小学", "幼儿园", "大学", "学院", "校区")),
    ("health", ("医院", "卫生", "心脏中心", "妇幼", "疾控")),
    ("socialHousing", ("保障房", "安置房", "保障性住房", "保障性安居", "安居工程", "人才公寓", "公租房")),
    ("cultureSportsAndRecreation", ("体育", "文化", "文体", "图书馆", "博物馆", "艺术", "公园")),
    ("energy", ("变电站", "输变电", "千伏", "电力", "燃气")),
    ("waterAndWaste", ("污水", "供水", "水厂", "水库", "垃圾", "水质净化")),
    ("transport.rail", ("轨道", "地铁")),
    ("transport.air", ("机场",)),
    ("transport.water", ("港区", "码头", "泊位", "航道")),
    ("transport.road", ("道路", "大道", "大桥", "隧道", "快速路", "立交", "国道", "省道", "改线")),
    ("transport.urban", ("公交", "枢纽", "停车场")),
    ("naturalResources", ("生态", "岸线")),
]
# When no keyword places a project: 产业项目 are economy by definition (firms' plants, parks and
# offices). 社会事业, 城乡基础设施 and 新城基地 span too many sectors for one guess, so they give none.
SECTOR_BY_CATEGORY: dict[str, str] = {"industry": "economy"}
_AREA = re.compile(r"^.*片区")


def sector(name: str, category_code: str | None) -> list[str]:
    """The project's sector codes, the parent first when a subsector is used; [] when unknown."""
    words = _AREA.sub("", name)
    code = next((code for code, keys in SECTOR_KEYWORDS if any(key in words for key in keys)), None)
    code = code or SECTOR_BY_CATEGORY.get(category_code or "")
    if code is None:
        return []
    parent = code.split(".")[0]
    return [parent, code] if parent != code else [code]


# ------------------------------------------------------------------------------ parties

# The organisations that answer for a project, in the order they are listed, with their partyRole
# codes (open codelist, only its own codes used):
# * 责任单位 — the government department the city holds to account for the project: the project's
#   public authority (the `publicAuthority` reference points at it);
# * 区政府 — the district government where the project is, ranked for it every month: also a public
#   authority of the project;
# * 业主单位 — the project's owner (建设单位), whose funds pay for the works: buyer. An owner is often
#   a company (every 产业项目's is), so it is not called a public authority;
# * 代建单位 — the agent-construction firm that manages the works' procurement and construction for
#   the owner: procuringEntity.
ROLES: dict[str, list[str]] = {
    "responsible_unit": ["publicAuthority"],
    "district": ["publicAuthority"],
    "owner": ["buyer"],
    "agent_builder": ["procuringEntity"],
}
# The party the project's `publicAuthority` names: the first of these the project has.
PUBLIC_AUTHORITY_FROM = ("responsible_unit", "district")


# ------------------------------------------------------------------------------ identifier schemes

# The national investment-project code (GB/T 40058-2021, YYYY-RRRRRR-DD-TT-NNNNNN) is issued by the
# national online approval and supervision platform for investment projects (全国投资项目在线审批监管
# 平台, tzxm.gov.cn): scheme CN-TZXM. A project with a local code is identified in the publisher's own
# register, named by the publisher's OC4IDS prefix.
PROJECT_CODE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")
PROJECT_CODE_SCHEME = "CN-TZXM"
# An organisation's unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters, the
# registering authority and kind (2), the administrative division (6 digits), then 10 of the code's
# alphabet (digits and capitals without I, O, Z, S, V). Taken in either case.
ORG_CODE_SCHEME = "CN-USCC"
ORG_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.IGNORECASE)
# An administrative division code (GB/T 2260, 6 digits), as an organisation identifier (a district
# government's) and as a gazetteer.
DIVISION_SCHEME = "CN-GB2260"
DIVISION_CODE = re.compile(r"^\d{6}$")


def project_code_scheme(code: str, prefix: str) -> str:
    """CN-TZXM for a national project code, the publisher's prefix for a local one."""
    return PROJECT_CODE_SCHEME if PROJECT_CODE.match(code) else prefix


def org_identifier(code: str) -> dict[str, Any] | None:
    """The identifier an organisation's code is under, by the code's shape: a credit code, a division code.

    The shape decides, not the organisation's role in the project: a district government that is also
    a project's responsible unit keeps its division code. A code of neither shape gives no identifier
    (the party is still named by it), never one under a scheme it does not belong to.
    """
    code = (code or "").strip()
    if ORG_CODE.fullmatch(code):
        return {"scheme": ORG_CODE_SCHEME, "id": code}
    if DIVISION_CODE.fullmatch(code):
        return {"scheme": DIVISION_SCHEME, "id": code}
    return None


# ------------------------------------------------------------------------------ the rest

CURRENCY = "CNY"
LANGUAGE = "zh"
VERSION = "0.9"
# The month's 通报 reports the projects' construction progress (建设进展), investment included.
NOTICE_DOCUMENT_TYPE = "physicalProgressReport"
# Stages whose projects have started / been completed, whether or not a return in keyproj says when.
STARTED_STAGES = frozenset({"construction", "completed", "in_use"})
COMPLETED_STAGES = frozenset({"completed", "in_use"})

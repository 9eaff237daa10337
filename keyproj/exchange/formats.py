"""The three interchange workbooks: their columns, what each takes, and how a header is recognised.

One description serves the reader (which header cell is which column), the validator
(required or not, how long a text may be) and the template writer (header, width, comment,
number format). Column labels are the names errors use: `第3行 总投资(万元): 不能为空`.
"""

from __future__ import annotations

from keyproj.core.workbooks.formats import Column, Format, Kind
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Project


def _length(model: type, field: str) -> int | None:
    return model._meta.get_field(field).max_length  # type: ignore[attr-defined]


_ORG_NAME = _length(Organisation, "name")
_MONEY_HINT = "金额，单位万元，最多两位小数，不能为负数"
_CODE_HINT = (
    "全国投资项目代码 YYYY-RRRRRR-DD-TT-NNNNNN（如 2019-350203-48-01-000001），"
    "或本地代码（字母、数字和 - _ . /，最长40个字符）"
)
_NEW_ORG = "填单位全称；系统中还没有的单位将在导入时自动新增"

PROJECTS = Format(
    "projects",
    "项目库",
    (
        Column(
            "项目代码",
            "code",
            Kind.CODE,
            hint=f"必填。{_CODE_HINT}",
            width=26,
            max_length=_length(Project, "code"),
        ),
        Column("项目名称", "name", hint="必填。项目全称", width=36, max_length=_length(Project, "name")),
        Column("项目级别", "level", Kind.CHOICE, hint="必填。省重大 / 市重点"),
        Column("项目类别", "category", Kind.CHOICE, hint="必填。{categories}（名称或代码）", width=16),
        Column("所属区", "district", Kind.DISTRICT, hint="必填。区名称或6位行政区划代码，如 思明区 / 350203"),
        Column("责任单位", "responsible_unit", Kind.ORG, hint=f"必填。{_NEW_ORG}", width=24, max_length=_ORG_NAME),
        Column("业主单位", "owner", Kind.ORG, hint=f"必填。{_NEW_ORG}", width=30, max_length=_ORG_NAME),
        Column(
            "代建单位",
            "agent_builder",
            Kind.ORG,
            required=False,
            hint=f"选填。{_NEW_ORG}",
            width=30,
            max_length=_ORG_NAME,
        ),
        Column("总投资(万元)", "total_investment", Kind.MONEY, hint=f"必填。{_MONEY_HINT}", width=16),
        Column(
            "计划开工",
            "planned_start",
            Kind.YEAR_MONTH,
            required=False,
            hint="选填。年月，格式 YYYY-MM，如 2019-07",
        ),
        Column(
            "计划竣工",
            "planned_completion",
            Kind.YEAR_MONTH,
            required=False,
            hint="选填。年月，格式 YYYY-MM，如 2021-12；不能早于计划开工",
        ),
        Column("项目阶段", "stage", Kind.CHOICE, required=False, hint="选填。{stages}（名称或代码）"),
        Column("建设内容", "description", required=False, hint="选填。建设规模和主要内容", width=40),
        # The point: read as text, so that the service judges a workbook's numbers as it does a form's.
        Column(
            "经度",
            "lng",
            required=False,
            hint="选填。项目位置的经度（十进制度），如 118.089425；须与纬度同填，点须在所属区内",
            width=14,
            max_length=40,
        ),
        Column(
            "纬度",
            "lat",
            required=False,
            hint="选填。项目位置的纬度（十进制度），如 24.479833；须与经度同填",
            width=14,
            max_length=40,
        ),
        Column(
            "坐标系",
            "crs",
            Kind.CHOICE,
            required=False,
            hint="选填。WGS-84（GPS）或 GCJ-02（高德、腾讯等国内网络地图）；空白按 WGS-84",
            width=12,
            max_length=20,
        ),
    ),
)

_MONTH_COLUMNS = tuple(
    Column(f"{m}月", f"m{m}", Kind.MONEY, required=True, hint=f"{m}月计划投资，单位万元；空白按0计", width=12)
    for m in range(1, 13)
)

PLANS = Format(
    "plans",
    "年度计划",
    (
        Column("项目代码", "code", Kind.CODE, hint="必填。项目库中已有的项目代码", width=26),
        Column("年度", "year", Kind.YEAR, hint="必填。四位年份，如 2019", width=8),
        Column("年度计划投资(万元)", "investment", Kind.MONEY, hint=f"必填。{_MONEY_HINT}；应等于1-12月计划之和"),
        *_MONTH_COLUMNS,
        Column(
            "计划开工月份",
            "start_month",
            Kind.MONTH,
            required=False,
            hint="选填。该年度内计划开工的月份，1-12",
        ),
        Column(
            "计划竣工月份",
            "completion_month",
            Kind.MONTH,
            required=False,
            hint="选填。该年度内计划竣工的月份，1-12；不能早于计划开工月份",
        ),
        Column(
            "截至上年末累计完成投资(万元)",
            "invested_before",
            Kind.MONEY,
            required=False,
            hint=f"选填。项目开工至上年末累计完成的投资（挣值分析的期初数）；{_MONEY_HINT}",
            width=18,
        ),
    ),
)

RETURNS = Format(
    "returns",
    "月度填报",
    (
        Column("项目代码", "code", Kind.CODE, hint="必填。项目库中已有、且由您填报的项目代码", width=26),
        Column("年度", "year", Kind.YEAR, hint="必填。四位年份，如 2019", width=8),
        Column("月份", "month", Kind.MONTH, hint="必填。1-12；只能填报已经结束的月份", width=8),
        Column("本月完成投资(万元)", "investment", Kind.MONEY, hint=f"必填。{_MONEY_HINT}"),
        Column("形象进度", "physical_progress", hint="必填。本月末的形象进度（文字）", width=40),
        Column("是否开工", "started", Kind.YES_NO, hint="必填。是 / 否"),
        Column("是否竣工", "completed", Kind.YES_NO, hint="必填。是 / 否；未开工的项目不能填“是”"),
        Column("存在问题", "problems", required=False, hint="选填。需要协调解决的问题", width=40),
        # Read as text: the service parses it, so that a form, the API and the workbook refuse alike.
        # Not "形象进度(%)": a header's trailing (note) is dropped, and that would read as 形象进度.
        Column(
            "形象进度百分比(%)",
            "completion",
            required=False,
            hint="选填。项目累计完成总工程量的百分比，0-100，如 68 或 68.5",
            width=12,
        ),
        Column(
            "进度回落原因",
            "completion_drop_reason",
            required=False,
            hint="选填。形象进度百分比低于此前填报时必填，说明原因",
            width=30,
        ),
    ),
)

# The month columns of a plan may be left blank (nothing planned that month), but must be there.
BLANK_IS_ZERO = frozenset(c.key for c in _MONTH_COLUMNS)

FORMATS: dict[str, Format] = {f.name: f for f in (PROJECTS, PLANS, RETURNS)}

"""The default rule rows of 代建管理; the office edits them in the admin afterwards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# The scoring sheet (评分表): code, name, English name, maximum points, what costs points.
SCORING_ITEMS: list[tuple[str, str, str, Decimal, str]] = [
    ("organisation", "组织协调", "Organisation and coordination", Decimal("15"), "机构设置、人员到位、参建单位协调"),
    ("investment", "投资控制", "Investment control", Decimal("15"), "概算控制、变更签证、资金拨付"),
    ("schedule", "进度管理", "Schedule", Decimal("20"), "节点计划完成、序时进度"),
    ("quality", "质量管理", "Quality", Decimal("15"), "质量体系、实体质量、整改闭合"),
    ("safety", "安全文明施工与现场管理", "Safety and site management", Decimal("20"), "安全隐患、文明施工、扬尘治理"),
    ("records", "内业资料", "Records", Decimal("15"), "台账、会议纪要、档案"),
]

FIRST_RULE_FROM = dt.date(2019, 1, 1)


def load(apps) -> None:  # type: ignore[no-untyped-def]
    """Create the first rule version and the scoring sheet when they are missing."""
    rule = apps.get_model("agents", "AgentRule")
    item = apps.get_model("agents", "ScoringItem")
    if not rule.objects.exists():
        rule.objects.create(version=1, effective_from=FIRST_RULE_FROM, note="默认规则")
    for order, (code, name, name_en, points, guidance) in enumerate(SCORING_ITEMS, start=1):
        item.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "order": order, "max_points": points, "guidance": guidance},
        )

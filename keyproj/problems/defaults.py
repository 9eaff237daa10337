"""The default rule rows of 问题协调, as the seed describes them; the office edits them in the admin."""

from __future__ import annotations

import datetime as dt

# 问题类别: the seed's five (前期审批、征地拆迁、施工组织、管线迁改和市政配套) plus funding and other.
CATEGORIES = [
    ("approval", "前期审批", "Approvals"),
    ("land", "征地拆迁", "Land and relocation"),
    ("construction", "施工组织", "Construction organisation"),
    ("utilities", "管线迁改", "Utility relocation"),
    ("municipal", "市政配套", "Municipal services"),
    ("funding", "资金", "Funding"),
    ("other", "其他", "Other"),
]

# 逐级上报: (level, holder, days a problem may stay there before it is raised to the next level).
LEVELS = [
    (1, "业主(代建)单位", 10),
    (2, "责任单位", 10),
    (3, "市重点办", 15),
    (4, "分管(挂钩)市领导", 20),
    (5, "领导小组", 30),
]

# 久拖不决: 60 days; attachments up to 10 MB.
RULE = {"effective_from": dt.date(2019, 1, 1), "long_unresolved_days": 60, "max_attachment_mb": 10}


def load(apps) -> None:  # type: ignore[no-untyped-def]
    """Create the missing default rows; rows the office has edited are left alone."""
    category = apps.get_model("problems", "ProblemCategory")
    for order, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        category.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
    level = apps.get_model("problems", "EscalationLevel")
    for number, name, days in LEVELS:
        level.objects.get_or_create(level=number, defaults={"name": name, "time_limit_days": days})
    rule = apps.get_model("problems", "ProblemRule")
    if not rule.objects.exists():
        rule.objects.create(**RULE)

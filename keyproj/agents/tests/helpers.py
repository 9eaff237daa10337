"""Small builders for the 代建 tests: a firm in the directory, an agent-built project, a drawn quarter."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from keyproj.agents.models import ScoringItem, Specialty
from keyproj.agents.services import FirmData, ScoreLine, admit_firm
from keyproj.core.scoping import CONSOLE
from keyproj.orgs.models import Organisation
from keyproj.projects.models import Project, Stage
from keyproj.testing import make_project

ADMITTED = dt.date(2018, 1, 1)
_serial = itertools.count(1)


def credit_code(n: int) -> str:
    return f"91350200MA{n:08d}"


def admit(name: str, grades: dict[str, str] | None = None, on: dt.date = ADMITTED) -> Organisation:
    """A firm admitted to the directory (甲类 房屋建筑 unless told otherwise)."""
    return admit_firm(
        FirmData(name=name, credit_code=credit_code(next(_serial)), grades=grades or {"building": "A"}, admitted_on=on),
        user=CONSOLE,
    )


def specialty(code: str = "building") -> Specialty:
    return Specialty.objects.get(code=code)


def agent_project(firm: Organisation, **overrides: Any) -> Project:
    """An agent-built project under construction, in the building specialty."""
    values: dict[str, Any] = {
        "agent_builder": firm,
        "agent_specialty": specialty(),
        "stage": Stage.objects.get(code="construction"),
        "total_investment": Decimal("20000.00"),
    }
    values.update(overrides)
    return make_project(**values)


def sheet(total_lost: Decimal | int = 0, note: str = "扣分") -> list[ScoreLine]:
    """A scoring sheet with full marks, less `total_lost` taken from the first items in turn."""
    left = Decimal(total_lost)
    lines = []
    for item in ScoringItem.objects.filter(active=True):
        lost = min(left, item.max_points)
        left -= lost
        lines.append(ScoreLine(item.code, item.max_points - lost, note if lost else ""))
    return lines

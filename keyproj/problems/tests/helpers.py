"""Small builders for the problem tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from keyproj.core.scoping import CONSOLE
from keyproj.problems.models import Problem, ProblemCategory
from keyproj.problems.services import ProblemData, raise_problem
from keyproj.projects.models import Project

DAY = dt.date(2019, 3, 1)


def category(code: str = "land") -> ProblemCategory:
    return ProblemCategory.objects.get(code=code)


def make_problem(project: Project, *, today: dt.date = DAY, user: Any = CONSOLE, **extra: Any) -> Problem:
    """A problem raised through the service (by the console unless `user` is given)."""
    values: dict[str, Any] = {"project": project, "category": category(), "title": "征地拆迁未完成"}
    values.update(extra)
    return raise_problem(ProblemData(**values), user=user, today=today)

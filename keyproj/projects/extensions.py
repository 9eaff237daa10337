"""What the register offers the apps above it: places to plug in, so projects imports none of them.

projects sits low in keyproj's layers (plans, returns, metrics, agents all build on it), yet
its pages show what those apps hold and its services must respect their rules. Each of those
apps registers here as it starts up (its AppConfig.ready):

- `figures_changed`: plans and returns send it when a project's plan or approved returns change,
  inside the same transaction; metrics answers by rewriting the project's rollup rows.
- `links_changing` / `links_changed`: the register sends them around a change of the columns the
  figures are grouped by (LINK_FIELDS); metrics moves the projects' figures from the scopes
  they leave to the scopes they join.
- `register_figures`: metrics supplies the month's figures the register lists, sorts and
  filters by, and the months the month picker offers.
- `register_section`: a block of the project page (the year's plan, the months, the returns),
  given by the app that owns the data.
- `register_check`: a rule a project's facts must meet before the register saves them (the 代建
  assignment rules of the agents app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.dispatch import Signal

# Sent with project_ids (list[int]), year (int), plans (bool: plan lines changed), actuals (bool: returns changed).
figures_changed = Signal()

# The project columns the published figures are grouped by (a district's, a unit's, a category's figures).
LINK_FIELDS = frozenset({"category", "district", "area_command", "responsible_unit"})

# Sent with project_ids (list[int], in id order) inside save_projects' transaction: links_changing
# before the projects' LINK_FIELDS are updated, links_changed after.
links_changing = Signal()
links_changed = Signal()


class FiguresProvider(Protocol):
    """The month's figures of the register (metrics registers the one implementation)."""

    def with_month(self, queryset: Any, period: Any) -> Any:
        """The projects annotated with the month's figures: plan_to_date, actual_to_date, annual_plan,
        plan_month, actual_month, over (NULL where no plan), schedule_rate and annual_rate."""

    def default_period(self, user: Any) -> Any:
        """The month a page opens on when none is asked for."""

    def picker_periods(self, user: Any, latest: Any) -> list[Any]:
        """The months a month picker offers."""

    def planned_count(self, period: Any, family: str, scope_id: int) -> int:
        """How many projects of a scope have the month's figures (a plan for its year), from the aggregate.

        family is "city" (scope_id 0), "district", "category" or "unit" (the organisation's or category's id).
        """


_figures: FiguresProvider | None = None


def register_figures(provider: FiguresProvider) -> None:
    global _figures
    _figures = provider


def figures() -> FiguresProvider:
    """The registered provider; keyproj always installs metrics, so a missing one is a set-up error."""
    if _figures is None:
        raise RuntimeError("no figures provider registered (is keyproj.metrics installed?)")
    return _figures


@dataclass(frozen=True)
class Section:
    """One block of the project page.

    template: rendered with the page's context plus what `context(request, project, period)` returns.
    audited: the objects (of the owning app) whose audit entries join the project's history.
    wide: across the page; two narrow blocks that follow each other share a row.
    """

    key: str
    order: int
    template: str
    context: Callable[[Any, Any, Any], dict[str, Any]]
    audited: Callable[[Any], list[Any]] | None = None
    wide: bool = True


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


# A check takes every project a save is about to write, as (facts, project) pairs — the facts a dict of
# field → value, the project itself when it exists — and returns (field label, message) pairs, empty
# when all is well. It sees the whole batch at once: a rule may hold across projects (a 乙类 firm's cap
# counts every project an import gives it), and a check costs a few queries however many there are.
ProjectCheck = Callable[[list[tuple[dict[str, Any], Any]]], list[tuple[str, str]]]
CHECKS: dict[str, ProjectCheck] = {}


def register_check(name: str, check: ProjectCheck) -> None:
    CHECKS[name] = check


def checks() -> list[ProjectCheck]:
    return [CHECKS[name] for name in sorted(CHECKS)]

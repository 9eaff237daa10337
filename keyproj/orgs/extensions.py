"""What the organisation pages offer the apps above them: places to plug in, so orgs imports none of them.

orgs sits just above core; the projects an organisation answers for and their figures live
higher up (projects, metrics). Those apps register here as they start up (AppConfig.ready):

- `register_section`: a block of an organisation's page (metrics: the month's figures and the
  projects furthest behind), with an optional part for the page head (a month picker).
- `register_project_counter`: how many projects each organisation is linked to, for the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    """One block of an organisation's page.

    template: rendered with the page's context plus what `context(request, org)` returns.
    head_template: rendered in the page head beside the title, with the same context (or nothing).
    """

    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any]]
    head_template: str | None = None


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.key))


# Takes the user and the organisations listed; gives {organisation id: number of projects the user sees}.
ProjectCounter = Callable[[Any, list[Any]], dict[int, int]]
_counter: ProjectCounter | None = None


def register_project_counter(counter: ProjectCounter) -> None:
    global _counter
    _counter = counter


def project_counts(user: Any, orgs: list[Any]) -> dict[int, int]:
    """Each organisation's project count; none registered (orgs alone) counts nothing."""
    return _counter(user, orgs) if _counter is not None and orgs else {}

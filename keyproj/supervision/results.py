"""Reading a month's results for a user: from the close's snapshot, or a live preview when not closed.

Pages, API and commands all read through here, so that a closed month shows exactly what
was published, cut down to what the user may see: cards of the projects they see, and
ranking rows of the whole list for city-wide users, of their own organisations otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError

from keyproj.accounts.permissions import is_office
from keyproj.core.commandline import acting_user
from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import scope_for
from keyproj.projects.models import Project
from keyproj.supervision.compute import compute
from keyproj.supervision.models import MonthClose, RankingList

# The fields of a card as the API, `keyproj cards --json` and the pages give it.
CARD_KEYS = (
    "project",
    "name",
    "district",
    "colour",
    "rules",
    "reasons",
    "plan_to_date",
    "actual_to_date",
    "schedule_rate",
    "path_to_green",
    "deadline",
)
LIST_KEYS = tuple(item.value for item in RankingList)


@dataclass(frozen=True)
class MonthResults:
    """A month's snapshot and where it came from: a close (closed or reopened), or a preview."""

    period: Period
    snapshot: dict[str, Any]
    close: MonthClose | None

    @property
    def is_final(self) -> bool:
        return self.close is not None and self.close.is_closed


def month_results(period: Period, *, preview: bool = True) -> MonthResults | None:
    """The close's snapshot (even when reopened: what was published), or a preview computed now."""
    close = MonthClose.objects.filter(year=period.year, month=period.month).first()
    if close is not None:
        return MonthResults(period, close.snapshot, close)
    if not preview:
        return None
    return MonthResults(period, compute(period), None)


def visible_project_ids(user: Any) -> set[int] | None:
    """The ids of the projects the user may see (None: all of them)."""
    if scope_for(user).everything:
        return None
    return set(Project.objects.visible_to(user).values_list("pk", flat=True))


def visible_cards(user: Any, snapshot: dict[str, Any], colour: str | None = None) -> list[dict[str, Any]]:
    """The snapshot's cards of the projects the user may see (of one colour when given)."""
    ids = visible_project_ids(user)
    return [
        {key: card[key] for key in CARD_KEYS}
        for card in snapshot.get("cards", [])
        if (ids is None or card["project_id"] in ids) and (colour is None or card["colour"] == colour)
    ]


def visible_lifted(user: Any, snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot's lifted cards (摘牌) of the projects the user may see."""
    ids = visible_project_ids(user)
    return [item for item in snapshot.get("lifted", []) if ids is None or item["project_id"] in ids]


def visible_ranking(user: Any, snapshot: dict[str, Any], list_key: str) -> list[dict[str, Any]]:
    """One list of the snapshot: every row for city-wide users, their own organisations' rows otherwise."""
    rows = snapshot.get("rankings", {}).get(list_key, [])
    scope = scope_for(user)
    if scope.everything:
        return list(rows)
    own = scope.organisation_ids
    return [row for row in rows if row["organisation_id"] in own]


def may_see_rankings(user: Any) -> bool:
    """Whether the user sees whole ranking lists (the office and city leaders)."""
    return scope_for(user).everything


def command_results(period_text: str, username: str | None) -> tuple[Any, Period, MonthResults]:
    """The acting user, the month and its results for `keyproj cards` and `keyproj ranking`.

    As on the pages, a month not yet closed is previewed for the office (and the console) only.
    """
    user = acting_user(username)
    try:
        period = Period.parse(period_text)
    except PeriodError as exc:
        raise CommandError(str(exc)) from None
    results = month_results(period, preview=is_office(user))
    if results is None:
        raise CommandError(f"{period.label}尚未关账")
    return user, period, results

"""What the pages of 月度督办 share: the month a path names, the door for users without scope, cards' links."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from keyproj.core.period import Period, PeriodError
from keyproj.core.scoping import scope_for
from keyproj.projects.models import Project


def month_or_404(text: str) -> Period:
    """The month a page's address names (/supervision/2019-07/…): a month that is not one is no page."""
    try:
        return Period.parse(text)
    except PeriodError:
        raise Http404 from None


def scoped_or_404(request: HttpRequest) -> None:
    """A user without any scope sees nothing of supervision: as if it did not exist."""
    if scope_for(request.user).is_empty:
        raise Http404


def card_counts(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Red and yellow cards, and cards lifted, in a snapshot (or what of it the user may see)."""
    cards = snapshot.get("cards", [])
    red = sum(1 for c in cards if c["colour"] == "red")
    return {"red": red, "yellow": len(cards) - red, "lifted": len(snapshot.get("lifted", []))}


def linked_cards(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards with their projects' ids, for links (one query)."""
    codes = {c["project"] for c in cards}
    ids = dict(Project.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    return [{**card, "pk": ids.get(card["project"])} for card in cards]

"""The published sentence as pages show it: the Chinese text, and the figures an English rendering is built from.

The home page and an organisation's page both print it, so it is written once, here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from keyproj.core.money import fmt2, yi
from keyproj.metrics.figures import Figures


def _scope_name(scope: Any) -> str:
    """The scope as a page names it: the words the sentence uses (全市, 本单位) translated, proper names as they are."""
    words = {"全市": gettext("全市"), "本单位": gettext("本单位")}
    return words.get(scope.label, scope.label)


def _qualifier(noun: str) -> str:
    """What narrows 市重点项目 in the sentence (代建, or a category's name), translated where it is a word."""
    inner = noun.partition("（")[2].rstrip("）")
    if not inner:
        return ""
    return gettext("代建") if inner == "代建" else inner


def _bn(wan: Decimal) -> Decimal:
    """万元 → billions of yuan, from the published 亿元 figure so that both texts agree (exact: a shift)."""
    return (yi(wan) / 10).quantize(Decimal("0.001"))


def published(figures: Figures) -> dict[str, Any]:
    """The published sentence (always Chinese) and the figures an English rendering of it is built from.

    The English amounts are in billions of yuan (亿元 ÷ 10, exact to three places) because
    "hundreds of millions" reads badly in running text.
    """
    return {
        "sentence": figures.sentence(),
        "months": figures.period.to_date_display,
        "scope": _scope_name(figures.scope),
        "qualifier": _qualifier(figures.scope.noun),
        "count": figures.project_count,
        "plan_bn": _bn(figures.plan_to_date),
        "actual_bn": _bn(figures.actual_to_date),
        "over_bn": _bn(abs(figures.over)),
        "ahead": figures.over >= 0,
        "schedule_rate": fmt2(figures.schedule_rate),
        "annual_rate": fmt2(figures.annual_rate),
    }

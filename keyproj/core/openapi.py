"""The OpenAPI schema's finishing touches, applied once to the whole document rather than per serializer.

Money in keyproj is 万元 everywhere, but a client reading the schema sees only "a decimal as a
string". `money_units` tells it the unit: every money property gets `x-unit: 万元` and a
description that names the unit, so no serializer has to remember to say it.
"""

from __future__ import annotations

from typing import Any

UNIT = "万元"
# Property names that are money wherever they appear (a serializer field without a label still
# gets its unit). A property whose label already says 万元 — a model field's verbose name like
# "总投资(万元)" — is money too, whatever its name.
MONEY_NAMES = frozenset(
    {
        "investment",
        "total_investment",
        "annual_plan",
        "plan_month",
        "plan_to_date",
        "actual_month",
        "actual_to_date",
        "over",
        "path_to_green",
        "budget_estimate",
        "final_amount",
        "forecast",
        "monthly",
    }
)


def money_units(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: mark every money property of every component with its unit."""
    for component in result.get("components", {}).get("schemas", {}).values():
        _mark(component)
    return result


def _is_money(name: str, prop: dict[str, Any]) -> bool:
    if name in MONEY_NAMES:
        return True
    # Only the label is trusted as a marker: a description may mention 万元 in passing (a share of it).
    return UNIT in str(prop.get("title", ""))


def _mark(schema: Any) -> None:
    if not isinstance(schema, dict):
        return
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        if _is_money(name, prop):
            _label(prop)
        _mark(prop)
    for key in ("items", "additionalProperties"):
        _mark(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or []:
            _mark(part)


def _label(prop: dict[str, Any]) -> None:
    target = prop["items"] if prop.get("type") == "array" and isinstance(prop.get("items"), dict) else prop
    if "$ref" in target:
        return  # a nested object: its own properties are marked where it is defined
    target["x-unit"] = UNIT
    prop["x-unit"] = UNIT
    description = str(prop.get("description", "")).strip()
    if UNIT in description:
        return
    if description:
        prop["description"] = f"{description}（{UNIT}）"
        return
    title = str(prop.get("title", "")).strip()
    prop["description"] = title.replace("(万元)", "（万元）") if UNIT in title else f"{title}（{UNIT}）".lstrip()

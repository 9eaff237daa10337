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


# The answers DRF and keyproj give on any operation, whatever the view declares: a view documents
# its own success and refusals; these are added where the framework itself may answer them.
METHODS = frozenset({"get", "put", "post", "patch", "delete"})
REFUSAL = "Refusal"
DETAIL = "Detail"
REFUSAL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A refused request: nothing was written.",
    "properties": {
        "detail": {"type": "string", "description": "中文说明（各问题合在一起）"},
        "problems": {
            "type": "array",
            "description": "每个问题，按字段",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "description": "字段名（如 investment）；与整个请求有关时为空"},
                    "message": {"type": "string", "description": "中文说明"},
                },
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail", "problems"],
}
DETAIL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A refusal that concerns the request as a whole (not allowed, not found, changed meanwhile).",
    "properties": {"detail": {"type": "string", "description": "中文说明"}},
    "required": ["detail"],
}
STANDARD_DESCRIPTIONS = {
    "400": "请求有误（参数、过滤值或请求体），未作任何修改；problems 列出每个问题",
    "401": "未登录（缺少或无效的令牌）",
    "403": "无权执行此操作",
    "404": "不存在，或不在本人可见范围内（列表：页码超出范围）",
    "415": "请求体不是 JSON（Content-Type 应为 application/json）",
}


def standard_answers(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: document the answers the framework gives on every operation.

    - 400 (the refusal with `problems`) wherever a parameter or a body can be wrong;
    - 401 and 403 wherever the operation needs a signed-in user;
    - 404 wherever the path names a record (out of scope is the same as not there) or a list takes a page;
    - 415 wherever a body is read and the client sent it as something other than JSON.
    A view that documents one of these itself keeps its own description.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(REFUSAL, REFUSAL_SCHEMA)
    schemas.setdefault(DETAIL, DETAIL_SCHEMA)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            for status in _framework_answers(operation):
                body = REFUSAL if status == "400" else DETAIL  # DRF answers 415 with a detail too
                operation.setdefault("responses", {}).setdefault(
                    status,
                    {
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
                        "description": STANDARD_DESCRIPTIONS[status],
                    },
                )
    return result


def _framework_answers(operation: dict[str, Any]) -> list[str]:
    parameters = operation.get("parameters") or []
    answers = []
    if parameters or "requestBody" in operation:
        answers.append("400")
    if "requestBody" in operation:
        answers.append("415")
    if operation.get("security"):
        answers += ["401", "403"]
    if any(p.get("in") == "path" for p in parameters) or any(
        p.get("in") == "query" and p.get("name") == "page" for p in parameters
    ):
        answers.append("404")
    return answers

"""Every text the API accepts is cleaned and capped, as the forms' text is (keyproj.core.forms).

The door chosen is DRF's CharField itself, patched once at start-up (CoreConfig.ready), rather than
a CharField subclass put into ModelSerializer.serializer_field_mapping: the mapping reaches only the
fields a ModelSerializer builds, while a serializer that declares `serializers.CharField()` by hand
(an action's body, a nested item) would slip past it, and a new one would have to remember. Patched
on the class, every text field — built or declared, and its subclasses (e-mail, slug, regex) — goes
through the same cleaning, and a new serializer cannot forget it.

A field is multi-line when it is rendered as a textarea (DRF gives a model TextField the style
`base_template: textarea.html`; a hand-declared prose field says so the same way); every other
text field is one line.
"""

from __future__ import annotations

from typing import Any

from rest_framework import fields, serializers

from keyproj.core import text

MULTILINE_STYLE = {"base_template": "textarea.html"}


def is_multiline(field: fields.CharField) -> bool:
    return field.style.get("base_template") == MULTILINE_STYLE["base_template"]


def use_clean_api_text() -> None:
    """Clean every API text value and refuse an over-long one with 400, naming the field and the limit."""
    field_class = fields.CharField
    if getattr(field_class, "_keyproj_clean_text", False):
        return
    original = field_class.to_internal_value

    def to_internal_value(self: fields.Field[str, str, str, Any], data: str) -> str:
        value = original(self, data)
        # Only CharField (and its subclasses) carries this method; the stubs declare it on Field.
        if not isinstance(self, fields.CharField) or not isinstance(value, str):
            return value
        value = text.clean(value, multiline=is_multiline(self))
        if self.trim_whitespace:
            value = value.strip()
        if value == "" and not self.allow_blank:
            self.fail("blank")
        limit = self.max_length if self.max_length is not None else text.TEXT_LIMIT
        if len(value) > limit:
            label = str(self.label or self.field_name or "")
            raise serializers.ValidationError(text.length_message(label, limit, len(value)), code="max_length")
        return value

    field_class.to_internal_value = to_internal_value  # type: ignore[method-assign]
    field_class._keyproj_clean_text = True  # type: ignore[attr-defined]

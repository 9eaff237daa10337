"""Form plumbing shared by every app: the empty choice of a select reads 请选择, not `---------`;
every text field is cleaned and capped (use_clean_text).

Django writes `---------` for the empty choice of every select it builds (a model choice field, a
model field with choices). Rather than each form remembering to replace it, the two defaults are
set once, at start-up (CoreConfig.ready): a form that wants another word ("全部" in a filter)
still says so with `empty_label=`.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import fields as model_fields
from django.forms import models as form_models
from django.utils.translation import gettext_lazy as _

from keyproj.core import text

EMPTY_CHOICE = _("请选择")


def use_readable_empty_choice() -> None:
    """Make 请选择 (Please choose on English pages) the empty choice of every select Django builds."""
    defaults = form_models.ModelChoiceField.__init__.__kwdefaults__
    if defaults is not None and defaults.get("empty_label") == "---------":
        defaults["empty_label"] = EMPTY_CHOICE
    # The list object itself is the default argument of Field.get_choices() and of the admin's
    # action choices, so it is changed in place, not rebound.
    # A lazy label: Django renders it as the str the list is typed to hold, in the reader's language.
    model_fields.BLANK_CHOICE_DASH[:] = [("", cast(str, EMPTY_CHOICE))]


def use_clean_text() -> None:
    """Make every Django form text field clean what it is given and refuse what is too long.

    Patched once on forms.CharField (and so on every subclass: slug, e-mail, URL, the model forms'
    text fields) rather than asking each form to remember: a textarea keeps its tabs and line
    breaks, a one-line input loses them, and both lose the characters XML cannot hold
    (keyproj.core.text). A field without a max_length of its own is capped at TEXT_LIMIT. The
    over-long refusal names the field and the limit and comes before Django's own max-length
    message, so the user reads one sentence, not two. Password inputs are left as typed: they are
    never stored or shown as text, and changing them would lock a user out.
    """
    field_class = forms.CharField
    if getattr(field_class, "_keyproj_clean_text", False):
        return
    original_to_python = field_class.to_python
    original_validate = field_class.validate

    def to_python(self: forms.CharField, value: Any | None) -> str | None:
        found = original_to_python(self, value)
        if isinstance(found, str) and found and not isinstance(self.widget, forms.PasswordInput):
            found = text.clean(found, multiline=isinstance(self.widget, forms.Textarea))
            if self.strip:
                found = found.strip()
            if found in self.empty_values:
                return self.empty_value
        return found

    def validate(self: forms.Field, value: Any) -> None:
        original_validate(self, value)
        # Only CharField (and its subclasses) carries this method; the stubs declare it on Field.
        if not isinstance(self, forms.CharField):
            return
        if isinstance(value, str) and not isinstance(self.widget, forms.PasswordInput):
            limit = self.max_length if self.max_length is not None else text.TEXT_LIMIT
            if len(value) > limit:
                raise ValidationError(
                    text.length_message(str(self.label or ""), limit, len(value)),
                    code="max_length",
                    params={"limit_value": limit, "show_value": len(value)},
                )

    field_class.to_python = to_python  # type: ignore[method-assign]
    field_class.validate = validate  # type: ignore[method-assign]
    field_class._keyproj_clean_text = True  # type: ignore[attr-defined]

"""Form plumbing shared by every app: the empty choice of a select reads 请选择, not `---------`.

Django writes `---------` for the empty choice of every select it builds (a model choice field, a
model field with choices). Rather than each form remembering to replace it, the two defaults are
set once, at start-up (CoreConfig.ready): a form that wants another word ("全部" in a filter)
still says so with `empty_label=`.
"""

from __future__ import annotations

from django.db.models import fields as model_fields
from django.forms import models as form_models
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE = _("请选择")


def use_readable_empty_choice() -> None:
    """Make 请选择 (Please choose on English pages) the empty choice of every select Django builds."""
    defaults = form_models.ModelChoiceField.__init__.__kwdefaults__
    if defaults is not None and defaults.get("empty_label") == "---------":
        defaults["empty_label"] = EMPTY_CHOICE
    # The list object itself is the default argument of Field.get_choices() and of the admin's
    # action choices, so it is changed in place, not rebound.
    model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]

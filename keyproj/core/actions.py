"""The one label source for audit actions: every code a service writes, and what a reader calls it.

Each app registers the actions it writes where it starts up: its `actions.py` lists them, and its
AppConfig.ready() hands the list to `register`. Core keeps only its own (publishing a rule, and the
rule codes written before rules were published through one service). The admin's `<model>.<verb>`
codes are registered by AuditedAdmin when it is set up, labelled from the verb and the model's name
(修改 + 用户 → 修改用户). Writing a code that is not registered is an error (`audit.log` refuses it).

A page that lists audit entries shows `entry.action_label` (or `{{ code|action_label }}`), the API
its `action_label` field, never the code: `problem.raise` reads 提出问题 (Raise problem in English).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext_lazy

Label = Promise | str

# Each label has its own context: an entry's 关账 (Month closed) is not the button's 关账 (Close month).
ACTIONS: dict[str, Label] = {}

# Core's own: the one publishing service, and the codes rules were published under before it.
CORE_ACTIONS: dict[str, Label] = {
    "rule.publish": pgettext_lazy("audit action", "发布规则新版本"),
    "rule.card": pgettext_lazy("audit action", "发布红黄牌规则"),
    "rule.ranking": pgettext_lazy("audit action", "发布红黑榜规则"),
    "rule.completeness": pgettext_lazy("audit action", "发布关账完整性规则"),
}

# The verbs the admin writes for any model (core.admin.AuditedAdmin).
VERBS: dict[str, Promise] = {
    "create": pgettext_lazy("audit verb", "新增"),
    "update": pgettext_lazy("audit verb", "修改"),
    "delete": pgettext_lazy("audit verb", "删除"),
}

# Where each code came from (an app's label), for the count by app.
_OWNER: dict[str, str] = {}
# Codes labelled from the admin's verb and model: an app's own label for one replaces it.
_DERIVED: set[str] = set()


class UnregisteredAction(LookupError):
    """An audit entry was about to be written under a code no app registered."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"audit action {code!r} is not registered: add it to its app's actions.py "
            "(registered in AppConfig.ready() with keyproj.core.actions.register)"
        )
        self.code = code


def register(
    actions: str | Mapping[str, Label] | Iterable[tuple[str, Label]], label: Label | None = None, *, app: str = ""
) -> None:
    """Add the actions an app writes: `register(code, label)`, or a dict or list of (code, label).

    A code already registered keeps one label only; registering it again with another is an error.
    """
    if isinstance(actions, str):
        if label is None:
            raise TypeError(f"audit action {actions!r} needs a label")
        pairs: Iterable[tuple[str, Label]] = [(actions, label)]
    elif isinstance(actions, Mapping):
        pairs = actions.items()
    else:
        pairs = actions
    for code, text in pairs:
        if code in ACTIONS and code not in _DERIVED and str(ACTIONS[code]) != str(text):
            raise ValueError(f"audit action {code!r} already has the label {ACTIONS[code]!r}")
        ACTIONS[code] = text
        _DERIVED.discard(code)
        if app:
            _OWNER[code] = app


def _model_label(verb: Promise, model: type[models.Model]) -> str:
    return gettext("%(verb)s%(thing)s") % {"verb": verb, "thing": model._meta.verbose_name}


_lazy_model_label = lazy(_model_label, str)


def register_model(model: type[models.Model]) -> None:
    """Register the admin's create/update/delete of one model; an app's own label for a code wins."""
    for verb, text in VERBS.items():
        code = f"{model._meta.model_name}.{verb}"
        if code not in ACTIONS:
            ACTIONS[code] = _lazy_model_label(text, model)
            _DERIVED.add(code)
            _OWNER[code] = model._meta.app_label


def is_registered(code: str) -> bool:
    return code in ACTIONS


def require(code: str) -> None:
    """Refuse (UnregisteredAction) a code that no app registered."""
    if code not in ACTIONS:
        raise UnregisteredAction(code)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, by label: the action filter's options."""
    return sorted(((code, str(text)) for code, text in ACTIONS.items()), key=lambda pair: (pair[1], pair[0]))


def counts() -> dict[str, int]:
    """How many actions each app registered (core's and the admin's included)."""
    found: dict[str, int] = {}
    for code in ACTIONS:
        app = _OWNER.get(code, "core")
        found[app] = found.get(app, 0) + 1
    return found


def label(code: str, content_type: Any = None) -> str:
    """What a reader calls the action, in the page's language; never the code itself.

    An entry written under a code that is no longer registered is named from its verb and model.
    """
    known = ACTIONS.get(code)
    if known is not None:
        return str(known)
    verb = VERBS.get(code.rsplit(".", 1)[-1])
    model = content_type.model_class() if content_type is not None else None
    name = str(model._meta.verbose_name) if model is not None else ""
    if verb is not None and name:
        return gettext("%(verb)s%(thing)s") % {"verb": verb, "thing": name}
    if name:
        return gettext("%(thing)s变更") % {"thing": name}
    return gettext("其他操作")


register(CORE_ACTIONS, app="core")

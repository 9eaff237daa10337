"""The rules pages: every registered rule, its history side by side, and a new version for those who may.

Driven by the registry (`keyproj.core.rules.KINDS`), which each app fills as it starts, so a new
rule has its page the day it is registered and core names no app above it. The office and the
city leaders see the rules (leaders read only); for everyone else the pages do not exist (404),
as anything out of scope. Publishing goes through `publish_rule`, the one service the API and
the commands use too.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from keyproj.core import clock, display
from keyproj.core.errors import Reason, Refused, add_to_form
from keyproj.core.period import YEARS
from keyproj.core.rules import KINDS, RuleKind, VersionedRule, kinds, publish_rule
from keyproj.core.scoping import scope_for


def may_see_rules(user: Any) -> bool:
    """The rules are the office's and the city leaders' to read: whoever sees the whole programme."""
    return scope_for(user).everything


def kind_for(user: Any, slug: str) -> RuleKind:
    """The registered rule named by `slug`, if the user may see rules; 404 otherwise (as out of scope)."""
    if not may_see_rules(user) or slug not in KINDS:
        raise Http404
    return KINDS[slug]


def versions_of(kind: RuleKind) -> list[VersionedRule]:
    """Every version of a rule, newest first, with who published it."""
    return list(kind.model._default_manager.select_related("created_by").order_by("-version"))


def publisher(rule: VersionedRule) -> str:
    """Who published a version: the user's name, or the system for the console and the seeded first version."""
    user = rule.created_by
    if user is None:
        return gettext("系统")
    return str(getattr(user, "get_full_name", lambda: "")() or user)


def plain_value(rule: VersionedRule, name: str) -> Any:
    """A setting's value as JSON can carry it (the API): amounts and dates as text, lists as lists."""
    value = getattr(rule, name)
    if isinstance(value, Decimal):
        # As stored: a new version holds what was typed (92.5) until read back (92.50).
        places = getattr(rule._meta.get_field(name), "decimal_places", None)
        return f"{value:.{places}f}" if places is not None else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def shown_value(rule: VersionedRule, name: str) -> str:
    """A setting's value as the page shows it: the choice's label, 是/否, the list as written."""
    field = rule._meta.get_field(name)
    value = getattr(rule, name)
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        return str(getattr(rule, f"get_{name}_display")())
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, dt.date):
        return display.day(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal) and abs(value) >= 1000:
        # Amounts (万元) read with thousands separators, as everywhere else; small rates keep their places.
        places = getattr(field, "decimal_places", 2) or 0
        return f"{value:,.{places}f}"
    return str(value)


def setting_label(model: type[VersionedRule], name: str) -> str:
    """A setting's Chinese name (its verbose_name)."""
    return str(getattr(model._meta.get_field(name), "verbose_name", name))


@dataclass(frozen=True)
class Cell:
    text: str
    changed: bool


@dataclass(frozen=True)
class SettingRow:
    """One setting across every version, newest first; a cell is marked where it differs from the version before."""

    label: str
    cells: list[Cell]


def history(kind: RuleKind, versions: list[VersionedRule]) -> list[SettingRow]:
    """The settings side by side: a row per setting, a column per version, each change marked."""
    rows = []
    for name in kind.model.setting_names():
        label = setting_label(kind.model, name)
        cells = []
        for index, rule in enumerate(versions):
            older = versions[index + 1] if index + 1 < len(versions) else None
            changed = older is not None and plain_value(older, name) != plain_value(rule, name)
            cells.append(Cell(shown_value(rule, name), changed))
        rows.append(SettingRow(label, cells))
    return rows


def publish_form_class(kind: RuleKind) -> type[forms.Form]:
    """A form of the rule's own settings, plus the day the new version takes effect and the note.

    The settings' fields are the model form's (modelform_factory), on a plain form: it reads each value
    (a number, a date, a choice), and `publish_rule` judges them whole, so a refusal lists every reason
    at once, the settings' bounds and the effective date's alike.
    """
    settings = modelform_factory(kind.model, fields=kind.model.setting_names()).base_fields

    def clean_effective_from(form: forms.Form) -> dt.date:
        day: dt.date = form.cleaned_data["effective_from"]
        if day.year not in YEARS:
            raise forms.ValidationError(gettext("日期应在2000-2100年之间"))
        return day

    fields: dict[str, Any] = {
        **copy.deepcopy(settings),
        "effective_from": forms.DateField(
            label=_("生效日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        ),
        "note": forms.CharField(label=_("修改说明"), max_length=200, required=False),
        "clean_effective_from": clean_effective_from,
    }
    return type(f"Publish{kind.model.__name__}Form", (forms.Form,), fields)


def publish_form(kind: RuleKind, in_force: VersionedRule, data: Any = None) -> forms.Form:
    """The form prefilled with the version in force (never bound to it: a version is not edited)."""
    initial = {name: getattr(in_force, name) for name in kind.model.setting_names()}
    initial["effective_from"] = clock.today()
    return publish_form_class(kind)(data=data, initial=initial)


def setting_values(kind: RuleKind, form: forms.Form) -> dict[str, Any]:
    """The settings a valid form holds, as `publish_rule` takes them."""
    return {name: form.cleaned_data[name] for name in kind.model.setting_names() if name in form.cleaned_data}


def by_label(kind: RuleKind, refused: Refused) -> Refused:
    """The refusal with each reason named by its field's label, as the form knows it (a check may give the name)."""
    names = set(kind.model.setting_names())
    return Refused(
        [
            Reason(setting_label(kind.model, r.field) if r.field in names else r.field, r.message)
            for r in refused.problems
        ]
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """规则: every registered rule with the version in force, the day it took effect and who published it."""
    if not may_see_rules(request.user):
        raise Http404
    today = clock.today()
    rows = []
    for kind in kinds():
        in_force = kind.model.in_force(today)
        newest = kind.model._default_manager.select_related("created_by").order_by("-version").first()
        rows.append(
            {
                "kind": kind,
                "rule": in_force,
                "publisher": publisher(in_force),
                "count": kind.model._default_manager.count(),
                # A version published for a later day: shown beside the one in force today.
                "upcoming": newest if newest is not None and newest.version != in_force.version else None,
            }
        )
    return render(request, "core/rules.html", {"nav": "rules", "rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One rule: every version with its settings side by side, and for the office a new version."""
    kind = kind_for(request.user, slug)
    may_publish = bool(kind.may_publish(request.user))
    in_force = kind.model.current()
    form = None
    if may_publish:
        form = publish_form(kind, in_force, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form is None:
            # A leader reads the rules; publishing is the office's.
            raise PermissionDenied
        if form.is_valid():
            try:
                rule = publish_rule(
                    kind.model,
                    setting_values(kind, form),
                    user=request.user,
                    note=form.cleaned_data["note"],
                    effective_from=form.cleaned_data["effective_from"],
                )
            except Refused as exc:
                add_to_form(form, by_label(kind, exc))
            else:
                messages.success(
                    request,
                    gettext("已发布%(rule)s第%(version)s版，自%(day)s起施行")
                    % {"rule": kind.label, "version": rule.version, "day": display.day(rule.effective_from)},
                )
                return redirect("rule", slug=kind.slug)
    versions = versions_of(kind)
    context = {
        "nav": "rules",
        "kind": kind,
        "in_force": in_force,
        "versions": [{"rule": rule, "publisher": publisher(rule)} for rule in versions],
        "settings": history(kind, versions),
        "form": form,
    }
    return render(request, "core/rules_detail.html", context, status=400 if form is not None and form.errors else 200)

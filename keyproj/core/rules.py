"""Rules kept as data: one base, one way to publish, one registry the rules pages read.

Every rule of keyproj (cards, ranking, completeness, reporting deadlines, data-quality
thresholds, problems and escalation, 代建, numbering) is a `VersionedRule`: a row per version,
with the day it takes effect, a note, who published it and when. A version is never edited:
what was judged under it (a close, a card, an inspection, a lateness) names the version, so
changing the row would change history. `in_force(day)` answers "which version applied on this
day"; `publish_rule` writes the next version, checked whole and audited, for pages, API and
commands alike. Each app registers its rules (`register`) with who may publish them, so core
names no app above it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused, created_alone
from keyproj.core.scoping import actor_row, is_console, require_actor

# The day the first (default) version of every rule takes effect: before any data keyproj holds.
FIRST_DAY = dt.date(2000, 1, 1)

# The columns every rule has; a rule's own settings are the rest.
BASE_FIELDS = frozenset({"id", "version", "effective_from", "note", "created_at", "created_by"})

R = TypeVar("R", bound="VersionedRule")


class RuleEditedInPlace(Exception):
    """A saved version was about to be changed; a rule changes only by publishing a new version."""


class VersionedRule(models.Model):
    """One version of a rule. Never edited: a change is the next version, in force from its day."""

    version = models.PositiveIntegerField(_("版本号"), unique=True, editable=False)
    effective_from = models.DateField(_("生效日期"), default=FIRST_DAY)
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发布人"),
    )

    class Meta:
        abstract = True
        ordering = ["-version"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise RuleEditedInPlace(f"{type(self).__name__} v{self.version} is published; publish a new version")
        super().save(*args, **kwargs)

    @classmethod
    def setting_names(cls) -> list[str]:
        """The rule's own settings (what a new version may change), in declaration order."""
        return [f.name for f in cls._meta.concrete_fields if f.name not in BASE_FIELDS]

    @classmethod
    def in_force(cls: type[R], day: dt.date) -> R:
        """The version that applied on `day`: the newest taking effect on or before it.

        A day before every version gets the first one; a table with no version yet gets its
        defaults as version 1 (normally seeded by the app's migration).
        """
        rule = cls._default_manager.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
        if rule is None:
            rule = cls._default_manager.order_by("version").first()
        if rule is None:
            rule, _created = cls._default_manager.get_or_create(
                version=1, defaults={"effective_from": FIRST_DAY, "note": "默认规则"}
            )
        return rule

    @classmethod
    def current(cls: type[R]) -> R:
        """The version in force on the business day (keyproj.core.clock)."""
        return cls.in_force(clock.today())


@dataclass(frozen=True)
class RuleKind:
    """A registered rule: its model, its address on the rules pages, and who may publish it.

    check: cross-field checks a model constraint cannot say in Chinese, as (field label, message) pairs.
    """

    model: type[VersionedRule]
    slug: str
    may_publish: Callable[[Any], bool]
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None
    order: int = 100

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


KINDS: dict[str, RuleKind] = {}


def register(
    model: type[VersionedRule],
    *,
    slug: str,
    may_publish: Callable[[Any], bool],
    check: Callable[[dict[str, Any]], list[tuple[str, str]]] | None = None,
    order: int = 100,
) -> RuleKind:
    """Make a rule known to the rules pages, the API and `publish_rule`; apps call this in ready()."""
    known = KINDS.get(slug)
    if known is not None and known.model is not model:
        raise ValueError(f"rule slug {slug!r} already names {known.model.__name__}")
    kind = KINDS[slug] = RuleKind(model=model, slug=slug, may_publish=may_publish, check=check, order=order)
    return kind


def kind_of(model_or_slug: type[VersionedRule] | str) -> RuleKind:
    """The registration of a rule model (or slug); LookupError when it was never registered."""
    if isinstance(model_or_slug, str):
        return KINDS[model_or_slug]
    for kind in KINDS.values():
        if kind.model is model_or_slug:
            return kind
    raise LookupError(f"{model_or_slug.__name__} is not a registered rule")


def kinds() -> list[RuleKind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.slug))


def _field_label(model: type[VersionedRule], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except Exception:  # a check may name a field by its label already
        return name


def _validation_reasons(model: type[VersionedRule], rule: VersionedRule, *, validate_constraints: bool) -> list[Reason]:
    try:
        rule.full_clean(exclude=["version", "created_by"], validate_constraints=validate_constraints)
    except ValidationError as exc:
        return [
            Reason(_field_label(model, name) if name != "__all__" else "", message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    return []


def publish_rule(
    model: type[R],
    values: dict[str, Any],
    *,
    user: Any,
    note: str = "",
    effective_from: dt.date | None = None,
) -> R:
    """Publish the next version of a rule: the version in force with `values` over it, checked whole.

    effective_from: the day it takes effect (the business day by default). A user may not date a
    rule before today or before the newest version (history stays in order); the console may
    backdate, to record rules that applied before keyproj held them. Refused whole, with every
    reason in Chinese; nothing is written then.
    """
    user = require_actor(user)
    kind = kind_of(model)
    if not kind.may_publish(user):
        raise PermissionDenied(f"无权发布{kind.label}")
    today = clock.today()
    day = effective_from or today
    newest = model._default_manager.order_by("-version").first()
    base = model.in_force(day)
    unknown = sorted(set(values) - set(model.setting_names()))
    problems: list[Reason] = [Reason(name, "不是该规则的设置项") for name in unknown]
    if not is_console(user) and day < today:
        problems.append(Reason(str(_("生效日期")), f"不能早于今天（{today.isoformat()}）"))
    if newest is not None and day < newest.effective_from:
        problems.append(
            Reason(str(_("生效日期")), f"不能早于最新版本的生效日期（{newest.effective_from.isoformat()}）")
        )
    merged: dict[str, Any] = {}
    malformed: list[Reason] = []
    for name in model.setting_names():
        if name not in values:
            merged[name] = getattr(base, name)
            continue
        # setting_names() lists concrete fields only, never a reverse relation.
        field = cast(models.Field, model._meta.get_field(name))
        try:
            # Values arrive typed from forms and the API, as text from scripts: read them the same way.
            merged[name] = field.to_python(values[name])
        except ValidationError as exc:
            merged[name] = getattr(base, name)
            malformed += [Reason(str(field.verbose_name), message) for message in exc.messages]
    if malformed:
        raise Refused(problems + malformed)
    rule = model(
        version=(newest.version + 1) if newest else 1,
        effective_from=day,
        note=(note or "").strip()[:200],
        created_by=actor_row(user),
        **merged,
    )
    # One reason per fault: the rule's own check speaks first (its words are the office's); a field's
    # bounds only where the check said nothing of that field; the database constraints (which say
    # the same in other words) only when nothing else was found. A check names fields by name or label.
    checked = [Reason(_field_label(model, f), m) for f, m in kind.check(merged)] if kind.check else []
    mentioned = {reason.field for reason in checked}
    bounds = [r for r in _validation_reasons(model, rule, validate_constraints=False) if r.field not in mentioned]
    problems += checked + bounds
    if not checked and not bounds:
        problems += _validation_reasons(model, rule, validate_constraints=True)
    if problems:
        raise Refused(problems)
    with created_alone(kind.label), transaction.atomic():
        rule.save()
        rule.refresh_from_db()  # the audit entry records the stored values (90.00), not the typed ones (90)
        audit.log(rule, "rule.publish", user=user, before=audit.snapshot(base) if newest else None)
    return rule

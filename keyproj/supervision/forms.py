"""The forms of 月度督办: what the office types in; the services decide whether it stands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyproj.core.errors import Reason, Refused
from keyproj.core.rules import VersionedRule
from keyproj.supervision.models import CardRule, CompletenessRule, RankingRule, Referral


class ReasonForm(forms.Form):
    """Why a closed month is opened again (kept in the audit log)."""

    reason = forms.CharField(label=_("重新打开的原因"), max_length=300, required=False)


class CloseForm(forms.Form):
    """Closing a month: the month typed again as confirmation, and why when below the completeness rule.

    The service decides: the typed month must be the month being closed, and a month below
    the rule needs a reason.
    """

    confirm = forms.CharField(
        label=_("请输入要关账的月份"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    override_reason = forms.CharField(
        label=_("低于完整性要求关账的理由"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("已审核月报未达关账要求时必填，将记入快照并印在通报中")}
        ),
    )

    def __init__(self, *args: Any, month_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The placeholder is the month itself: what is to be typed, never another month's example.
        self.fields["confirm"].widget.attrs["placeholder"] = month_label


class IssueForm(forms.Form):
    """Issuing the month's notice: an explicit tick, as taking a 文号 cannot be undone."""

    confirm = forms.BooleanField(label=_("我已核对通报内容，确认印发并取得文号"), required=False)


class RuleForm(forms.ModelForm):
    """A new version of a rule: its settings, the day it takes effect and a note (keyproj.core.rules).

    Started from the version in force; what it means is decided by `publish_rule`.
    """

    SKIPPED = ("effective_from", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["effective_from"].required = False


class CardRuleForm(RuleForm):
    """A new version of the card rule."""

    class Meta:
        model = CardRule
        fields = [
            "yellow_below",
            "red_below",
            "start_yellow_months",
            "start_red_months",
            "repeat_to_red",
            "rectify_months",
            "effective_from",
            "note",
        ]


class RankingRuleForm(RuleForm):
    """A new version of the ranking rule."""

    class Meta:
        model = RankingRule
        fields = [
            "weight_investment",
            "weight_start",
            "weight_completion",
            "weight_timeliness",
            "investment_cap",
            "list_size",
            "effective_from",
            "note",
        ]


class CompletenessRuleForm(RuleForm):
    """A new version of the completeness rule."""

    class Meta:
        model = CompletenessRule
        fields = ["min_approved_share", "effective_from", "note"]


# The rules the rules page publishes: the form's `rule` value, the model and its form.
RULE_FORMS: dict[str, tuple[type[VersionedRule], type[RuleForm]]] = {
    "card": (CardRule, CardRuleForm),
    "ranking": (RankingRule, RankingRuleForm),
    "completeness": (CompletenessRule, CompletenessRuleForm),
}


def rule_values(form_class: type[RuleForm], data: Any) -> tuple[dict[str, Any], dt.date | None]:
    """The posted rule values and the day they take effect, read by the form's fields; a value of
    the wrong kind (not a number, not a date) is refused."""
    values: dict[str, Any] = {}
    problems = []
    fields = form_class().fields
    for name, field in fields.items():
        if name in RuleForm.SKIPPED:
            continue
        if isinstance(field, forms.BooleanField):
            values[name] = bool(data.get(name))
            continue
        try:
            values[name] = field.to_python(data.get(name))
        except ValidationError:
            problems.append(Reason(str(field.label), gettext("应为数字")))
    try:
        effective_from = fields["effective_from"].to_python(data.get("effective_from"))
    except ValidationError:
        problems.append(Reason(str(fields["effective_from"].label), gettext("应为日期")))
        effective_from = None
    if problems:
        raise Refused(problems)
    return values, effective_from


class ListingForm(forms.Form):
    """Who, what target, by when: listing a project (by its code) or accepting a proposal."""

    project = forms.CharField(label=_("项目代码"), max_length=40, required=False)
    matter = forms.CharField(label=_("督办事项"), max_length=300, required=False)
    responsible = forms.CharField(label=_("责任单位/责任人"), max_length=200, required=False)
    target = forms.CharField(label=_("督办目标"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    due = forms.DateField(label=_("办结期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class NoteForm(forms.Form):
    """A progress note, the evidence for 销号, or the reason for not listing."""

    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReferralForm(forms.Form):
    """Where an overdue listing is referred."""

    to = forms.ChoiceField(
        label=_("移送至"), choices=[(Referral.EFFICIENCY, _("效能部门")), (Referral.DISCIPLINE, _("纪检部门"))]
    )

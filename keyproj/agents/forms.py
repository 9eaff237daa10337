"""The forms of 代建管理: they read input; the services judge it and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyproj.agents.models import CreditGrade, CreditKind, EntryKind, Grade, ScoringItem, Specialty
from keyproj.core import clock
from keyproj.core.display import quarter as quarter_label


def quarter_choices(around: dt.date) -> list[tuple[str, str]]:
    """The quarters of the year before, the year of and the year after `around`, as (2019Q3, 2019年第三季度)."""
    return [
        (f"{year}Q{q}", quarter_label(year, q)) for year in range(around.year - 1, around.year + 2) for q in range(1, 5)
    ]


def current_quarter(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def month_choices() -> list[tuple[int, str]]:
    return [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)]


class DrawForm(forms.Form):
    """The office's draw: quarter (picked, never typed), the published seed, how many at random, the key picks."""

    quarter = forms.ChoiceField(label=_("季度"), error_messages={"invalid_choice": _("请从列表中选择季度")})
    seed = forms.CharField(
        label=_("随机种子"),
        max_length=64,
        help_text=_("事先公布，任何人可凭它复核抽取结果"),
        widget=forms.TextInput(attrs={"placeholder": _("如公布日期 20190916")}),
    )
    count = forms.IntegerField(label=_("随机抽查数"), min_value=0, max_value=500)
    picks = forms.CharField(
        label=_("重点检查(项目代码)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("每行填写一个项目代码，可不填")}),
        help_text=_("每行或用逗号、空格分隔一个项目代码"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        today = clock.today()
        kwargs.setdefault("initial", {}).setdefault("quarter", current_quarter(today))
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices(today)  # type: ignore[attr-defined]

    def pick_codes(self) -> list[str]:
        raw = self.cleaned_data.get("picks") or ""
        return [code for code in raw.replace(",", " ").replace("，", " ").split() if code]


class ScoreForm(forms.Form):
    """A scoring sheet: points and a note per active item, the day, who inspected, the findings."""

    inspected_on = forms.DateField(label=_("检查日期"), widget=forms.DateInput(attrs={"type": "date"}))
    inspectors = forms.CharField(label=_("检查人员"), max_length=200, required=False)
    findings = forms.CharField(label=_("主要问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, items: list[ScoringItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"points_{item.code}"] = forms.CharField(label=item.name, max_length=10)
            self.fields[f"note_{item.code}"] = forms.CharField(label=_("扣分说明"), max_length=300, required=False)

    def rows(self) -> list[dict[str, Any]]:
        return [{"item": i, "points": self[f"points_{i.code}"], "note": self[f"note_{i.code}"]} for i in self.items]


class EntryForm(forms.Form):
    """A directory entry: admission, suspension, removal or reinstatement, dated, with the reason."""

    kind = forms.ChoiceField(label=_("事项"), choices=EntryKind.choices)
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因/依据"), max_length=300)


class CreditForm(forms.Form):
    """A behaviour record the office enters by hand."""

    kind = forms.ChoiceField(label=_("类型"), choices=CreditKind.choices)
    grade = forms.ChoiceField(label=_("等级"), choices=CreditGrade.choices)
    points = forms.DecimalField(label=_("分值"), max_digits=7, decimal_places=2)
    valid_from = forms.DateField(label=_("有效期起"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("有效期止"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label=_("事由"), max_length=300)
    blacklist = forms.BooleanField(label=_("列入黑名单"), required=False)


class EvaluateForm(forms.Form):
    """Which year to evaluate, and as of which day."""

    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=_("评价截止日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("默认为该年12月31日"),
    )


def parse_day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD query parameter, or None when absent or not a date."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class AttendanceForm(forms.Form):
    """One person's month on a project (the firm's own users or the office); person, project, year and
    month are picked from lists."""

    staff = forms.ModelChoiceField(label=_("人员"), queryset=None)  # type: ignore[arg-type]
    project = forms.ModelChoiceField(label=_("项目"), queryset=None)  # type: ignore[arg-type]
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    month = forms.TypedChoiceField(label=_("月份"), coerce=int, choices=month_choices)
    required_days = forms.IntegerField(label=_("应出勤天数"), min_value=1, max_value=31)
    present_days = forms.IntegerField(label=_("实际出勤天数"), min_value=0, max_value=31)

    def __init__(self, *args: Any, staff: Any, projects: Any, **kwargs: Any) -> None:
        today = clock.today()
        last = today.replace(day=1) - dt.timedelta(days=1)  # attendance is entered for a finished month
        kwargs.setdefault("initial", {}).update({"year": last.year, "month": last.month})
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["staff"].label_from_instance = lambda s: f"{s.firm.label} · {s.name}（{s.post}）"  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        self.fields["project"].label_from_instance = lambda p: f"{p.name}（{p.code}）"  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in range(today.year, today.year - 3, -1)]  # type: ignore[attr-defined]


class AccountsForm(forms.Form):
    """A completed project's final accounts (the office)."""

    project = forms.CharField(
        label=_("项目代码"), max_length=40, widget=forms.TextInput(attrs={"placeholder": _("填写竣工项目的项目代码")})
    )
    completed_on = forms.DateField(label=_("竣工日期"), widget=forms.DateInput(attrs={"type": "date"}))
    budget_estimate = forms.DecimalField(label=_("概算(万元)"), max_digits=14, decimal_places=2)
    final_amount = forms.DecimalField(label=_("决算(万元)"), max_digits=14, decimal_places=2, required=False)
    submission_due = forms.DateField(label=_("应报送日期"), widget=forms.DateInput(attrs={"type": "date"}))
    submitted_on = forms.DateField(
        label=_("实际报送日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    approval_due = forms.DateField(label=_("应审批日期"), widget=forms.DateInput(attrs={"type": "date"}))
    approved_on = forms.DateField(
        label=_("实际审批日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AdmitForm(forms.Form):
    """A firm admitted to the directory: name, credit code, its class in each specialty (picked from a
    list per specialty), date and reason (the office)."""

    name = forms.CharField(label=_("单位名称"), max_length=100)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        widget=forms.TextInput(attrs={"placeholder": _("18位数字或大写字母")}),
    )
    admitted_on = forms.DateField(label=_("准入日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("准入依据"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("如：经公开征集、审核准入")}),
    )
    contact = forms.CharField(label=_("联系人"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specialties = list(Specialty.objects.filter(active=True))
        choices = [("", _("不承接")), *Grade.choices]
        for specialty in self.specialties:
            self.fields[f"grade_{specialty.code}"] = forms.ChoiceField(
                label=specialty.display_name, choices=choices, required=False
            )

    def main_fields(self) -> list[Any]:
        return [field for field in self if not field.name.startswith("grade_")]

    def grade_fields(self) -> list[Any]:
        return [field for field in self if field.name.startswith("grade_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grades = {s.code: data.pop(f"grade_{s.code}") for s in self.specialties if data.get(f"grade_{s.code}")}
        for s in self.specialties:
            data.pop(f"grade_{s.code}", None)
        if not grades:
            raise forms.ValidationError(_("请至少为一个专业选择甲类或乙类"))
        data["grades"] = grades
        return data

"""The problems forms: raising a problem, recording a meeting or a site visit (the ledger's filters are
ProblemFilterSet, in filtersets.py, shared with the API)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyproj.problems.models import MeetingForm, MeetingKind, ProblemCategory, ProblemSource
from keyproj.projects.models import Project


class ProblemForm(forms.Form):
    """Raising a problem on a project in the user's scope, with an optional attachment."""

    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("项目"))
    category = forms.ModelChoiceField(queryset=ProblemCategory.objects.filter(active=True), label=_("问题类别"))
    title = forms.CharField(max_length=200, label=_("问题"))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("问题描述"))
    source = forms.ChoiceField(choices=ProblemSource.choices, initial=ProblemSource.OWNER, label=_("来源"))
    attachment = forms.FileField(required=False, label=_("附件（照片或文件）"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["project"]
        field.queryset = Project.objects.visible_to(user).order_by("code")


class MeetingFormFields(forms.Form):
    """A meeting's facts (its discussed and resolved problems are posted as ticked ids beside them);
    named so as not to clash with the `MeetingForm` choices (会议形式)."""

    kind = forms.ChoiceField(choices=MeetingKind.choices, label=_("会议类型"))
    held_on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    form = forms.ChoiceField(choices=MeetingForm.choices, label=_("会议形式"))
    title = forms.CharField(max_length=200, label=_("会议名称"))
    location = forms.CharField(max_length=200, required=False, label=_("地点"))
    chair = forms.CharField(max_length=100, label=_("主持人"))
    attendees = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("参会单位及人员"))
    decisions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("会议议定事项"))


class VisitForm(forms.Form):
    """A site visit: the day, the team, the projects visited and the findings, one per line."""

    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    team = forms.CharField(max_length=200, label=_("小组成员"))
    projects = forms.ModelMultipleChoiceField(
        queryset=Project.objects.none(), label=_("深入的项目"), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("情况概述"))
    findings = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("发现的问题"),
        help_text=_("每行一条：项目代码 空格 发现的问题"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["projects"]
        field.queryset = Project.objects.visible_to(user).order_by("code")

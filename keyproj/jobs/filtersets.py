"""The filters of the run history, shared by its page and its API endpoint."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from keyproj.jobs.models import Job, JobRun, RunStatus


class JobRunFilterSet(django_filters.FilterSet):
    job = django_filters.ModelChoiceFilter(
        label=_("任务"), queryset=Job.objects.order_by("pk"), to_field_name="code", empty_label=_("全部任务")
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=RunStatus.choices, empty_label=_("全部状态"))
    period = django_filters.CharFilter(label=_("期间"), lookup_expr="startswith", max_length=20)

    class Meta:
        model = JobRun
        fields = ["job", "status", "period"]

"""The schedule's form: a time of day or an interval, and whether the job runs at all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyproj.jobs.models import MAX_EVERY, MIN_EVERY, Job

DAILY, INTERVAL = "daily", "interval"


class ScheduleForm(forms.Form):
    """Read what was typed; `services.update_schedule` judges it whole (one of the two, in bounds)."""

    mode = forms.ChoiceField(
        label=_("运行方式"), choices=[(DAILY, _("每日定时")), (INTERVAL, _("按间隔"))], widget=forms.RadioSelect
    )
    at = forms.TimeField(
        label=_("每日运行时间"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("时:分，例如 09:00"),
    )
    every_minutes = forms.IntegerField(
        label=_("运行间隔(分钟)"), required=False, min_value=MIN_EVERY, max_value=MAX_EVERY
    )
    enabled = forms.BooleanField(label=_("启用"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def for_job(cls, job: Job, data: Any = None) -> ScheduleForm:
        initial = {
            "mode": DAILY if job.is_daily else INTERVAL,
            "at": job.at,
            "every_minutes": job.every_minutes,
            "enabled": job.enabled,
            "version": job.version,
        }
        return cls(data=data, initial=initial, prefix=job.code)

    def schedule(self) -> dict[str, Any]:
        """The schedule as the service takes it: the field of the chosen way only."""
        data = self.cleaned_data
        daily = data["mode"] == DAILY
        return {
            "at": data.get("at") if daily else None,
            "every_minutes": None if daily else data.get("every_minutes"),
            "enabled": bool(data.get("enabled")),
        }

"""The outbox's forms: a user's own channels, and a group robot as the office enters it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyproj.orgs.models import Organisation
from keyproj.outbox.models import Mode, RobotKind
from keyproj.outbox.services import NAME_MAX, SECRET_MAX, URL_MAX


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(required=False, label=_("通过邮件接收通知"))
    mode = forms.ChoiceField(choices=Mode.choices, widget=forms.RadioSelect, label=_("发送方式"))


class RobotForm(forms.Form):
    """The service checks the address and everything else; the form only carries what was typed."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("单位"))
    name = forms.CharField(max_length=NAME_MAX, label=_("名称"))
    kind = forms.ChoiceField(choices=RobotKind.choices, label=_("类型"))
    url = forms.CharField(
        max_length=URL_MAX,
        label=_("Webhook地址"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("群机器人设置中的完整地址，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"),
    )
    secret = forms.CharField(
        max_length=SECRET_MAX,
        required=False,
        label=_("加签密钥"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("仅钉钉机器人开启“加签”时填写（SEC开头）"),
    )
    clear_secret = forms.BooleanField(required=False, label=_("清除已保存的加签密钥"))
    mode = forms.ChoiceField(choices=Mode.choices, label=_("发送方式"))
    enabled = forms.BooleanField(required=False, initial=True, label=_("启用"))

    def __init__(self, *args: Any, robot: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        current = Q(pk=robot.organisation_id) if robot is not None else Q(pk__in=[])
        field.queryset = Organisation.objects.filter(Q(active=True) | current).order_by("kind", "order", "name")
        if robot is not None:
            # The stored address is never shown back: left empty, it is kept.
            self.fields["url"].required = False
            self.fields["url"].help_text = _("留空则保留已保存的地址；填写则替换")
            self.fields["secret"].help_text = _("留空则保留已保存的密钥")
        else:
            del self.fields["clear_secret"]

"""Organisations: the key office, districts, units, SOEs, owners and agent builders."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel
from keyproj.orgs.querysets import OrganisationQuerySet

_ADMIN_DIVISION = re.compile(r"^\d{6}$")


class OrgKind(models.TextChoices):
    KEY_OFFICE = "key_office", _("市重点办")
    LEADING_GROUP = "leading_group", _("领导小组")
    DISTRICT = "district", _("区政府")
    AREA_COMMAND = "area_command", _("片区指挥部")
    RESPONSIBLE_UNIT = "responsible_unit", _("责任单位")
    SOE = "soe", _("市属国企")
    OWNER = "owner", _("业主单位")
    AGENT_BUILDER = "agent_builder", _("代建单位")


def validate_division_code(value: str) -> None:
    """GB/T 2260 administrative division codes are six digits (思明区 = 350203)."""
    if not _ADMIN_DIVISION.match(value):
        raise ValidationError(gettext("行政区划代码应为6位数字（GB/T 2260），而不是“%(value)s”") % {"value": value})


class Organisation(AuditedModel):
    """Any body that plans, owns, builds, answers for or supervises key projects.

    A district is identified by its GB/T 2260 code; a firm by its unified social credit code.
    """

    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    code = models.CharField(
        _("代码"), max_length=32, blank=True, help_text=_("区：行政区划代码；企业：统一社会信用代码")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("有效"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="org_name_unique_per_kind"),
            models.UniqueConstraint(fields=["kind", "code"], condition=~Q(code=""), name="org_code_unique_per_kind"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.kind == OrgKind.DISTRICT:
            validate_division_code(self.code)

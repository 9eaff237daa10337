"""The agent-construction (代建) firm directory: which firm may build in which specialty."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel, ListItem


class Specialty(ListItem):
    """One of the directory's specialties (房屋建筑 and six more by default)."""

    class Meta(ListItem.Meta):
        verbose_name = _("代建专业")
        verbose_name_plural = _("代建专业")


class Grade(models.TextChoices):
    A = "A", _("甲类")
    B = "B", _("乙类")


class Qualification(AuditedModel):
    """A firm's class (甲/乙) in one specialty of the directory."""

    firm = models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.CASCADE,
        related_name="qualifications",
        verbose_name=_("代建单位"),
        limit_choices_to={"kind": "agent_builder"},
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+", verbose_name=_("专业"))
    grade = models.CharField(_("类别"), max_length=1, choices=Grade.choices)

    class Meta:
        verbose_name = _("代建资格")
        verbose_name_plural = _("代建资格")
        constraints = [models.UniqueConstraint(fields=["firm", "specialty"], name="one_grade_per_specialty")]

    def __str__(self) -> str:
        return f"{self.firm} {self.specialty} {self.get_grade_display()}"

"""The project register: every provincial-major and city-key project the office follows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.core.models import AuditedModel, ListItem
from keyproj.projects.codes import validate_project_code
from keyproj.projects.querysets import ProjectQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ProjectLevel(models.TextChoices):
    PROVINCIAL_MAJOR = "provincial_major", _("省重大")
    CITY_KEY = "city_key", _("市重点")


class Category(ListItem):
    """项目类别 (产业项目 / 社会事业 / 城乡基础设施 / 新城基地 by default)."""

    class Meta(ListItem.Meta):
        verbose_name = _("项目类别")
        verbose_name_plural = _("项目类别")


class Stage(ListItem):
    """项目阶段 (策划生成 → 前期 → 在建 → 竣工 → 投用, plus 暂停 and 取消)."""

    class Meta(ListItem.Meta):
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")


class PipelineBatch(ListItem):
    """The province's “五个一批” batch a project is in; the labels are configurable."""

    class Meta(ListItem.Meta):
        verbose_name = _("五个一批")
        verbose_name_plural = _("五个一批")


def _org(related_name: str, verbose_name: StrOrPromise, *, optional: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        "orgs.Organisation",
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
        null=optional,
        blank=optional,
    )


class Project(AuditedModel):
    """A key construction project, as the projects workbook describes it, plus who follows it."""

    code = models.CharField(_("项目代码"), max_length=40, unique=True, validators=[validate_project_code])
    name = models.CharField(_("项目名称"), max_length=200)
    level = models.CharField(_("项目级别"), max_length=20, choices=ProjectLevel.choices, default=ProjectLevel.CITY_KEY)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="projects", verbose_name=_("项目类别")
    )
    district = _org("district_projects", _("所属区"))
    area_command = _org("area_projects", _("片区指挥部"), optional=True)
    responsible_unit = _org("unit_projects", _("责任单位"))
    owner = _org("owned_projects", _("业主单位"))
    agent_builder = _org("agent_projects", _("代建单位"), optional=True)
    # The specialty an agent builder must hold to manage this project (keyproj.agents.rules).
    agent_specialty = models.ForeignKey(
        "agents.Specialty",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("代建专业"),
    )
    total_investment = models.DecimalField(
        _("总投资(万元)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    planned_start = models.DateField(_("计划开工"), null=True, blank=True, help_text=_("月份，记为该月1日"))
    planned_completion = models.DateField(_("计划竣工"), null=True, blank=True, help_text=_("月份，记为该月1日"))
    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("项目阶段"),
    )
    pipeline_batch = models.ForeignKey(
        PipelineBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("五个一批"),
    )
    description = models.TextField(_("建设内容"), blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    # The project's point, always WGS-84 (GeoJSON's and GPS's system), whatever it was entered in;
    # set through projects.services.set_location, which keeps it inside the project's district.
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    tracker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracked_projects",
        verbose_name=_("跟踪人"),
    )
    liaison_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_projects",
        verbose_name=_("分管(挂钩)市领导"),
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(total_investment__gte=0), name="project_investment_not_negative"),
            # A point has both coordinates or neither, each within the globe.
            models.CheckConstraint(
                condition=models.Q(lng__isnull=True, lat__isnull=True)
                | models.Q(lng__gte=-180, lng__lte=180, lat__gte=-90, lat__lte=90),
                name="project_point_whole_and_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

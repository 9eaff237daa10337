"""Problem coordination: problems on projects, the five-level escalation ladder, meetings and site visits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.core.display import chinese_day
from keyproj.core.models import AuditedModel, ListItem
from keyproj.core.rules import VersionedRule
from keyproj.problems.querysets import (
    MeetingQuerySet,
    ProblemQuerySet,
    SiteVisitQuerySet,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TOP_LEVEL = 5


class ProblemCategory(ListItem):
    """问题类别 (前期审批 / 征地拆迁 / 施工组织 / 管线迁改 / 市政配套 / 资金 / 其他 by default)."""

    class Meta(ListItem.Meta):
        verbose_name = _("问题类别")
        verbose_name_plural = _("问题类别")


class Level(models.IntegerChoices):
    """逐级上报: who holds a problem at each rung of the ladder."""

    OWNER = 1, _("业主(代建)单位")
    RESPONSIBLE_UNIT = 2, _("责任单位")
    KEY_OFFICE = 3, _("市重点办")
    LIAISON_LEADER = 4, _("分管(挂钩)市领导")
    LEADING_GROUP = 5, _("领导小组")


class EscalationLevel(models.Model):
    """One rung of the escalation ladder: who holds a problem there.

    How long a problem may stay on a rung is versioned rule data (`ProblemRule.level1_days` …):
    held longer, it is raised to the next level by `keyproj problems escalate-overdue`; the top
    rung has no next level.
    """

    level = models.PositiveSmallIntegerField(
        _("层级"), unique=True, choices=Level.choices, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    name = models.CharField(_("名称"), max_length=60)

    class Meta:
        verbose_name = _("上报层级")
        verbose_name_plural = _("上报层级")
        ordering = ["level"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="escalation_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


def _level_days(label: StrOrPromise, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1)],
        help_text=_("在本级停留超过该天数即自动上报上一级"),
    )


class ProblemRule(VersionedRule):
    """The rules of problem handling, versioned: long-unresolved days, attachment limits and how
    long a problem may stay on each rung of the ladder.

    The rule for a day is `ProblemRule.in_force(day)`, so a new version applies from its date on
    and earlier judgements stay as they were. The escalation limits live here (not on the rungs)
    so that they are versioned and published like every other rule, read with the rest in one row.
    """

    long_unresolved_days = models.PositiveSmallIntegerField(
        _("久拖不决天数"),
        default=60,
        validators=[MinValueValidator(1)],
        help_text=_("提出后超过该天数仍未解决即为久拖不决"),
    )
    max_attachment_mb = models.PositiveSmallIntegerField(
        _("附件大小上限(MB)"), default=10, validators=[MinValueValidator(1)]
    )
    level1_days = _level_days(_("第1级办理时限(天)"), 10)
    level2_days = _level_days(_("第2级办理时限(天)"), 10)
    level3_days = _level_days(_("第3级办理时限(天)"), 15)
    level4_days = _level_days(_("第4级办理时限(天)"), 20)
    level5_days = _level_days(_("第5级办理时限(天)"), 30)

    class Meta:
        verbose_name = _("问题处理规则")
        verbose_name_plural = _("问题处理规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(long_unresolved_days__gte=1), name="long_unresolved_days_positive"),
            models.CheckConstraint(condition=Q(max_attachment_mb__gte=1), name="attachment_mb_positive"),
            models.CheckConstraint(
                condition=Q(
                    level1_days__gte=1, level2_days__gte=1, level3_days__gte=1, level4_days__gte=1, level5_days__gte=1
                ),
                name="escalation_limits_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.version}（{chinese_day(self.effective_from)}起）久拖{self.long_unresolved_days}天"

    def limits(self) -> dict[int, int]:
        """{level: days a problem may stay there} under this version."""
        return {level: getattr(self, f"level{level}_days") for level in range(1, TOP_LEVEL + 1)}


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("待办")
    IN_PROGRESS = "in_progress", _("办理中")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


OPEN_STATUSES = (ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)


class ProblemSource(models.TextChoices):
    OWNER = "owner", _("业主(代建)单位")
    TRACKER = "tracker", _("跟踪人")
    SITE_VISIT = "site_visit", _("深入现场")
    MEETING = "meeting", _("会议")
    OTHER = "other", _("其他")


class MeetingKind(models.TextChoices):
    WEEKLY = "weekly", _("周例会")
    SPECIAL = "special", _("专题会议")


class MeetingForm(models.TextChoices):
    ON_SITE = "on_site", _("现场")
    VENUE = "venue", _("会场")


class Meeting(AuditedModel):
    """A coordination meeting (周例会 or 专题会议): who met, what was discussed, decided and resolved."""

    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    held_on = models.DateField(_("会议日期"), db_index=True)
    form = models.CharField(_("会议形式"), max_length=16, choices=MeetingForm.choices, default=MeetingForm.VENUE)
    title = models.CharField(_("会议名称"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.CharField(_("主持人"), max_length=100)
    attendees = models.TextField(_("参会单位及人员"), blank=True)
    decisions = models.TextField(_("会议议定事项"), blank=True)
    discussed = models.ManyToManyField(  # type: ignore[var-annotated]
        "Problem", blank=True, related_name="meetings", verbose_name=_("研究的问题")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("协调会议")
        verbose_name_plural = _("协调会议")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kind", "held_on"], name="meeting_kind_day")]

    def __str__(self) -> str:
        return f"{chinese_day(self.held_on)} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("problems:meeting", args=[self.pk])


class SiteVisit(AuditedModel):
    """A 轻骑兵 field visit: the day, the team and the project sites it went to."""

    visited_on = models.DateField(_("日期"), db_index=True)
    team = models.CharField(_("小组成员"), max_length=200)
    projects = models.ManyToManyField("projects.Project", related_name="site_visits", verbose_name=_("深入的项目"))
    summary = models.TextField(_("情况概述"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )

    objects = SiteVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("深入现场")
        verbose_name_plural = _("深入现场")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{chinese_day(self.visited_on)} {self.team}"

    def get_absolute_url(self) -> str:
        return reverse("problems:visit", args=[self.pk])


class Finding(models.Model):
    """What a site visit found at one project; it becomes a problem in one step (`problem` then set)."""

    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="findings", verbose_name=_("深入现场"))
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="findings", verbose_name=_("项目")
    )
    text = models.TextField(_("发现的问题"))
    problem = models.OneToOneField(
        "Problem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("转为问题"),
    )

    class Meta:
        verbose_name = _("现场发现")
        verbose_name_plural = _("现场发现")
        ordering = ["visit", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Problem(AuditedModel):
    """A blockage raised on a project, held at one rung of the escalation ladder until resolved.

    `level_since` is the day the problem reached its current level: the level's time limit
    runs from it.
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="problems", verbose_name=_("项目")
    )
    category = models.ForeignKey(
        ProblemCategory, on_delete=models.PROTECT, related_name="problems", verbose_name=_("问题类别")
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN, db_index=True
    )
    level = models.PositiveSmallIntegerField(
        _("当前层级"),
        choices=Level.choices,
        default=Level.OWNER,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    level_since = models.DateField(_("到达本级日期"))
    source = models.CharField(_("来源"), max_length=16, choices=ProblemSource.choices, default=ProblemSource.OWNER)
    raised_on = models.DateField(_("提出日期"), db_index=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出人"),
    )
    site_visit = models.ForeignKey(
        SiteVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("发现于深入现场"),
    )
    raised_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_problems",
        verbose_name=_("提出于会议"),
    )
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True, db_index=True)
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    resolved_at_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_problems",
        verbose_name=_("解决于会议"),
    )

    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="problem_level_valid"),
            # A resolved or closed problem says when; an open one does not.
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress"], resolved_on__isnull=True)
                | Q(status__in=["resolved", "closed"], resolved_on__isnull=False),
                name="problem_resolved_on_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "raised_on"], name="problem_status_raised"),
            models.Index(fields=["status", "level", "level_since"], name="problem_ladder"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("problems:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def escalation_limit(self) -> int | None:
        """The time limit (days) of the problem's current level, as the rule now stands."""
        return ProblemRule.current().limits().get(self.level)


class Escalation(models.Model):
    """One step up the ladder: from which level to which, when, by whom (or the daily run) and why.

    `time_limit_days` is the limit of the level left, as the rule stood (for automatic steps).
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("问题"))
    from_level = models.PositiveSmallIntegerField(_("原层级"), choices=Level.choices)
    to_level = models.PositiveSmallIntegerField(_("上报至"), choices=Level.choices)
    on = models.DateField(_("上报日期"))
    reason = models.TextField(_("上报原因"))
    automatic = models.BooleanField(_("超时自动上报"), default=False)
    time_limit_days = models.PositiveSmallIntegerField(_("原层级时限(天)"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上报人"),
    )
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("上报记录")
        verbose_name_plural = _("上报记录")
        ordering = ["problem", "on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(to_level__gt=models.F("from_level")), name="escalation_goes_up"),
            # Idempotence in the database: a problem leaves a level at most once a day.
            models.UniqueConstraint(fields=["problem", "from_level", "on"], name="one_escalation_per_level_day"),
        ]

    def __str__(self) -> str:
        return f"{self.problem} {self.from_level}→{self.to_level}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is not the uploaded one: files are only served through the scoped view.
    return f"problems/{instance.problem_id}/{instance.token}{instance.extension}"


class AttachmentKind(models.TextChoices):
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"


class Attachment(models.Model):
    """A photo or document attached to a problem; its type was sniffed from its bytes, not its name."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("问题"))
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(_("大小(字节)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("problems:attachment", args=[self.problem_id, self.pk])

    @property
    def extension(self) -> str:
        return f".{self.kind}"

    @property
    def is_image(self) -> bool:
        return self.kind in {AttachmentKind.JPEG, AttachmentKind.PNG}

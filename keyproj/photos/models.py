"""Photos as evidence: a site photo on a monthly return or a site visit, with what its EXIF says.

A photo belongs to exactly one return or one site visit (a constraint in the database) and always
names one project: the return's, or the one of the visit's projects it shows. Its bytes and a
small thumbnail sit in the default storage under a random token, never under the uploaded name,
and are served only through the scoped views: EXIF (time, GPS) is evidence for the office and never
public (the open-data package and /public/ know nothing of photos).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyproj.core.rules import VersionedRule
from keyproj.core.scoping import project_q


class PhotoKind(models.TextChoices):
    JPEG = "jpg", "JPEG"
    PNG = "png", "PNG"
    HEIC = "heic", "HEIC"


# What a stored original is served as.
CONTENT_TYPES = {PhotoKind.JPEG: "image/jpeg", PhotoKind.PNG: "image/png", PhotoKind.HEIC: "image/heic"}


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> PhotoQuerySet:
        """Who may see a project may see its photos."""
        return self.filter(project_q(user, "project__"))


def _photo_path(instance: Photo, filename: str) -> str:
    # The stored name is not the uploaded one: files are only served through the scoped view.
    return f"photos/{instance.project_id}/{instance.token}.{instance.kind}"


def _thumb_path(instance: Photo, filename: str) -> str:
    return f"photos/{instance.project_id}/{instance.token}-thumb.jpg"


class Photo(models.Model):
    """A site photo evidencing a return or a site visit, with its EXIF time and place and the flags they raise."""

    # No database constraint to the return: returns are partitioned by year on PostgreSQL and
    # nothing can reference their id alone (keyproj.core.partitions); the ORM still cascades.
    progress_return = models.ForeignKey(
        "returns.ProgressReturn",
        on_delete=models.CASCADE,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("月度填报"),
    )
    site_visit = models.ForeignKey(
        "problems.SiteVisit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
        verbose_name=_("深入现场"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="photos", verbose_name=_("项目")
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    file = models.FileField(_("照片"), upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=_thumb_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=PhotoKind.choices)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    gps_lat = models.DecimalField(_("纬度(WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_lng = models.DecimalField(_("经度(WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True)
    exif_error = models.CharField(_("EXIF读取问题"), max_length=200, blank=True)
    flags = models.JSONField(_("提示"), default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["uploaded_at", "id"]
        constraints = [
            # Evidence of one thing: a return or a site visit, never both, never neither.
            models.CheckConstraint(
                condition=(Q(progress_return__isnull=False, site_visit__isnull=True))
                | (Q(progress_return__isnull=True, site_visit__isnull=False)),
                name="photo_of_a_return_or_a_visit",
            ),
            models.CheckConstraint(
                condition=Q(gps_lat__isnull=True) | Q(gps_lat__gte=-90, gps_lat__lte=90), name="photo_lat_in_range"
            ),
            models.CheckConstraint(
                condition=Q(gps_lng__isnull=True) | Q(gps_lng__gte=-180, gps_lng__lte=180),
                name="photo_lng_in_range",
            ),
        ]
        indexes = [models.Index(fields=["project", "taken_at"], name="photo_project_taken")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("photos:file", args=[self.pk])

    @property
    def thumbnail_url(self) -> str:
        return reverse("photos:thumbnail", args=[self.pk])

    @property
    def flag_messages(self) -> list[str]:
        return [str(f.get("message", "")) for f in self.flags or []]


class PhotoRule(VersionedRule):
    """The rules photos are checked by: their size, how far from the project's point, a missing EXIF time."""

    max_bytes = models.PositiveIntegerField(
        _("照片大小上限(字节)"),
        default=10 * 1024 * 1024,
        validators=[MinValueValidator(1024), MaxValueValidator(100 * 1024 * 1024)],
        help_text=_("超过此大小的照片不予接收"),
    )
    # A phone's GPS is good to tens of metres; a large site (a road, a new town's grid) spans
    # kilometres from the point that stands for it, so the default is generous.
    max_distance_m = models.PositiveIntegerField(
        _("距项目位置上限(米)"),
        default=2000,
        validators=[MinValueValidator(1)],
        help_text=_("照片GPS位置距项目位置超过此距离时提示"),
    )
    flag_missing_exif = models.BooleanField(
        _("提示无拍摄时间"), default=True, help_text=_("照片没有EXIF拍摄时间时提示")
    )

    class Meta:
        verbose_name = _("现场照片规则")
        verbose_name_plural = _("现场照片规则")
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=Q(max_bytes__gte=1024), name="photo_max_bytes_positive"),
            models.CheckConstraint(condition=Q(max_distance_m__gte=1), name="photo_max_distance_positive"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} {self.effective_from.isoformat()}起"

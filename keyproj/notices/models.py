"""Issued 通报: the numbering rules, the per-kind counters and the issued notices with their files."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keyproj.core import clock
from keyproj.core.rules import VersionedRule
from keyproj.notices.document import OfficialDocument
from keyproj.notices.querysets import NoticeQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class NoticeKind(models.TextChoices):
    """What a notice is; each kind has its own 文号 series (its pattern in NumberingRule)."""

    MONTHLY = "monthly", _("月度通报")
    INSPECTION = "inspection", _("季度督查考评通报")
    MINUTES = "minutes", _("会议纪要")
    OTHER = "other", _("其他")


# How each kind's 文号 is written by default, and whether every role may read that kind.
DEFAULT_NUMBERING = {
    NoticeKind.MONTHLY: ("厦重点办〔{year}〕{n}号", True),
    NoticeKind.INSPECTION: ("厦建代〔{year}〕{n}号", True),
    NoticeKind.MINUTES: ("厦重点办纪〔{year}〕{n}号", False),
    NoticeKind.OTHER: ("厦重点办函〔{year}〕{n}号", False),
}
PATTERN_HELP = _("用 {year} 表示年份、{n} 表示序号")


def _pattern(label: StrOrPromise, kind: NoticeKind) -> models.CharField:
    return models.CharField(label, max_length=60, default=DEFAULT_NUMBERING[kind][0], help_text=PATTERN_HELP)


def _public(label: StrOrPromise, kind: NoticeKind) -> models.BooleanField:
    return models.BooleanField(label, default=DEFAULT_NUMBERING[kind][1])


class NumberingRule(VersionedRule):
    """One version of the 文号 rules: for every kind, how its 文号 is written and who may read it.

    `<kind>_pattern` holds `{year}` and `{n}`, e.g. "厦重点办〔{year}〕{n}号". A `<kind>_public`
    kind is read by every user who holds a role; the others only by the office and city leaders.
    Never edited: a change is the next version (keyproj.core.rules.publish_rule).
    """

    monthly_pattern = _pattern(_("月度通报文号格式"), NoticeKind.MONTHLY)
    monthly_public = _public(_("月度通报向所有用户公开"), NoticeKind.MONTHLY)
    inspection_pattern = _pattern(_("季度督查考评通报文号格式"), NoticeKind.INSPECTION)
    inspection_public = _public(_("季度督查考评通报向所有用户公开"), NoticeKind.INSPECTION)
    minutes_pattern = _pattern(_("会议纪要文号格式"), NoticeKind.MINUTES)
    minutes_public = _public(_("会议纪要向所有用户公开"), NoticeKind.MINUTES)
    other_pattern = _pattern(_("其他通报文号格式"), NoticeKind.OTHER)
    other_public = _public(_("其他通报向所有用户公开"), NoticeKind.OTHER)

    class Meta:
        verbose_name = _("文号规则")
        verbose_name_plural = _("文号规则")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"文号规则第{self.version}版"

    def pattern(self, kind: str) -> str:
        """How the 文号 of `kind` is written ("" for a kind this rule does not know)."""
        return getattr(self, f"{kind}_pattern", "") if kind in NoticeKind.values else ""

    def is_public(self, kind: str) -> bool:
        return kind in NoticeKind.values and bool(getattr(self, f"{kind}_public"))

    def public_kinds(self) -> list[str]:
        """The kinds every user with a role may read."""
        return [kind for kind in NoticeKind.values if self.is_public(kind)]

    def format(self, kind: str, year: int, n: int) -> str:
        """The 文号 of the n-th notice of `kind` in the year."""
        return self.pattern(kind).format(year=year, n=n)


def check_numbering_rule(values: dict[str, Any]) -> list[tuple[str, str]]:
    """What makes a numbering rule unusable: a pattern without {year} and {n}, or with other placeholders."""
    problems = []
    for kind in NoticeKind.values:
        name = f"{kind}_pattern"
        message = pattern_problem(str(values.get(name) or ""))
        if message:
            problems.append((str(getattr(NumberingRule._meta.get_field(name), "verbose_name", name)), message))
    return problems


def pattern_problem(pattern: str) -> str:
    """What is wrong with a 文号 pattern, in Chinese ("" when it is sound)."""
    if "{year}" not in pattern or "{n}" not in pattern:
        return str(_("文号格式须同时包含 {year} 和 {n}"))
    try:
        pattern.format(year=2019, n=1)
    except (KeyError, IndexError, ValueError):
        return str(_("文号格式只能使用 {year} 和 {n} 两个占位符"))
    return ""


class NoticeCounter(models.Model):
    """The last sequence number used per (kind, year); one row, locked while a number is taken."""

    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    class Meta:
        verbose_name = _("文号计数")
        verbose_name_plural = _("文号计数")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="one_notice_counter_per_kind_year")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


STORED_FORMATS = ("docx", "pdf")
_UNSAFE = re.compile(r"[^\w]+")


def safe_number(number: str) -> str:
    """A 文号 as a file-name part: its letters and digits, everything else a hyphen ("厦重点办-2019-7号")."""
    return _UNSAFE.sub("-", number).strip("-")[:60]


def notice_file_path(notice: Notice, filename: str) -> str:
    """Where a notice's file is stored: by year, named by its 文号 and the start of its hash, so that
    a folder listing says which notice a file belongs to and no two files share a name."""
    fmt = filename.rsplit(".", 1)[-1]
    stem = safe_number(notice.number) or f"{notice.kind}-{notice.sequence}"
    return f"notices/{notice.year}/{stem}-{str(getattr(notice, f'{fmt}_sha256'))[:16]}.{fmt}"


class Notice(models.Model):
    """An issued official document: its 文号, the document itself (JSON) and the files rendered from it.

    Issued notices are never edited. `source` names what the notice was made from (e.g.
    "close:2019-07"), so issuing the same source again finds this notice instead of taking a
    new number; the stored document re-renders to the same text.

    A notice whose month is reopened is withdrawn (撤回): it keeps its 文号, files and text,
    and is shown as withdrawn; its number is never given to another notice.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=NoticeKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60)
    title = models.CharField(_("标题"), max_length=200)
    date = models.DateField(_("成文日期"))
    period_label = models.CharField(_("所属期间"), max_length=40, blank=True)
    source = models.CharField(_("来源"), max_length=80, blank=True)
    document = models.JSONField(_("公文内容"))
    # The files live in the default storage (STORAGES["default"]), named by year, 文号 and hash.
    docx = models.FileField(_("Word文件"), upload_to=notice_file_path, max_length=200)
    docx_sha256 = models.CharField(_("Word文件SHA-256"), max_length=64)
    pdf = models.FileField(_("PDF文件"), upload_to=notice_file_path, max_length=200)
    pdf_sha256 = models.CharField(_("PDF文件SHA-256"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("签发人"),
    )
    # A business moment (keyproj.core.clock): the notice is signed on the day it is dated.
    issued_at = models.DateTimeField(_("签发时间"), default=clock.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撤回人"),
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-date", "-year", "kind", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "sequence"], name="one_notice_per_number"),
            models.UniqueConstraint(
                fields=["kind", "source"], condition=~models.Q(source=""), name="one_notice_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("notices:detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def official_document(self) -> Any:
        """The stored document as an OfficialDocument, to re-render or preview."""
        return OfficialDocument.from_dict(self.document)

    def file_bytes(self, fmt: str) -> bytes:
        """The stored docx or pdf, read from the storage: the one way every reader gets a notice's file.

        The bytes are checked against the SHA-256 recorded when the notice was issued; a file
        missing from the storage or changed since is refused (StoredFileChanged), never served.
        """
        if fmt not in STORED_FORMATS:
            raise ValueError(f"a notice stores no {fmt!r} file")
        field = getattr(self, fmt)
        recorded = str(getattr(self, f"{fmt}_sha256"))
        if not field.name:
            raise StoredFileChanged(self, fmt, "missing")
        try:
            with field.storage.open(field.name, "rb") as handle:
                content = handle.read()
        except OSError as missing:
            raise StoredFileChanged(self, fmt, "missing") from missing
        if sha256(content) != recorded:
            raise StoredFileChanged(self, fmt, "changed")
        return bytes(content)

    def store_files(self, files: dict[str, bytes]) -> None:
        """Write the rendered files into the storage and record their SHA-256 (before the row is saved)."""
        for fmt, content in files.items():
            setattr(self, f"{fmt}_sha256", sha256(content))
            getattr(self, fmt).save(f"{fmt}.{fmt}", ContentFile(content), save=False)

    def discard_files(self) -> None:
        """Remove the notice's files from the storage (a notice not written, or deleted with a demo reset)."""
        for fmt in STORED_FORMATS:
            field = getattr(self, fmt)
            if field.name:
                field.storage.delete(field.name)


class StoredFileChanged(Exception):
    """A notice's stored file is missing or no longer matches the SHA-256 recorded at issue."""

    def __init__(self, notice: Notice, fmt: str, what: str) -> None:
        self.notice, self.fmt, self.what = notice, fmt, what
        values = {"notice": notice.number or notice.title, "fmt": fmt, "name": getattr(notice, fmt).name or "—"}
        if what == "missing":
            message = gettext("通报%(notice)s的%(fmt)s文件（%(name)s）在存储中不存在，不能提供；请从备份恢复该文件")
        else:
            message = gettext(
                "通报%(notice)s的%(fmt)s文件（%(name)s）与印发时记录的SHA-256不一致，已被改动，不能提供；"
                "请从备份恢复该文件"
            )
        super().__init__(message % values)


def sha256(data: bytes) -> str:
    """The hex SHA-256 of a rendered file, stored beside it."""
    return hashlib.sha256(data).hexdigest()


@receiver(post_delete, sender=Notice)
def _discard_deleted_files(sender: type[Notice], instance: Notice, **kwargs: Any) -> None:
    # Issued notices are never deleted, but a demo reset deletes its notices; their files go too,
    # once the deletion is committed (a rolled-back deletion keeps them).
    transaction.on_commit(instance.discard_files)

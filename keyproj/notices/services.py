"""Issuing 通报: taking a 文号 and storing the rendered files, audited; withdrawing one.

A notice is issued once per source: issuing the same close, or the same quarter's results,
again finds the notice already issued instead of taking a new number. A withdrawn notice
keeps its 文号 (a number is never used twice) and is shown as withdrawn.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F

from keyproj.accounts.permissions import is_office
from keyproj.core import audit, clock
from keyproj.core.display import chinese_day
from keyproj.core.errors import Reason, Refused
from keyproj.core.scoping import actor_row
from keyproj.notices.document import OfficialDocument, to_docx, to_pdf
from keyproj.notices.models import Notice, NoticeCounter, NoticeKind, NumberingRule

# Two people issuing the same source at the same moment: the loser retries and finds the winner's notice.
ISSUE_ATTEMPTS = 3
SOURCE_MAX = Notice._meta.get_field("source").max_length or 80


class ReservedNumber(NamedTuple):
    """A taken 文号: the sequence within (kind, year) and the number as written."""

    sequence: int
    number: str


def numbering_rule(kind: str) -> NumberingRule:
    """The numbering rule in force, which must say how the 文号 of `kind` is written; else refused."""
    rule = NumberingRule.current()
    if not rule.pattern(kind):
        raise Refused([Reason("类型", f"“{kind}”没有文号规则，请先在文号规则中设置")])
    return rule


def reserve_number(kind: str, year: int) -> ReservedNumber:
    """Take the next 文号 of (kind, year).

    The counter row is bumped by one UPDATE (the database serialises concurrent bumps; the
    row stays locked until the caller's transaction ends), so two callers never get the same
    sequence; the unique constraint on Notice(kind, year, sequence) is the backstop. Called
    inside the issuing transaction, a failed issue gives its number back.
    """
    if kind not in NoticeKind.values:
        raise Refused([Reason("类型", f"未知的通报类型“{kind}”")])
    if not 1900 <= year <= 9999:
        raise Refused([Reason("年度", f"年度“{year}”不正确")])
    rule = numbering_rule(kind)
    with transaction.atomic():
        NoticeCounter.objects.get_or_create(kind=kind, year=year)
        NoticeCounter.objects.filter(kind=kind, year=year).update(last=F("last") + 1)
        sequence = NoticeCounter.objects.select_for_update().get(kind=kind, year=year).last
    return ReservedNumber(sequence, rule.format(kind, year, sequence))


def next_number(kind: str, year: int) -> str:
    """The 文号 the next notice of (kind, year) would take, to show before issuing; takes nothing.

    Someone else issuing first takes it, and the notice then gets the one after.
    """
    rule = NumberingRule.current()
    if not rule.pattern(kind):
        return ""
    last = NoticeCounter.objects.filter(kind=kind, year=year).values_list("last", flat=True).first() or 0
    return rule.format(kind, year, last + 1)


def _problems(kind: str, document: OfficialDocument, source: str) -> list[Reason]:
    problems: list[Reason] = []
    if kind not in NoticeKind.values:
        problems.append(Reason("类型", f"未知的通报类型“{kind}”"))
    if not document.issuer.strip():
        problems.append(Reason("发文机关", "不能为空"))
    if not document.title.strip():
        problems.append(Reason("标题", "不能为空"))
    elif len(document.title) > 200:
        problems.append(Reason("标题", "不能超过200个字"))
    if len(source) > SOURCE_MAX:
        problems.append(Reason("来源", f"不能超过{SOURCE_MAX}个字符"))
    tables = [t for s in document.sections for t in s.tables] + list(document.attachments)
    for table in tables:
        if not table.header:
            problems.append(Reason(table.title or "表格", "没有表头"))
        elif any(len(row) > len(table.header) for row in table.rows):
            problems.append(Reason(table.title or "表格", "有的行比表头的列多"))
    return problems


def issue_notice(
    kind: str,
    document: OfficialDocument,
    *,
    period_label: str,
    user: Any,
    source: str | None = None,
) -> Notice:
    """Issue a notice: take its 文号, render the docx and pdf, store them with their sha256, audit.

    Only the office (or the console) issues. The document's own `number` is replaced by the
    taken 文号. With a `source`, a notice already issued from it is returned unchanged.
    Refused whole, with every problem, when the document is incomplete.
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以印发通报")
    source = (source or "").strip()
    problems = _problems(kind, document, source)
    if problems:
        raise Refused(problems)
    numbering_rule(kind)
    for attempt in range(ISSUE_ATTEMPTS):
        if source and (existing := Notice.objects.filter(kind=kind, source=source).first()):
            return existing
        try:
            return _issue(kind, document, period_label=period_label, user=user, source=source)
        except IntegrityError:
            # Someone issued the same source (or took the number) meanwhile; look again.
            if attempt == ISSUE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _issue(kind: str, document: OfficialDocument, *, period_label: str, user: Any, source: str) -> Notice:
    with transaction.atomic():
        year = document.date.year
        reserved = reserve_number(kind, year)
        numbered = document.with_number(reserved.number)
        notice = Notice(
            kind=kind,
            year=year,
            sequence=reserved.sequence,
            number=reserved.number,
            title=numbered.title,
            date=numbered.date,
            period_label=period_label,
            source=source,
            document=numbered.to_dict(),
            issued_by=actor_row(user),
            issued_at=_signed_at(numbered.date),
        )
        notice.store_files({"docx": to_docx(numbered), "pdf": to_pdf(numbered)})
        try:
            notice.save(force_insert=True)
            audit.log(notice, "notice.issue", user=user, after=describe(notice))
        except BaseException:
            # The files went into the storage before the row; a notice that is not written leaves none behind.
            notice.discard_files()
            raise
    return notice


WITHDRAW_REASON_MAX = Notice._meta.get_field("withdrawn_reason").max_length or 300


def withdraw_notice(notice: Notice, *, user: Any, reason: str) -> Notice:
    """Withdraw (撤回) an issued notice, with the reason; audited. Its 文号 stays its own.

    Refused when the reason is empty or the notice is already withdrawn.
    """
    if not is_office(user):
        raise PermissionDenied("只有重点办可以撤回通报")
    reason = " ".join((reason or "").split())
    problems: list[Reason] = []
    if not reason:
        problems.append(Reason("撤回原因", "撤回通报须写明原因"))
    if notice.is_withdrawn:
        problems.append(Reason("", f"{notice.number or notice.title}已于{chinese_day(notice.withdrawn_at)}撤回"))
    if problems:
        raise Refused(problems)
    with transaction.atomic():
        notice.withdrawn_at = clock.now()
        notice.withdrawn_reason = reason[:WITHDRAW_REASON_MAX]
        notice.withdrawn_by = actor_row(user)
        updated = Notice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=notice.withdrawn_at, withdrawn_reason=notice.withdrawn_reason, withdrawn_by=notice.withdrawn_by
        )
        if not updated:
            raise Refused([Reason("", f"{notice.number or notice.title}已被他人撤回")])
        audit.log(
            notice,
            "notice.withdraw",
            user=user,
            before={"withdrawn_at": None},
            after={"number": notice.number, "withdrawn_at": notice.withdrawn_at.isoformat(), "reason": reason},
        )
    return notice


def _signed_at(day: Any) -> Any:
    """When a notice is signed: the business moment, on the day the notice is dated (a notice
    dated on an earlier day, as the demo's are, is signed that day at the same time of day)."""
    moment = clock.now()
    if moment.date() == day:
        return moment
    return moment.replace(year=day.year, month=day.month, day=day.day)


def describe(notice: Notice) -> dict[str, Any]:
    """What the audit log keeps of a notice: everything but the file bytes (their sha256 stands for them)."""
    return {
        "kind": notice.kind,
        "year": notice.year,
        "sequence": notice.sequence,
        "number": notice.number,
        "title": notice.title,
        "date": notice.date.isoformat(),
        "period_label": notice.period_label,
        "source": notice.source,
        "docx_sha256": notice.docx_sha256,
        "pdf_sha256": notice.pdf_sha256,
    }

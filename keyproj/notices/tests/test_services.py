from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from keyproj.core.models import AuditEntry
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.notices.document import OfficialDocument, Section, Table, to_docx, to_pdf, to_text
from keyproj.notices.models import Notice, NoticeCounter, NoticeKind, NumberingRule, sha256
from keyproj.notices.services import issue_notice, reserve_number
from keyproj.notices.tests.samples import small_notice

pytestmark = pytest.mark.django_db


def test_numbers_run_on_within_a_kind_and_year_and_start_again_for_another():
    assert reserve_number(NoticeKind.MONTHLY, 2019) == (1, "厦重点办〔2019〕1号")
    assert reserve_number(NoticeKind.MONTHLY, 2019) == (2, "厦重点办〔2019〕2号")
    assert reserve_number(NoticeKind.INSPECTION, 2019) == (1, "厦建代〔2019〕1号")
    assert reserve_number(NoticeKind.MONTHLY, 2020) == (1, "厦重点办〔2020〕1号")
    assert NoticeCounter.objects.get(kind=NoticeKind.MONTHLY, year=2019).last == 2


def test_the_numbering_pattern_is_rule_data():
    publish_rule(NumberingRule, {"minutes_pattern": "厦重点办会〔{year}〕第{n}期"}, user=CONSOLE)
    assert reserve_number(NoticeKind.MINUTES, 2019).number == "厦重点办会〔2019〕第1期"


def test_issuing_stores_the_numbered_document_its_files_and_their_hashes_and_audits(admin_user):
    notice = issue_notice(NoticeKind.MONTHLY, small_notice(), period_label="2019年7月", user=admin_user)
    assert notice.number == "厦重点办〔2019〕1号" and notice.sequence == 1 and notice.year == 2019
    doc = notice.official_document
    assert doc.number == notice.number
    assert notice.docx_sha256 == sha256(notice.file_bytes("docx"))
    assert notice.pdf_sha256 == sha256(notice.file_bytes("pdf"))
    # The stored document renders again to the very same files.
    assert sha256(to_docx(doc)) == notice.docx_sha256
    assert sha256(to_pdf(doc)) == notice.pdf_sha256
    assert "厦重点办〔2019〕1号" in to_text(doc)
    entry = AuditEntry.objects.get(action="notice.issue", object_id=str(notice.pk))
    assert entry.user == admin_user
    assert entry.after["number"] == notice.number and entry.after["pdf_sha256"] == notice.pdf_sha256


def test_issuing_the_same_source_again_returns_the_notice_already_issued(admin_user):
    first = issue_notice(
        NoticeKind.MONTHLY, small_notice(), period_label="2019年7月", user=admin_user, source="close:2019-07"
    )
    again = issue_notice(
        NoticeKind.MONTHLY,
        small_notice(title="改过的标题"),
        period_label="2019年7月",
        user=CONSOLE,
        source="close:2019-07",
    )
    assert again.pk == first.pk and again.title == first.title
    assert Notice.objects.count() == 1
    assert NoticeCounter.objects.get(kind=NoticeKind.MONTHLY, year=2019).last == 1
    other = issue_notice(
        NoticeKind.MONTHLY, small_notice(), period_label="2019年8月", user=CONSOLE, source="close:2019-08"
    )
    assert other.number == "厦重点办〔2019〕2号" and other.issued_by is None


def test_only_the_office_issues(siming_officer, leader_user):
    for user in (siming_officer, leader_user):
        with pytest.raises(PermissionDenied):
            issue_notice(NoticeKind.MONTHLY, small_notice(), period_label="", user=user)
    assert not Notice.objects.exists() and not NoticeCounter.objects.exists()


def test_an_incomplete_document_is_refused_with_every_problem_and_takes_no_number(admin_user):
    from keyproj.core.errors import Refused

    bad = small_notice(
        issuer=" ",
        title="",
        sections=[Section("", ["正文"], [Table("表1", ["区"], [["思明区", "多出的一列"]]), Table("表2", [], [])])],
    )
    with pytest.raises(Refused) as refused:
        issue_notice(NoticeKind.MONTHLY, bad, period_label="", user=admin_user)
    fields = [p.field for p in refused.value.problems]
    assert fields == ["发文机关", "标题", "表1", "表2"]
    assert not Notice.objects.exists() and not NoticeCounter.objects.exists()


def test_an_unknown_kind_is_refused(admin_user):
    from keyproj.core.errors import Refused

    with pytest.raises(Refused):
        issue_notice("weekly", small_notice(), period_label="", user=admin_user)
    with pytest.raises(Refused):
        reserve_number("weekly", 2019)


def test_a_failed_rendering_gives_its_number_back(admin_user, monkeypatch):
    def broken(doc: OfficialDocument) -> bytes:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr("keyproj.notices.services.to_pdf", broken)
    with pytest.raises(RuntimeError):
        issue_notice(NoticeKind.MONTHLY, small_notice(), period_label="", user=admin_user)
    monkeypatch.undo()
    assert issue_notice(NoticeKind.MONTHLY, small_notice(), period_label="", user=admin_user).sequence == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the test database of SQLite is in memory, where a second writer fails at once instead of waiting",
)
def test_concurrent_reservations_never_share_a_number():
    # An earlier transactional test may have flushed the migration's rows: the rule's defaults come back.
    taken: list[int] = []
    errors: list[BaseException] = []

    def take() -> None:
        from django.db import connection as own

        try:
            for _ in range(5):
                taken.append(reserve_number(NoticeKind.MONTHLY, 2019).sequence)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(taken) == list(range(1, 21))

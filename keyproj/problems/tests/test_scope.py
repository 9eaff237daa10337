"""Who sees which problems, meetings and visits; the contract querysets; attachments and bad input."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied

from keyproj.accounts.models import Role
from keyproj.core.errors import Refused
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.problems.models import Attachment, Meeting, MeetingKind, Problem, ProblemRule, ProblemStatus
from keyproj.problems.querysets import long_unresolved_counts
from keyproj.problems.services import (
    MeetingData,
    VisitData,
    add_attachment,
    finding_to_problem,
    record_meeting,
    record_visit,
    resolve,
)
from keyproj.problems.tests.helpers import DAY, category, make_problem
from keyproj.testing import make_user

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def test_a_district_sees_its_own_projects_problems_only(siming_officer, siming_project, haicang_project):
    mine = make_problem(siming_project)
    make_problem(haicang_project)
    assert list(Problem.objects.visible_to(siming_officer)) == [mine]


def test_an_outsider_sees_no_problems(outsider, siming_project):
    make_problem(siming_project)
    assert not Problem.objects.visible_to(outsider).exists()


def test_a_liaison_leader_without_a_role_sees_only_problems_escalated_to_them(siming_project):
    liaison = make_user("liaison")
    siming_project.liaison_leader = liaison
    siming_project.save()
    low = make_problem(siming_project, level=3)
    high = make_problem(siming_project, level=4)
    assert list(Problem.objects.visible_to(liaison)) == [high]
    assert low not in Problem.objects.visible_to(liaison)


def test_a_tracker_sees_the_problems_of_the_projects_they_track(siming_project):
    tracker = make_user("tracker")
    siming_project.tracker = tracker
    siming_project.save()
    problem = make_problem(siming_project)
    assert list(Problem.objects.visible_to(tracker)) == [problem]


def test_long_unresolved_counts_problems_older_than_the_rule_by_organisation(siming_project, haicang_project):
    as_of = DAY + dt.timedelta(days=61)
    make_problem(siming_project)  # 61 days old on as_of: long unresolved
    make_problem(siming_project, today=DAY + dt.timedelta(days=1))  # exactly 60 days: not yet
    make_problem(haicang_project)
    solved = make_problem(haicang_project)
    resolve(solved, user=CONSOLE, note="已解决", today=DAY + dt.timedelta(days=5))
    counts = long_unresolved_counts(as_of, "district")
    assert counts == {siming_project.district_id: 1, haicang_project.district_id: 1}
    assert long_unresolved_counts(as_of, "responsible_unit")[siming_project.responsible_unit_id] == 1


def test_long_unresolved_days_are_a_rule(siming_project):
    publish_rule(ProblemRule, {"long_unresolved_days": 10}, user=CONSOLE, effective_from=DAY)
    make_problem(siming_project)
    assert Problem.objects.long_unresolved(DAY + dt.timedelta(days=11)).count() == 1


def test_a_problem_resolved_after_the_day_counts_as_unresolved_on_that_day(siming_project):
    problem = make_problem(siming_project)
    resolve(problem, user=CONSOLE, note="已解决", today=DAY + dt.timedelta(days=90))
    assert Problem.objects.long_unresolved(DAY + dt.timedelta(days=70)).count() == 1
    assert Problem.objects.long_unresolved(DAY + dt.timedelta(days=91)).count() == 0


def test_resolving_without_a_note_is_refused_and_writes_nothing(siming_project, staff_user):
    problem = make_problem(siming_project)
    with pytest.raises(Refused) as refused:
        resolve(problem, user=staff_user, note=" ", today=DAY)
    assert refused.value.problems[0].field == "解决情况"
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN and problem.version == 1


def test_an_attachment_is_judged_by_its_bytes_not_its_name(siming_project, owner_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    problem = make_problem(siming_project)
    with pytest.raises(Refused) as refused:
        add_attachment(problem, user=owner_user, name="photo.png", content=b"MZ\x90\x00 not an image", today=DAY)
    assert "不是允许的文件类型" in str(refused.value)
    assert not Attachment.objects.exists()
    photo = add_attachment(problem, user=owner_user, name="现场.png", content=PNG, today=DAY)
    word = add_attachment(problem, user=owner_user, name="函.docx", content=_docx(), today=DAY)
    assert (photo.kind, word.kind) == ("png", "docx")
    assert photo.file.name.startswith(f"problems/{problem.pk}/") and "现场" not in photo.file.name


def test_an_attachment_over_the_size_limit_is_refused(siming_project, owner_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ProblemRule.objects.update(max_attachment_mb=1)
    problem = make_problem(siming_project)
    with pytest.raises(Refused) as refused:
        add_attachment(problem, user=owner_user, name="big.png", content=PNG + b"\x00" * (1 << 20), today=DAY)
    assert "超过上限1MB" in str(refused.value)
    assert not Attachment.objects.exists()


def test_a_meeting_cannot_resolve_a_problem_of_another_scope(siming_officer, siming_project, haicang_project):
    mine = make_problem(siming_project)
    theirs = make_problem(haicang_project)
    data = MeetingData(
        kind=MeetingKind.SPECIAL,
        held_on=DAY + dt.timedelta(days=3),
        title="专题协调会",
        chair="区长",
        resolved=[(mine, "已协调"), (theirs, "已协调")],
    )
    with pytest.raises(Refused) as refused:
        record_meeting(data, user=siming_officer, today=DAY + dt.timedelta(days=5))
    assert f"编号{theirs.pk}的问题不存在或不在您的管辖范围内" in str(refused.value)
    assert not Meeting.objects.exists()
    assert Problem.objects.get(pk=mine.pk).status == ProblemStatus.OPEN


def test_a_meeting_resolves_its_problems_on_its_day(staff_user, siming_project):
    problem = make_problem(siming_project)
    held = DAY + dt.timedelta(days=3)
    meeting = record_meeting(
        MeetingData(
            kind=MeetingKind.SPECIAL, held_on=held, title="专题会", chair="主任", resolved=[(problem, "已交地")]
        ),
        user=staff_user,
        today=held + dt.timedelta(days=1),
    )
    problem.refresh_from_db()
    assert (problem.status, problem.resolved_on, problem.resolved_at_meeting) == ("resolved", held, meeting)
    assert list(meeting.discussed.all()) == [problem]


def test_a_finding_becomes_a_problem_in_one_step_and_only_once(staff_user, siming_project):
    visit = record_visit(
        VisitData(
            visited_on=DAY, team="轻骑兵一组", projects=[siming_project], findings=[(siming_project, "电力迁改滞后")]
        ),
        user=staff_user,
        today=DAY,
    )
    finding = visit.findings.get()
    problem = finding_to_problem(finding, user=staff_user, category=category("utilities"), today=DAY)
    assert (problem.source, problem.site_visit, problem.title) == ("site_visit", visit, "电力迁改滞后")
    with pytest.raises(Refused):
        finding_to_problem(finding, user=staff_user, category=category("utilities"), today=DAY)


def test_an_owner_cannot_record_meetings(owner_user):
    with pytest.raises(PermissionDenied):
        record_meeting(MeetingData(kind="weekly", held_on=DAY, title="x", chair="y"), user=owner_user, today=DAY)


def test_a_unit_officer_holds_a_problem_at_level_two(unit_officer, siming_project):
    from keyproj.problems.permissions import holds

    problem = make_problem(siming_project, level=2)
    assert holds(unit_officer, problem)
    assert not holds(make_user("other-unit", Role.UNIT_OFFICER), problem)


def test_a_file_too_large_is_refused_by_its_size_without_being_read():
    from keyproj.problems.services import attachment_limit, read_upload

    class Upload:
        size = attachment_limit() + 1

        def read(self):
            raise AssertionError("a file over the limit must not be read into memory")

    assert read_upload(Upload()) == (b"", attachment_limit() + 1)

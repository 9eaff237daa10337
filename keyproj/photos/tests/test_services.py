"""Adding photos: refused whole when bad, flagged when taken in another month, far away or without a time."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from keyproj.core.errors import Refused
from keyproj.core.rules import publish_rule
from keyproj.core.scoping import CONSOLE
from keyproj.photos import exif
from keyproj.photos.models import Photo, PhotoRule
from keyproj.photos.services import add_photo, delete_photo
from keyproj.photos.tests.images import corrupt_exif, heic, jpeg
from keyproj.problems.models import SiteVisit
from keyproj.returns import checks
from keyproj.returns.models import ProgressReturn, ReturnStatus
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_project

SITE = (24.4798, 118.0894)  # the project's point (WGS-84)


def make_return(project, user, month=7, *, submit=False):
    item = ReturnData(project=project, year=2019, month=month, investment=Decimal("100"), started=True)
    save_returns([item], user=user, submit=submit, today=AFTER_2019)
    return ProgressReturn.objects.select_related("project").get(project=project, year=2019, month=month)


@pytest.fixture
def july(siming_project, owner_user):
    return make_return(siming_project, owner_user)


def stored_files():
    """Every file under the photos folder of the test run's storage."""
    found, folders = set(), ["photos"]
    while folders:
        folder = folders.pop()
        if not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        folders += [f"{folder}/{d}" for d in dirs]
        found |= {f"{folder}/{f}" for f in files}
    return found


def codes(photo):
    return [f["code"] for f in photo.flags]


def test_a_photo_taken_in_the_month_is_stored_with_its_facts_and_no_flag(july, owner_user):
    content = jpeg(dt.datetime(2019, 7, 20, 9, 15), point=SITE)
    photo = add_photo(july, content, user=owner_user, name="现场.jpg")
    assert photo.flags == []
    assert (photo.kind, photo.size, photo.project_id) == ("jpg", len(content), july.project_id)
    assert photo.taken_at.astimezone(dt.UTC) == dt.datetime(2019, 7, 20, 1, 15, tzinfo=dt.UTC)
    assert (photo.gps_lat, photo.gps_lng) == (Decimal("24.479800"), Decimal("118.089400"))
    assert len(photo.sha256) == 64
    assert default_storage.exists(photo.file.name) and default_storage.exists(photo.thumbnail.name)
    assert "现场" not in photo.file.name  # stored under its token, never its uploaded name


def test_a_photo_from_another_month_is_flagged_with_both_months(july, owner_user):
    photo = add_photo(july, jpeg(dt.datetime(2019, 6, 28, 17, 0)), user=owner_user)
    assert photo.flags == [{"code": "photo_month", "message": "拍摄于2019年6月，不在填报月份2019年7月"}]


def test_a_photo_without_an_exif_time_is_flagged_unless_the_rule_says_not(july, owner_user):
    assert codes(add_photo(july, jpeg(None), user=owner_user)) == ["photo_no_time"]
    assert add_photo(july, jpeg(None), user=owner_user).flags[0]["message"] == "照片没有拍摄时间（EXIF）"
    publish_rule(PhotoRule, {"flag_missing_exif": False}, user=CONSOLE)
    assert codes(add_photo(july, jpeg(None), user=owner_user)) == []


def _north(metres):
    return SITE[0] + math.degrees(metres / exif.EARTH_RADIUS_M), SITE[1]


@pytest.mark.parametrize(("metres", "flagged"), [(1995, False), (2005, True)], ids=["just-inside", "just-outside"])
def test_the_distance_rule_at_its_boundary(july, owner_user, metres, flagged):
    july.project.lat, july.project.lng = Decimal(str(SITE[0])), Decimal(str(SITE[1]))
    photo = add_photo(july, jpeg(point=_north(metres)), user=owner_user)
    assert ("photo_distance" in codes(photo)) is flagged
    if flagged:
        assert "超过2,000米" in photo.flags[0]["message"]


def test_no_distance_flag_without_the_projects_point_or_the_photos(july, owner_user):
    july.project.lat = july.project.lng = None
    assert codes(add_photo(july, jpeg(point=(30.0, 120.0)), user=owner_user)) == []
    july.project.lat, july.project.lng = Decimal("24.4798"), Decimal("118.0894")
    assert codes(add_photo(july, jpeg(point=None), user=owner_user)) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "空文件"),
        (b"%PDF-1.4\n" + b"x" * 100, "不是照片"),
        (corrupt_exif(), "EXIF信息已损坏"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "文件已损坏"),
    ],
    ids=["empty", "not-an-image", "corrupt-exif", "corrupt-image"],
)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_written(july, owner_user, content, message):
    upload = SimpleUploadedFile("坏.jpg", content, content_type="image/jpeg")
    before = stored_files()
    with pytest.raises(Refused) as refused:
        add_photo(july, upload, user=owner_user)
    assert message in str(refused.value)
    assert "坏.jpg" in str(refused.value) or not content
    assert not Photo.objects.exists()
    assert stored_files() == before


def test_an_oversized_file_is_refused_before_it_is_read(july, owner_user):
    publish_rule(PhotoRule, {"max_bytes": 2048}, user=CONSOLE)
    content = jpeg(size=(400, 400))
    assert len(content) > 2048

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("an oversized upload must not be read")

    with pytest.raises(Refused, match="超过上限"):
        add_photo(july, Unreadable("大.jpg", content), user=owner_user)
    assert not Photo.objects.exists()


def test_heic_is_accepted_and_thumbnailed(july, owner_user):
    photo = add_photo(july, heic(dt.datetime(2019, 7, 3, 8, 0)), user=owner_user)
    assert (photo.kind, photo.flags) == ("heic", [])
    assert default_storage.open(photo.thumbnail.name).read(3) == b"\xff\xd8\xff"


def test_an_outsider_or_another_districts_officer_may_not_add(july, outsider, haicang_officer):
    for user in (outsider, haicang_officer):
        with pytest.raises(PermissionDenied):
            add_photo(july, jpeg(), user=user)


def test_an_approved_return_takes_photos_from_the_office_only(siming_project, owner_user, admin_user):
    ret = make_return(siming_project, owner_user)
    ProgressReturn.objects.filter(pk=ret.pk).update(status=ReturnStatus.APPROVED)
    ret.refresh_from_db()
    with pytest.raises(PermissionDenied):
        add_photo(ret, jpeg(), user=owner_user)
    assert add_photo(ret, jpeg(), user=admin_user).pk


def test_the_author_deletes_while_a_draft_the_office_always(
    july, owner_user, admin_user, django_capture_on_commit_callbacks
):
    photo = add_photo(july, jpeg(), user=owner_user)
    names = [photo.file.name, photo.thumbnail.name]
    ProgressReturn.objects.filter(pk=july.pk).update(status=ReturnStatus.SUBMITTED)
    photo = Photo.objects.get(pk=photo.pk)
    with pytest.raises(PermissionDenied):
        delete_photo(photo, user=owner_user)
    with django_capture_on_commit_callbacks(execute=True):
        delete_photo(photo, user=admin_user)
    assert not Photo.objects.exists()
    assert not any(default_storage.exists(n) for n in names)


def test_the_photos_flags_join_the_returns_review_flags(july, owner_user):
    add_photo(july, jpeg(dt.datetime(2019, 6, 28)), user=owner_user, name="六月.jpg")
    found = checks.flags(july)
    assert [f.code for f in found] == ["photo_month"]
    assert found[0].message == "照片“六月.jpg”：拍摄于2019年6月，不在填报月份2019年7月"


def test_a_site_visit_photo_names_one_of_its_projects(siming_project, admin_user):
    other = make_project(district=siming_project.district)
    visit = SiteVisit.objects.create(visited_on=dt.date(2019, 7, 10), team="轻骑兵一组")
    visit.projects.set([siming_project, other])
    with pytest.raises(Refused, match="请选择照片所拍的项目"):
        add_photo(visit, jpeg(dt.datetime(2019, 7, 10, 11)), user=admin_user)
    photo = add_photo(visit, jpeg(dt.datetime(2019, 7, 10, 11)), user=admin_user, project=other)
    assert (photo.site_visit_id, photo.project_id, photo.flags) == (visit.pk, other.pk, [])
    outside = make_project()
    with pytest.raises(Refused, match="不在本次深入现场"):
        add_photo(visit, jpeg(), user=admin_user, project=outside)
    later = add_photo(visit, jpeg(dt.datetime(2019, 7, 12, 11)), user=admin_user, project=other)
    assert codes(later) == ["photo_day"]

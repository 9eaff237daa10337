"""The photo pages: upload on the return's page, the block, the files, deleting; scope on every one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyproj.core.scoping import CONSOLE
from keyproj.photos.models import Photo
from keyproj.photos.services import add_photo
from keyproj.photos.tests.images import jpeg
from keyproj.problems.models import SiteVisit
from keyproj.returns.models import ProgressReturn
from keyproj.returns.services import ReturnData, save_returns
from keyproj.testing import AFTER_2019, make_plan

JUNE = dt.datetime(2019, 6, 28, 16, 0)
FLAG = "拍摄于2019年6月，不在填报月份2019年7月"


def make_return(project, user, *, submit=False):
    item = ReturnData(project=project, year=2019, month=7, investment=Decimal("100"), started=True)
    save_returns([item], user=user, submit=submit, today=AFTER_2019)
    return ProgressReturn.objects.get(project=project, year=2019, month=7)


@pytest.fixture
def july(siming_project, owner_user):
    make_plan(siming_project)
    return make_return(siming_project, owner_user)


def upload(client, ret, *contents, name="现场.jpg"):
    files = [SimpleUploadedFile(name, c, content_type="image/jpeg") for c in contents]
    return client.post(f"/photos/returns/{ret.pk}/", {"photos": files, "next": f"/returns/{ret.pk}/"})


def test_the_return_page_offers_the_phones_camera(client, owner_user, july):
    client.force_login(owner_user)
    page = client.get(f"/returns/{july.pk}/").content.decode()
    assert 'accept="image/*" capture="environment" multiple' in page
    assert f'action="/photos/returns/{july.pk}/"' in page


def test_the_owner_uploads_photos_and_sees_them_with_the_flag(client, owner_user, july):
    client.force_login(owner_user)
    response = upload(client, july, jpeg(JUNE), jpeg(dt.datetime(2019, 7, 2, 9, 0)))
    assert response.status_code == 302
    assert response["Location"] == f"/returns/{july.pk}/"
    assert Photo.objects.filter(progress_return=july).count() == 2
    page = client.get(f"/returns/{july.pk}/").content.decode()
    assert "已上传2张照片，其中1张有提示" in page
    assert FLAG in page
    photo = Photo.objects.filter(progress_return=july).first()
    assert f"/photos/{photo.pk}/thumbnail/" in page
    assert f"/photos/{photo.pk}/file/" in page


def test_a_bad_file_among_good_ones_is_said_and_the_good_ones_are_kept(client, owner_user, july):
    client.force_login(owner_user)
    files = [
        SimpleUploadedFile("说明.pdf", b"%PDF-1.4 text", content_type="image/jpeg"),
        SimpleUploadedFile("好.jpg", jpeg(), content_type="image/jpeg"),
    ]
    client.post(f"/photos/returns/{july.pk}/", {"photos": files})
    page = client.get(f"/returns/{july.pk}/").content.decode()
    assert "“说明.pdf”不是照片" in page
    assert list(Photo.objects.values_list("name", flat=True)) == ["好.jpg"]


def test_a_request_larger_than_its_photos_may_be_is_refused_before_it_is_read(client, owner_user, july):
    client.force_login(owner_user)
    response = client.post(
        f"/photos/returns/{july.pk}/", {"photos": [SimpleUploadedFile("a.jpg", jpeg())]}, CONTENT_LENGTH=str(1 << 30)
    )
    assert response.status_code == 302
    assert not Photo.objects.exists()


def test_the_files_are_served_to_those_who_may_see_the_project_and_never_cached(client, unit_officer, july):
    photo = add_photo(july, jpeg(point=(24.48, 118.09)), user=CONSOLE)
    client.force_login(unit_officer)
    full = client.get(f"/photos/{photo.pk}/file/")
    assert (full.status_code, full["Content-Type"]) == (200, "image/jpeg")
    assert full["Cache-Control"] == "private, no-store"
    thumb = client.get(f"/photos/{photo.pk}/thumbnail/")
    assert thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content).startswith(b"\xff\xd8\xff")


@pytest.mark.parametrize("who", ["outsider", "haicang_officer"])
def test_an_outsider_and_another_districts_officer_get_404_everywhere(client, request, who, july):
    photo = add_photo(july, jpeg(), user=CONSOLE)
    client.force_login(request.getfixturevalue(who))
    assert upload(client, july, jpeg()).status_code == 404
    assert client.get(f"/photos/{photo.pk}/file/").status_code == 404
    assert client.get(f"/photos/{photo.pk}/thumbnail/").status_code == 404
    assert client.post(f"/photos/{photo.pk}/delete/").status_code == 404
    assert client.get(f"/returns/{july.pk}/").status_code == 404
    assert Photo.objects.count() == 1


def test_a_reviewer_who_may_see_but_not_edit_gets_no_upload_form_and_is_refused(client, unit_officer, july):
    client.force_login(unit_officer)
    page = client.get(f"/returns/{july.pk}/").content.decode()
    assert 'capture="environment"' not in page
    assert upload(client, july, jpeg()).status_code == 403


def test_the_owner_deletes_a_photo_of_a_draft(client, owner_user, july):
    photo = add_photo(july, jpeg(), user=owner_user)
    client.force_login(owner_user)
    assert client.post(f"/photos/{photo.pk}/delete/").status_code == 302
    assert not Photo.objects.exists()


def test_the_flag_shows_on_the_review_page(client, owner_user, unit_officer, siming_project):
    make_plan(siming_project)
    ret = make_return(siming_project, owner_user, submit=True)
    add_photo(ret, jpeg(JUNE), user=owner_user, name="六月.jpg")
    client.force_login(unit_officer)
    page = client.get("/returns/review/").content.decode()
    assert siming_project.name in page
    assert "照片“六月.jpg”：" + FLAG in page


def test_the_project_page_shows_the_photos_by_month(client, owner_user, july):
    add_photo(july, jpeg(JUNE), user=owner_user)
    add_photo(july, jpeg(dt.datetime(2019, 7, 5)), user=owner_user)
    client.force_login(owner_user)
    page = client.get(july.project.get_absolute_url()).content.decode()
    assert 'id="photo-timeline"' in page
    assert page.index("2019年7月") < page.index("2019年6月", page.index('id="photo-timeline"'))


def test_the_site_visit_page_takes_photos_of_the_project_chosen(client, admin_user, siming_project, haicang_project):
    visit = SiteVisit.objects.create(visited_on=dt.date(2019, 7, 10), team="轻骑兵一组")
    visit.projects.set([siming_project, haicang_project])
    client.force_login(admin_user)
    page = client.get(f"/problems/visits/{visit.pk}/").content.decode()
    assert 'name="project"' in page and 'capture="environment"' in page
    response = client.post(
        f"/photos/visits/{visit.pk}/",
        {"photos": [SimpleUploadedFile("a.jpg", jpeg(dt.datetime(2019, 7, 10, 10)))], "project": haicang_project.pk},
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.site_visit_id, photo.project_id, photo.flags) == (visit.pk, haicang_project.pk, [])


def test_a_district_officer_sees_only_the_photos_of_their_projects_on_a_visit(
    client, siming_officer, siming_project, haicang_project
):
    visit = SiteVisit.objects.create(visited_on=dt.date(2019, 7, 10), team="轻骑兵一组")
    visit.projects.set([siming_project, haicang_project])
    mine = add_photo(visit, jpeg(), user=CONSOLE, project=siming_project)
    theirs = add_photo(visit, jpeg(), user=CONSOLE, project=haicang_project)
    client.force_login(siming_officer)
    page = client.get(f"/problems/visits/{visit.pk}/").content.decode()
    assert f"/photos/{mine.pk}/thumbnail/" in page
    assert f"/photos/{theirs.pk}/" not in page
    assert client.get(f"/photos/{theirs.pk}/file/").status_code == 404

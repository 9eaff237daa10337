"""Changes to photos: adding one to a return or a site visit (checked whole, flagged), deleting one.

The page, the API and any script call these. A photo is refused whole — nothing stored — when it
is no image, empty, over the rule's size, unreadable or its EXIF is broken; one that is read is
stored with a thumbnail and the flags the reviewer should see (taken in another month, far from
the project's point, no EXIF time). Flags never refuse: a photo may be right for reasons the
office knows, and the reviewer decides.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from keyproj.accounts.permissions import can_report, is_office
from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused
from keyproj.core.scoping import actor_row, require_actor
from keyproj.photos import exif
from keyproj.photos.models import Photo, PhotoRule
from keyproj.problems.models import SiteVisit
from keyproj.problems.permissions import can_coordinate
from keyproj.projects.models import Project
from keyproj.returns.models import EDITABLE, ProgressReturn, ReturnStatus
from keyproj.returns.services import refuse_locked

FIELD = "照片"

# The states in which a return's author may still add photos: while it is theirs, and while it
# waits for review (evidence the reviewer asked for). An approved return changes by amendment only.
ADDABLE = EDITABLE | {ReturnStatus.SUBMITTED}


@dataclass(frozen=True)
class PhotoFlag:
    """One reason to look twice at a photo, with the facts in the message."""

    code: str
    message: str


def rule(today: dt.date | None = None) -> PhotoRule:
    return PhotoRule.in_force(today or clock.today())


def max_bytes(today: dt.date | None = None) -> int:
    """The largest photo accepted today, in bytes."""
    return int(rule(today).max_bytes)


def _office_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# ---------------------------------------------------------------- who may


def can_add(user: Any, target: ProgressReturn | SiteVisit) -> bool:
    """A return's photos: who may fill it in, while it may change; a visit's: who records visits."""
    if isinstance(target, ProgressReturn):
        if is_office(user):
            return True
        return can_report(user, target.project) and target.status in ADDABLE
    return can_coordinate(user)


def can_delete(user: Any, photo: Photo) -> bool:
    """The office always; otherwise a return's author while it is a draft (or sent back), a visit's recorder."""
    if is_office(user):
        return True
    if photo.progress_return_id is not None:
        ret = photo.progress_return
        return ret is not None and ret.status in EDITABLE and can_report(user, ret.project)
    return can_coordinate(user) and photo.uploaded_by_id == getattr(user, "pk", None)


# ---------------------------------------------------------------- flags


def _month_label(day: dt.date) -> str:
    return gettext("%(year)s年%(month)s月") % {"year": day.year, "month": day.month}


def _day_label(day: dt.date) -> str:
    return gettext("%(year)s年%(month)s月%(day)s日") % {"year": day.year, "month": day.month, "day": day.day}


def flags_for(
    target: ProgressReturn | SiteVisit, project: Project, facts: exif.PhotoFacts, the_rule: PhotoRule
) -> list[PhotoFlag]:
    """The flags a photo raises on its return or visit (empty when it looks right)."""
    found: list[PhotoFlag] = []
    if facts.taken_at is None:
        if the_rule.flag_missing_exif:
            found.append(PhotoFlag("photo_no_time", gettext("照片没有拍摄时间（EXIF）")))
    else:
        taken = facts.taken_at.astimezone(_office_zone()).date()
        if isinstance(target, ProgressReturn):
            if (taken.year, taken.month) != (target.year, target.month):
                message = gettext("拍摄于%(taken)s，不在填报月份%(month)s") % {
                    "taken": _month_label(taken),
                    "month": _month_label(dt.date(target.year, target.month, 1)),
                }
                found.append(PhotoFlag("photo_month", message))
        elif taken != target.visited_on:
            message = gettext("拍摄于%(taken)s，不是深入现场当天（%(day)s）") % {
                "taken": _day_label(taken),
                "day": _day_label(target.visited_on),
            }
            found.append(PhotoFlag("photo_day", message))
    distance = _distance(project, facts)
    if distance is not None and distance > the_rule.max_distance_m:
        message = gettext("拍摄地点距项目位置约%(distance)s米，超过%(limit)s米") % {
            "distance": f"{distance:,.0f}",
            "limit": f"{the_rule.max_distance_m:,}",
        }
        found.append(PhotoFlag("photo_distance", message))
    return found


def _distance(project: Project, facts: exif.PhotoFacts) -> float | None:
    """Metres from the project's point to the photo's; None when either has no point (no flag then)."""
    lat, lng = getattr(project, "lat", None), getattr(project, "lng", None)
    if lat is None or lng is None or facts.lat is None or facts.lng is None:
        return None
    return exif.distance_m(float(lat), float(lng), float(facts.lat), float(facts.lng))


# ---------------------------------------------------------------- adding and deleting


def _project_of(target: ProgressReturn | SiteVisit, project: Project | None) -> Project:
    """The project a photo shows: the return's; for a visit, the one named (or its only one)."""
    if isinstance(target, ProgressReturn):
        if project is not None and project.pk != target.project_id:
            raise Refused([Reason("项目", gettext("照片只能属于该填报的项目"))])
        return target.project
    projects = list(target.projects.all())
    if project is None:
        if len(projects) == 1:
            return projects[0]
        raise Refused([Reason("项目", gettext("本次深入现场去了多个项目，请选择照片所拍的项目"))])
    if project.pk not in {p.pk for p in projects}:
        raise Refused([Reason("项目", gettext("该项目不在本次深入现场的项目中"))])
    return project


def read_upload(upload: Any, today: dt.date | None = None) -> tuple[bytes, int]:
    """An uploaded file's bytes and size, without reading one that is over the rule into memory."""
    size = int(getattr(upload, "size", 0) or 0)
    return (upload.read() if 0 < size <= max_bytes(today) else b""), size


def add_photo(
    target: ProgressReturn | SiteVisit,
    file: Any,
    *,
    user: Any,
    project: Project | None = None,
    name: str = "",
) -> Photo:
    """Store a photo as evidence on a return or a site visit, with its EXIF facts, thumbnail and flags.

    file: an uploaded file (its size is checked before a byte is read) or the bytes themselves.
    Refused whole (Refused, every reason in Chinese) when it is no JPEG/PNG/HEIC, empty, over the
    rule's size, unreadable or its EXIF is broken; PermissionDenied when the user may not add.
    """
    user = require_actor(user)
    if not can_add(user, target):
        raise PermissionDenied(gettext("无权为此上传照片"))
    if isinstance(target, ProgressReturn) and not is_office(user):
        refuse_locked({(target.year, target.month)})
    the_rule = rule()
    if isinstance(file, bytes):
        content, size = file, len(file)
    else:
        name = name or str(getattr(file, "name", "") or "")
        content, size = read_upload(file)
    label = (name or gettext("照片")).replace("/", "_").replace("\\", "_")[-200:]
    if size <= 0:
        raise Refused([Reason(FIELD, gettext("“%(name)s”是空文件") % {"name": label})])
    if size > the_rule.max_bytes:
        raise Refused(
            [
                Reason(
                    FIELD,
                    gettext("“%(name)s”大小%(size).1fMB，超过上限%(limit).1fMB")
                    % {"name": label, "size": size / 1048576, "limit": the_rule.max_bytes / 1048576},
                )
            ]
        )
    where = _project_of(target, project)
    try:
        facts = exif.read(content)
        thumb = exif.thumbnail(content)
    except exif.PhotoUnreadable as exc:
        raise Refused([Reason(FIELD, f"“{label}”{exc}")]) from exc
    flags = flags_for(target, where, facts, the_rule)
    photo = Photo(
        progress_return=target if isinstance(target, ProgressReturn) else None,
        site_visit=target if isinstance(target, SiteVisit) else None,
        project=where,
        token=secrets.token_hex(16),
        name=label,
        kind=facts.kind,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        width=facts.width,
        height=facts.height,
        taken_at=facts.taken_at,
        gps_lat=facts.lat,
        gps_lng=facts.lng,
        exif_error=facts.exif_error,
        flags=[{"code": f.code, "message": f.message} for f in flags],
        uploaded_by=actor_row(user),
    )
    photo.file.save(f"{photo.token}.{photo.kind}", ContentFile(content), save=False)
    photo.thumbnail.save(f"{photo.token}-thumb.jpg", ContentFile(thumb), save=False)
    try:
        with transaction.atomic():
            photo.save()
            audit.log(photo, "photo.add", user=user, after=_audited(photo))
    except Exception:
        # The files are written before the row; a failed row must not leave unreachable files behind.
        photo.file.delete(save=False)
        photo.thumbnail.delete(save=False)
        raise
    return photo


def _audited(photo: Photo) -> dict[str, Any]:
    """What the audit log keeps of a photo: not its GPS point (the log is read more widely than photos)."""
    data = audit.snapshot(photo)
    for key in ("gps_lat", "gps_lng"):
        data.pop(key, None)
    data["gps"] = photo.gps_lat is not None
    data["file"], data["thumbnail"] = photo.file.name, photo.thumbnail.name
    return data


def delete_photo(photo: Photo, *, user: Any) -> None:
    """Delete a photo and its files: the office, or the return's author while it is a draft."""
    user = require_actor(user)
    if not can_delete(user, photo):
        raise PermissionDenied(gettext("无权删除此照片"))
    before = _audited(photo)
    files = [name for name in (photo.file.name, photo.thumbnail.name) if name]
    with transaction.atomic():
        audit.log(photo, "photo.delete", user=user, before=before, after={})
        photo.delete()
        # Files go once the row is gone for good (after the commit): a rolled-back delete keeps them.
        transaction.on_commit(lambda: _remove_files(files))


def _remove_files(names: list[str]) -> None:
    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)


def flag_count(photos: list[Photo]) -> int:
    return sum(len(p.flags or []) for p in photos)

"""A published month's OC4IDS downloads, built once per close version and kept in the file storage.

At 10,000 projects the package takes seconds to build and tens of MB to hold, so neither a
request nor the cache should make it again for every visitor. The `opendata` job builds the
files of every published month that lacks them soon after its 通报 is issued; a request that
finds them missing builds them itself, while every later one streams the stored file.

A build is complete only when its manifest is stored, last, after the three files: a reader
that finds no manifest treats the build as missing, so a half-written file (a build under way,
or one that failed) is never served. One build of a version at a time: a request that finds
another building answers "try again shortly" rather than building the same bytes twice.

The version names the close (its id and the moment it was closed: a re-close is a new one)
and what shapes the package besides (the prefix, the public address, the package format), so
a changed setting or mapping is a new version too. Building a version removes the month's
other versions, which nothing serves any more.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers

from keyproj.core.period import Period
from keyproj.supervision.models import MonthClose

FOLDER = "opendata"
FORMATS = ("json", "json.gz", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MANIFEST = "manifest.json"
# Bumped when the package's shape changes (keyproj.opendata.oc4ids, mapping, flat): stored files of
# the old shape are then a different version and are built again.
PACKAGE_FORMAT = 4
# Long enough for a build at 10,000 projects (~20 s) many times over; a build that dies frees it then.
BUILD_LOCK_SECONDS = 600


class Building(Exception):
    """Another request or the job is building this version's files right now."""


def version(close: MonthClose) -> str:
    """The version of a close's downloads: the close's id and moment, and the settings that shape them."""
    shape = f"{PACKAGE_FORMAT}|{settings.KEYPROJ_OC4IDS_PREFIX}|{settings.KEYPROJ_PUBLIC_URL}"
    digest = hashlib.sha256(shape.encode()).hexdigest()[:10]
    return f"{close.pk}-{int(close.closed_at.timestamp() * 1_000_000)}-{digest}"


def filename(period: Period, fmt: str) -> str:
    """What a download is called for the one who saves it."""
    return f"keyproj-oc4ids-{period}.{fmt}"


def _folder(close: MonthClose) -> str:
    return f"{FOLDER}/{Period(close.year, close.month)}/{version(close)}"


def package_json(package: dict[str, Any]) -> bytes:
    """The package as the JSON download holds it: UTF-8, compact, Chinese as written."""
    return (json.dumps(package, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def is_built(close: MonthClose) -> bool:
    """Whether the close's current version is stored whole (its manifest is written last)."""
    return default_storage.exists(f"{_folder(close)}/{MANIFEST}")


def build(close: MonthClose) -> bool:
    """Build and store the downloads of a published close unless they are there; True when this call built them.

    Raises Building while another build of the same version holds the lock.
    """
    if is_built(close):
        return False
    lock = f"opendata:build:{version(close)}"
    if not cache.add(lock, 1, BUILD_LOCK_SECONDS):
        raise Building(version(close))
    try:
        if is_built(close):
            return False
        _write(close)
        _prune_month(close)
    finally:
        cache.delete(lock)
    return True


def _write(close: MonthClose) -> None:
    # Imported here: the builder and the workbook writer are needed only when a version is first built.
    from keyproj.opendata.flat import package_workbook
    from keyproj.opendata.oc4ids import build_package

    package = build_package(Period(close.year, close.month))
    content = package_json(package)
    built = {
        "json": content,
        # mtime fixed, so that the same package always gives the same bytes.
        "json.gz": gzip.compress(content, compresslevel=6, mtime=0),
        "xlsx": package_workbook(package),
    }
    folder = _folder(close)
    stored: dict[str, str] = {}
    try:
        for fmt, data in built.items():
            path = f"{folder}/{filename(close.period, fmt)}"
            if default_storage.exists(path):
                default_storage.delete(path)  # a failed build's leftover: no manifest names it
            stored[fmt] = default_storage.save(path, ContentFile(data))
        manifest = {"version": version(close), "files": stored, "sizes": {k: len(v) for k, v in built.items()}}
        default_storage.save(f"{folder}/{MANIFEST}", ContentFile(json.dumps(manifest).encode()))
    except Exception:
        for path in stored.values():
            default_storage.delete(path)
        raise


def _manifest(close: MonthClose) -> dict[str, Any] | None:
    try:
        with default_storage.open(f"{_folder(close)}/{MANIFEST}", "rb") as handle:
            return dict(json.loads(handle.read()))
    except (OSError, ValueError):
        return None


def _prune_month(close: MonthClose) -> int:
    """Remove the month's other versions (an earlier close, old settings): only this one is served now."""
    month = f"{FOLDER}/{Period(close.year, close.month)}"
    keep = version(close)
    removed = 0
    versions, _files = default_storage.listdir(month)
    for name in versions:
        if name == keep:
            continue
        _dirs, names = default_storage.listdir(f"{month}/{name}")
        # The manifest first: from then on no reader takes the version for whole.
        for file in sorted(names, key=lambda n: n != MANIFEST):
            default_storage.delete(f"{month}/{name}/{file}")
            removed += 1
    return removed


def stored_versions(period: Period) -> list[str]:
    """The versions of a month's downloads stored whole (with a manifest); after a build, only the current one."""
    month = f"{FOLDER}/{period}"
    if not default_storage.exists(month):
        return []
    names = default_storage.listdir(month)[0]
    return sorted(name for name in names if default_storage.exists(f"{month}/{name}/{MANIFEST}"))


def open_package(close: MonthClose, fmt: str) -> IO[bytes]:
    """The stored download of a published close in `fmt` (json, json.gz or xlsx), built first if missing.

    The caller has checked that the close is published (keyproj.opendata.published). Raises
    Building while another request builds it.
    """
    if fmt not in FORMATS:
        raise ValueError(f"no OC4IDS download in {fmt!r}")
    manifest = _manifest(close)
    if manifest is None:
        build(close)
        manifest = _manifest(close)
        if manifest is None:
            raise Building(version(close))
    return default_storage.open(manifest["files"][fmt], "rb")


def _takes_gzip(request: HttpRequest) -> bool:
    """Whether the client accepts gzip (and has not refused it with q=0)."""
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower().removeprefix("q=")
        try:
            return not params.strip() or float(quality) > 0
        except ValueError:
            return False
    return False


def package_response(request: HttpRequest, close: MonthClose, fmt: str) -> HttpResponseBase:
    """A stored OC4IDS download; the JSON gzipped on the wire when the client takes it (2 MB, not 35, at 10,000).

    While the files are being built by someone else: 503 with Retry-After, never a half-written file.
    """
    gzipped = fmt == "json" and _takes_gzip(request)
    try:
        handle = open_package(close, "json.gz" if gzipped else fmt)
    except Building:
        busy = HttpResponse("数据包正在生成，请稍后再试。", status=503, content_type="text/plain; charset=utf-8")
        busy["Retry-After"] = "15"
        return busy
    response = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Disposition"] = f'attachment; filename="{filename(close.period, fmt)}"'
    return response

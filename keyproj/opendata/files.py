"""A published month's OC4IDS downloads, built once per close version and kept in the file storage.

At 10,000 projects the package takes seconds to build and tens of MB to hold, so neither a
request nor the cache should make it again for every visitor: the first request (or
`keyproj export`'s caller, or the month's first visitor) builds the JSON, its gzip and the
workbook into the default storage under the close's version, and every later one streams the
stored file. A re-closed month has a new version, so a stored file never outlives what it
was built from; building a version removes the files of versions no longer published.
"""

from __future__ import annotations

import gzip
import json
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from keyproj.core.period import Period
from keyproj.supervision.models import MonthClose

FOLDER = "opendata"
FORMATS = ("json", "json.gz", "xlsx")
CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def version(close: MonthClose) -> str:
    """The close's version as a name: its id and the moment it was closed (a re-close is a new version)."""
    return f"{close.pk}-{int(close.closed_at.timestamp() * 1_000_000)}"


def filename(period: Period, fmt: str) -> str:
    """What a download is called for the one who saves it."""
    return f"keyproj-oc4ids-{period}.{fmt}"


def _path(close: MonthClose, fmt: str) -> str:
    period = Period(close.year, close.month)
    return f"{FOLDER}/{period}/{version(close)}/{filename(period, fmt)}"


def package_json(package: dict[str, Any]) -> bytes:
    """The package as the JSON download holds it: UTF-8, compact, Chinese as written."""
    return (json.dumps(package, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _build(close: MonthClose) -> None:
    # Imported here: the workbook writer is needed only when a month's files are first built.
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
    for fmt, data in built.items():
        path = _path(close, fmt)
        # Two first visitors may build at once; both build the same bytes, the second finds the first's file.
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(data))


def open_package(close: MonthClose, fmt: str) -> IO[bytes]:
    """The stored download of a published close in `fmt` (json, json.gz or xlsx), built first if missing.

    The caller has checked that the close is published (keyproj.opendata.published).
    """
    if fmt not in FORMATS:
        raise ValueError(f"no OC4IDS download in {fmt!r}")
    path = _path(close, fmt)
    if not default_storage.exists(path):
        _build(close)
        from keyproj.opendata.published import published_closes

        prune(list(published_closes()))
    return default_storage.open(path, "rb")


def prune(keep: list[MonthClose]) -> int:
    """Remove stored downloads of any close version not in `keep` (withdrawn or superseded); how many files."""
    wanted = {f"{Period(c.year, c.month)}/{version(c)}" for c in keep}
    removed = 0
    if not default_storage.exists(FOLDER):
        return 0
    months, _files = default_storage.listdir(FOLDER)
    for month in months:
        versions, _ = default_storage.listdir(f"{FOLDER}/{month}")
        for name in versions:
            if f"{month}/{name}" in wanted:
                continue
            _dirs, files = default_storage.listdir(f"{FOLDER}/{month}/{name}")
            for file in files:
                default_storage.delete(f"{FOLDER}/{month}/{name}/{file}")
                removed += 1
    return removed


def package_response(request: HttpRequest, close: MonthClose, fmt: str) -> HttpResponse:
    """A stored OC4IDS download; the JSON gzipped on the wire when the client takes it (2 MB, not 35, at 10,000)."""
    gzipped = fmt == "json" and "gzip" in request.headers.get("Accept-Encoding", "")
    handle = open_package(close, "json.gz" if gzipped else fmt)
    response = FileResponse(handle, content_type=CONTENT_TYPES[fmt])
    if gzipped:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding"])
    response["Content-Disposition"] = f'attachment; filename="{filename(close.period, fmt)}"'
    return response

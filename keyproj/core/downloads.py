"""Files handed to the browser: one content type per format, one way to name the download.

Every export, template, notice and preview goes out through `download`, so a file name with
Chinese characters arrives intact (RFC 6266 `filename*`) and nobody writes a MIME type again.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "zip": "application/zip",
}
XLSX = CONTENT_TYPES["xlsx"]


def download(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A response that saves `content` as `filename`; the format follows the name's extension.

    inline: shown in the browser (a PDF opened in a tab) rather than saved.
    """
    extension = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES.get(extension, "application/octet-stream"))
    response["Content-Disposition"] = content_disposition_header(not inline, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""What kind of file an upload really is, judged by its first bytes (its name and browser say nothing reliable)."""

from __future__ import annotations

import io
import zipfile

_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_PDF = b"%PDF-"
_ZIP = b"PK\x03\x04"


def sniff(content: bytes) -> str | None:
    """'jpg', 'png', 'pdf', 'docx' or 'xlsx' — or None for anything else (including old .doc/.xls,
    macro-enabled Office files and archives that only pretend to be Office documents)."""
    if content.startswith(_JPEG):
        return "jpg"
    if content.startswith(_PNG):
        return "png"
    if content.startswith(_PDF):
        return "pdf"
    if content.startswith(_ZIP):
        return _office(content)
    return None


def _office(content: bytes) -> str | None:
    """A docx or xlsx is a zip with [Content_Types].xml naming its main part's content type."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    if b"macroEnabled" in types:
        return None
    if "word/document.xml" in names and b"wordprocessingml.document.main+xml" in types:
        return "docx"
    if "xl/workbook.xml" in names and b"spreadsheetml.sheet.main+xml" in types:
        return "xlsx"
    return None

"""Office files (docx, xlsx) are zip archives; make their bytes depend on the content only.

python-docx and openpyxl stamp every zip member with the current time, so two renderings of
the same document differ in bytes though not in text. Rewriting the archive with a fixed
member time and order makes the sha256 of an issued notice reproducible.
"""

from __future__ import annotations

import datetime
import io
import zipfile


def normalise_zip(data: bytes, when: datetime.date) -> bytes:
    """The same archive with every member stamped `when` (midnight), deflated, in the original order."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()

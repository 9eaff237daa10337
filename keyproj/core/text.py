"""Clean text: the one place that says which characters keyproj keeps and how long free text may be.

Text pasted from Word or a PDF carries control characters (a vertical tab for a manual line
break, a form feed for a page break, sometimes a NUL). XML 1.0 cannot hold them, so a single one
in a listing made python-docx and openpyxl refuse to write the month's notice, and PostgreSQL
refuses a NUL outright. They are stripped, not refused: the user meant the visible text, and
asking them to find an invisible character they did not type helps nobody.

Every door text comes in by — Django forms (keyproj.core.forms), the API (keyproj.core.api_text),
workbook imports (keyproj.core.workbooks.cells) and commands (keyproj.core.commandline) — calls
:func:`clean`; every document writer (docx, pdf, xlsx) calls :func:`for_document` on what it
writes, so text stored before this rule existed cannot block a close either.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

# Free text with no max_length of its own (a TextField, a form field without a limit) may hold
# this many characters: about three pages of a notice, far more than any description, reason or
# resolution written so far, and small enough that no page, notice or export is swamped by one field.
TEXT_LIMIT = 5000

# What XML 1.0 cannot hold: C0 controls except tab, LF and CR; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A vertical tab, form feed or the Unicode separators are line breaks to the one who typed them.
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_LINE_BREAKS = re.compile("[\n\t]+")


def clean(value: str, *, multiline: bool) -> str:
    """The text without the characters XML cannot hold.

    Multi-line text keeps its tabs and line breaks (CR LF, CR and the vertical tab Word writes for
    a manual break all become LF); one-line text has each run of breaks and tabs replaced by one
    space, so "厦门\\n大桥" stays two words instead of becoming one.
    """
    value = _BREAKS.sub("\n", value)
    value = _NOT_XML.sub("", value)
    if not multiline:
        value = _LINE_BREAKS.sub(" ", value)
    return value


def for_document(value: str) -> str:
    """Text as a document writer may put it into XML (docx, xlsx, pdf): only what XML cannot hold is removed.

    Used on output, where the text is already stored: a vertical tab becomes a line break, the rest
    of the text is left exactly as it was, so a notice without such characters renders byte for byte
    as before.
    """
    if not _NOT_XML.search(value) and "\x0b" not in value and "\x0c" not in value:
        return value
    return _NOT_XML.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))


def length_message(label: str, limit: int, length: int) -> str:
    """The refusal of over-long text, naming the field and the limit: nothing is cut silently."""
    if label:
        return gettext("“%(field)s”最多%(limit)s个字符，现为%(length)s个，请删减后再提交") % {
            "field": label,
            "limit": limit,
            "length": length,
        }
    return gettext("最多%(limit)s个字符，现为%(length)s个，请删减后再提交") % {"limit": limit, "length": length}

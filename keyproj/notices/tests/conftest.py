"""Issued notices for the page and API tests.

Rendering a PDF takes a good part of a second. Rendering is deterministic (the renderer
tests prove it), so the page and API tests share each rendering of the same document.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from keyproj.core.scoping import CONSOLE
from keyproj.notices import document
from keyproj.notices.models import Notice, NoticeKind
from keyproj.notices.services import issue_notice
from keyproj.notices.tests.samples import small_notice

_rendered: dict[tuple[str, str], bytes] = {}


def _shared(fmt: str, render: Callable[[document.OfficialDocument], bytes]) -> Callable[..., bytes]:
    def cached(doc: document.OfficialDocument) -> bytes:
        key = (fmt, json.dumps(doc.to_dict(), ensure_ascii=False, sort_keys=True))
        if key not in _rendered:
            _rendered[key] = render(doc)
        return _rendered[key]

    return cached


@pytest.fixture
def issue(db, monkeypatch) -> Callable[..., Notice]:
    """issue(kind, title=…, source=…): a notice issued by the console through the service."""
    monkeypatch.setattr("keyproj.notices.services.to_docx", _shared("docx", document.to_docx))
    monkeypatch.setattr("keyproj.notices.services.to_pdf", _shared("pdf", document.to_pdf))

    def make(kind: str = NoticeKind.MONTHLY, title: str = "关于2019年7月市重点项目建设情况的通报", **kwargs) -> Notice:
        label = kwargs.pop("period_label", "2019年7月")
        return issue_notice(kind, small_notice(title, **kwargs), period_label=label, user=CONSOLE)

    return make


@pytest.fixture
def monthly(issue) -> Notice:
    return issue(NoticeKind.MONTHLY)


@pytest.fixture
def minutes(issue) -> Notice:
    return issue(NoticeKind.MINUTES, "2019年第12次重点项目专题协调会议纪要", period_label="")

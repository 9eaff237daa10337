"""The Xiamen demo for tests: loaded by the fixtures of the modules that read it.

A worker loads the demo for many modules, and half of a load is rendering its nine notices to PDF.
The renderer gives the same bytes for the same HTML (fonts subset by HarfBuzz, the PDF identifier
taken from the HTML; keyproj/notices/tests/test_pdf.py holds it to that), so while the demo loads
in a test a notice is rendered once per worker and its bytes are reused by the next load. Outside
a demo load nothing is remembered: the tests of the notices render every time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management import call_command

_rendered: dict[str, bytes] = {}


@contextmanager
def notices_rendered_once() -> Iterator[None]:
    """Within the block, a document whose HTML was rendered before in this process gets the same bytes."""
    from keyproj.notices import pdf

    render = pdf.render_pdf

    def remembered(doc: Any) -> bytes:
        html = pdf.render_html(doc)
        if html not in _rendered:
            _rendered[html] = render(doc)
        return _rendered[html]

    pdf.render_pdf = remembered
    try:
        yield
    finally:
        pdf.render_pdf = render


def load_demo(*args: str, stdout: io.StringIO | None = None) -> None:
    """`keyproj demo` with its arguments, its notices rendered once per worker."""
    with notices_rendered_once():
        call_command("demo", *args, stdout=stdout or io.StringIO())

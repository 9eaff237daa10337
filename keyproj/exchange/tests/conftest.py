"""The `xlsx` fixture: a fresh workbook in tmp_path with a given header and rows."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from keyproj.exchange.tests.books import write_workbook


@pytest.fixture
def xlsx(tmp_path: Path) -> Callable[..., Path]:
    """xlsx(header, rows) → the path of a fresh workbook with that header and those rows."""
    names = itertools.count(1)

    def build(header: Sequence[Any], rows: Sequence[Sequence[Any]] = ()) -> Path:
        return write_workbook(tmp_path / f"book{next(names)}.xlsx", header, rows)

    return build

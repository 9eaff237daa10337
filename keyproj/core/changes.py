"""What a bulk service did, for the command line and the import page to report."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ChangeCount:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"新增{self.created}条，更新{self.updated}条，未变{self.unchanged}条"

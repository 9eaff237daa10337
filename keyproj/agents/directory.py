"""Reading the 代建 directory as of a date: each firm's status, classes and admission."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from keyproj.agents.models import DirectoryEntry, EntryKind, Grade, Qualification
from keyproj.agents.querysets import firms_visible_to
from keyproj.agents.rules import STATUS_LABELS, Status, blacklisted, statuses


@dataclass
class FirmRow:
    """One firm of the directory as of a date."""

    id: int
    name: str
    credit_code: str
    contact: str
    phone: str
    status: str
    blacklisted: bool
    admitted_on: dt.date | None
    classes: list[tuple[str, str, str]] = field(default_factory=list)  # (specialty code, name, grade)

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS[self.status]
        return f"{label}（黑名单）" if self.blacklisted else label

    @property
    def top_grade(self) -> str:
        """The firm's class: 甲 when it is 甲类 in any specialty."""
        return Grade.A if any(g == Grade.A for _, _, g in self.classes) else Grade.B

    @property
    def top_grade_label(self) -> str:
        return str(Grade(self.top_grade).label)

    @property
    def classes_display(self) -> list[tuple[str, str]]:
        return [(name, str(Grade(grade).label)) for _, name, grade in self.classes]

    @property
    def eligible(self) -> bool:
        return self.status == Status.ACTIVE and not self.blacklisted

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "credit_code": self.credit_code,
            "status": self.status,
            "blacklisted": self.blacklisted,
            "grade": self.top_grade,
            "admitted_on": self.admitted_on.isoformat() if self.admitted_on else None,
            "classes": [{"specialty": code, "name": name, "grade": grade} for code, name, grade in self.classes],
        }


def directory(user: Any, as_of: dt.date, *, include_inactive: bool = False) -> list[FirmRow]:
    """The firms the user may see, with their status on `as_of`; only those in the directory
    then unless include_inactive (a few queries, whatever the number of firms)."""
    firms = list(firms_visible_to(user).order_by("order", "name"))
    ids = [f.pk for f in firms]
    status = statuses(ids, as_of)
    black = blacklisted(ids, as_of)
    admitted: dict[int, dt.date] = {}
    for firm_id, on in (
        DirectoryEntry.objects.filter(firm_id__in=ids, kind=EntryKind.ADMISSION, on__lte=as_of)
        .order_by("on")
        .values_list("firm_id", "on")
    ):
        admitted.setdefault(firm_id, on)
    classes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for firm_id, code, name, grade in (
        Qualification.objects.filter(firm_id__in=ids)
        .order_by("specialty__order")
        .values_list("firm_id", "specialty__code", "specialty__name", "grade")
    ):
        classes[firm_id].append((code, name, grade))
    rows = [
        FirmRow(
            id=f.pk,
            name=f.name,
            credit_code=f.code,
            contact=f.contact,
            phone=f.phone,
            status=status[f.pk],
            blacklisted=f.pk in black,
            admitted_on=admitted.get(f.pk),
            classes=classes[f.pk],
        )
        for f in firms
    ]
    if not include_inactive:
        rows = [r for r in rows if r.status == Status.ACTIVE]
    return rows

"""How a service refuses a change: every problem, each tied to a field, nothing written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction


class Problem(tuple):
    """(field, message): the field's Chinese label and what is wrong with it."""

    __slots__ = ()

    def __new__(cls, field: str, message: str) -> Problem:
        return super().__new__(cls, (field, message))

    @property
    def field(self) -> str:
        return self[0]

    @property
    def message(self) -> str:
        return self[1]

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class Refused(Exception):
    """A change that was refused whole. `problems` lists every reason."""

    def __init__(self, problems: Iterable[Problem | str]) -> None:
        self.problems = [p if isinstance(p, Problem) else Problem("", p) for p in problems]
        super().__init__("；".join(str(p) for p in self.problems))


@contextmanager
def created_alone(what: str) -> Iterator[None]:
    """Turn a unique-key clash on insert into a refusal.

    The services check what exists before inserting, but two people creating the same
    record at the same moment both pass that check; the database's unique constraint
    then stops the second, and this says so instead of failing with a server error.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise Refused([f"{what}刚刚已由他人创建，本次未保存，请刷新后重试"]) from None

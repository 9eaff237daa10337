"""How a service refuses a change: every problem, each tied to a field, nothing written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.http import HttpRequest


class Reason(tuple):
    """(field, message): the field's Chinese label and what is wrong with it.

    Named apart from the `Problem` model (a blockage raised on a project), which it has nothing to do with.
    """

    __slots__ = ()

    def __new__(cls, field: str, message: str) -> Reason:
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

    def __init__(self, problems: Iterable[Reason | str]) -> None:
        self.problems = [p if isinstance(p, Reason) else Reason("", p) for p in problems]
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


def refusal_texts(refused: Refused) -> list[str]:
    """Each reason as one line (`字段: 说明`), for a page's error list or a message."""
    return [str(reason) for reason in refused.problems]


def add_to_form(form: Any, refused: Refused) -> None:
    """Put each reason on its form field where the form has one named by that label, else on the form."""
    labels = {str(field.label): name for name, field in form.fields.items()}
    for reason in refused.problems:
        name = labels.get(reason.field)
        form.add_error(name, reason.message if name else str(reason))


def tell(request: HttpRequest, refused: Refused) -> None:
    """Show every reason as an error message on the next page (after a redirect)."""
    for text in refusal_texts(refused):
        messages.error(request, text)


def command_error(refused: Refused) -> CommandError:
    """The refusal as a command's failure: every reason on its own line, exit status 1."""
    return CommandError("\n".join(refusal_texts(refused)))

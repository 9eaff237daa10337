"""What the generator can make, checked before Django starts: a refused size writes nothing."""

from __future__ import annotations

MAX_PROJECTS = 1_000_000  # the national code's serial has six digits (the millionth wraps to 000000)


class GeneratorError(Exception):
    """The generator cannot run on this database as it stands, or cannot make what was asked."""


def check_size(projects: int, *, months: int, years: int = 1) -> None:
    """Refuse what the generator cannot make, before anything is written."""
    if not 1 <= projects <= MAX_PROJECTS:
        raise GeneratorError(f"项目数应为1-{MAX_PROJECTS}，而不是{projects}")
    if not 1 <= months <= 12:
        raise GeneratorError(f"填报月数应为1-12，而不是{months}")
    if years < 1:
        raise GeneratorError(f"年数应至少为1，而不是{years}")

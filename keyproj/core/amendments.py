"""The office's one decision on a request to change something already approved.

A plan's 调整 and a return's 更正 are decided alike: only a pending request is decided, a
rejection says why, the decision (who, when, the note) is stamped with the version check
and audited, and an approval applies the change in the same transaction. Only the noun,
the audit action and what approving does differ; the caller checks who may decide
(keyproj.accounts sits above core).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from keyproj.core import audit, clock
from keyproj.core.errors import Reason, Refused
from keyproj.core.models import AmendmentRequest, AmendmentStatus
from keyproj.core.scoping import actor_row

A = TypeVar("A", bound=AmendmentRequest)

DECISION_FIELDS = ("status", "decided_by_id", "decided_at", "decision_note")


def decide(
    amendment: A,
    *,
    user: Any,
    approve: bool,
    note: str = "",
    expected_version: int | None = None,
    noun: str,
    action: str,
    apply: Callable[[A], None],
) -> A:
    """Approve the request (then `apply` it) or reject it with a note; refused whole when it cannot be decided.

    noun: what the request is called in refusals (调整申请, 更正申请).
    action: the audit action recorded for the decision.
    expected_version: the version the decider saw; a request changed since is not decided.
    """
    audit.check_version(amendment, expected_version)
    if amendment.status != AmendmentStatus.REQUESTED:
        raise Refused([f"该{noun}已{amendment.get_status_display()}"])
    note = (note or "").strip()
    if not approve and not note:
        raise Refused([Reason("审批意见", "驳回时须写明原因")])
    with transaction.atomic():
        before = audit.snapshot(amendment)
        amendment.status = AmendmentStatus.APPROVED if approve else AmendmentStatus.REJECTED
        amendment.decided_by = actor_row(user)
        amendment.decided_at = clock.now()
        amendment.decision_note = note
        audit.bump_version(amendment, expected_version, DECISION_FIELDS)
        audit.log(amendment, action, user=user, before=before)
        if approve:
            apply(amendment)
    return amendment

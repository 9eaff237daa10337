"""Audit entries are shown by what a reader calls them, from one label source, never by their code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from keyproj.accounts.models import User
from keyproj.core import actions
from keyproj.core.models import AuditEntry


def test_every_audit_action_the_code_writes_has_a_label():
    root = Path(__file__).resolve().parents[2]
    written: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"audit\.log(?:_many)?\((.{0,400}?)user=", text, re.S):
            written.update(re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', call.group(1)))
    assert "problem.raise" in written
    missing = sorted(code for code in written if code not in actions.ACTIONS)
    assert not missing, f"audit actions without a label in keyproj.core.actions: {missing}"


def test_an_audit_label_is_never_the_code():
    for code, label in actions.ACTIONS.items():
        assert code not in str(label)
        assert re.search(r"[\u4e00-\u9fff]", str(label)), code


@pytest.mark.django_db
def test_an_admin_action_without_an_entry_is_named_from_its_verb_and_model():
    users = ContentType.objects.get_for_model(User)
    assert actions.label("user.update", users) == "修改用户"
    assert actions.label("user.delete", users).startswith("删除")
    assert actions.label("something.odd") == "其他操作"


@pytest.mark.django_db
def test_an_entry_carries_its_label(admin_user):
    entry = AuditEntry.objects.create(
        action="user.update", content_type=ContentType.objects.get_for_model(User), object_id="1", object_repr="x"
    )
    assert entry.action_label == "修改用户"

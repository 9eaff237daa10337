"""Audit entries are shown by what a reader calls them, from one label source, never by their code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from keyproj.accounts.models import User
from keyproj.core import actions, audit
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
    missing = sorted(code for code in written if not actions.is_registered(code))
    assert not missing, f"audit actions no app registers (its actions.py): {missing}"


def test_each_app_registers_its_own_actions_and_core_keeps_only_the_rules():
    by_app = actions.counts()
    for app in ("accounts", "orgs", "projects", "plans", "returns", "supervision", "problems", "agents", "notices"):
        assert by_app.get(app), app
    core = {code for code in actions.ACTIONS if actions._OWNER.get(code) == "core"}
    assert core == {"rule.publish", "rule.card", "rule.ranking", "rule.completeness"}
    assert actions.label("problem.raise") == "提出问题"


def test_the_admin_registers_the_codes_it_writes():
    # A problem category has no action of its own: its admin registered its create/update/delete.
    assert actions.is_registered("problemcategory.update")
    assert actions.label("problemcategory.update").startswith("修改")


@pytest.mark.django_db
def test_an_unregistered_action_is_refused_and_nothing_is_written(admin_user):
    with pytest.raises(actions.UnregisteredAction, match=r"problem\.vanish"):
        audit.log(admin_user, "problem.vanish", user=admin_user)
    with pytest.raises(actions.UnregisteredAction, match=r"problem\.vanish"):
        audit.log_many([(admin_user, None)], "problem.vanish", user=admin_user)
    assert not AuditEntry.objects.exists()


def test_an_action_keeps_one_label():
    with pytest.raises(ValueError, match=r"problem\.raise"):
        actions.register("problem.raise", "另一个名字")


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

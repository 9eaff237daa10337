"""The checks refusing, on every database, what PostgreSQL refuses of a partitioned table (keyproj.core.checks)."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Lower
from django.test.utils import isolate_apps

from keyproj.core.checks import check_partitioned_models, partition_errors, partitioned_models
from keyproj.core.models import AuditEntry
from keyproj.core.partitions import PARTITIONED_MODELS
from keyproj.metrics.models import ProjectMonth, ScopeMonth
from keyproj.returns.models import ProgressReturn, ReturnAmendment

# isolate_apps needs an importable package; its label, `tests`, is the throwaway models' app.
PACKAGE = "keyproj.core.tests"
LABEL = "tests"
# A table for the throwaway models below: `Month` is partitioned like ProjectMonth.
THROWAWAY = {f"{LABEL}.Month": "year"}


def ids(errors: list) -> list[str]:
    return [error.id for error in errors]


def test_the_table_resolves_to_the_four_models() -> None:
    assert partitioned_models() == {ProgressReturn: "year", ProjectMonth: "year", ScopeMonth: "year", AuditEntry: "at"}


def test_a_label_whose_app_is_not_installed_is_skipped() -> None:
    assert partitioned_models(apps, {**PARTITIONED_MODELS, "nowhere.Thing": "year"}) == partitioned_models()


def test_the_projects_models_pass() -> None:
    assert check_partitioned_models() == []
    out = io.StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


def test_the_check_is_registered_and_sees_a_foreign_key_keeping_its_constraint(monkeypatch: pytest.MonkeyPatch) -> None:
    field = ReturnAmendment._meta.get_field("progress_return")
    monkeypatch.setattr(field, "db_constraint", True)
    errors = checks.run_checks(tags=[checks.Tags.models])
    found = [e for e in errors if e.id == "keyproj.E001"]
    assert len(found) == 1 and found[0].obj is field
    assert "db_constraint=False" in found[0].hint


@isolate_apps(PACKAGE)
def test_a_foreign_key_to_a_partitioned_model_keeping_its_constraint_is_refused() -> None:
    class Kept(models.Model):  # noqa: DJ008
        progress_return = models.ForeignKey(ProgressReturn, on_delete=models.PROTECT)

        class Meta:
            app_label = LABEL

    class Dropped(models.Model):  # noqa: DJ008
        progress_return = models.ForeignKey(ProgressReturn, on_delete=models.PROTECT, db_constraint=False)

        class Meta:
            app_label = LABEL

    class One(models.Model):  # noqa: DJ008
        entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT)

        class Meta:
            app_label = LABEL

    class Many(models.Model):  # noqa: DJ008
        entries = models.ManyToManyField(AuditEntry)

        class Meta:
            app_label = LABEL

    through = Many._meta.get_field("entries").remote_field.through
    errors = partition_errors([Kept, Dropped, One, Many, through], partitioned_models())
    assert ids(errors) == ["keyproj.E001"] * 3
    assert [error.obj for error in errors] == [
        Kept._meta.get_field("progress_return"),
        One._meta.get_field("entry"),
        through._meta.get_field("auditentry"),
    ]


@isolate_apps(PACKAGE)
def test_a_unique_key_leaving_out_the_year_is_refused() -> None:
    class Month(models.Model):  # noqa: DJ008
        project = models.IntegerField()
        year = models.PositiveSmallIntegerField()
        month = models.PositiveSmallIntegerField()
        code = models.CharField(max_length=10, unique=True)

        class Meta:
            app_label = LABEL
            unique_together = [("project", "code")]
            constraints = [
                models.UniqueConstraint(fields=["project", "month"], name="no_year"),
                models.UniqueConstraint(fields=["project", "year", "month"], name="with_year"),
                models.UniqueConstraint(Lower("code"), "month", name="expression_no_year"),
                models.UniqueConstraint(Lower("code"), "year", name="expression_with_year"),
            ]

    # isolate_apps puts its registry where the models register: the table resolves there.
    partitioned = partitioned_models(Month._meta.apps, THROWAWAY)
    assert partitioned == {Month: "year"}
    errors = partition_errors([Month], partitioned)
    messages = [error.msg for error in errors]
    assert ids(errors) == ["keyproj.E002", "keyproj.E002", "keyproj.E002", "keyproj.E003"]
    assert "no_year" in messages[0] and "expression_no_year" in messages[1]
    assert "('project', 'code')" in messages[2] and "Month.code" in messages[3]
    assert all("year" in error.hint for error in errors)
    # The same fields on a model nobody partitions are fine.
    assert partition_errors([Month], {}) == []


@isolate_apps(PACKAGE)
def test_a_partition_key_the_model_lacks_is_reported() -> None:
    class Month(models.Model):  # noqa: DJ008
        month = models.PositiveSmallIntegerField()

        class Meta:
            app_label = LABEL

    assert ids(partition_errors([Month], {Month: "year"})) == ["keyproj.E004"]

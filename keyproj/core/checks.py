"""System checks for the tables partitioned by year (keyproj.core.partitions.PARTITIONED_MODELS).

PostgreSQL refuses, at `migrate` and only there, a foreign key to a partitioned table (its `id`
alone is not unique) and a unique constraint on one that leaves out the partition key. SQLite
accepts both, so the test suite would pass and the deployment fail: these checks run on every
database and catch such a model at `check` time instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.expressions import F

from keyproj.core.partitions import PARTITIONED_MODELS

Model = type[models.Model]


def partitioned_models(registry: Apps = global_apps, table: Mapping[str, str] = PARTITIONED_MODELS) -> dict[Model, str]:
    """The partitioned models of `table` found in `registry`, with their keys; an app not installed is skipped."""
    found = {}
    for label, key in table.items():
        app_label, model_name = label.split(".")
        try:
            found[registry.get_model(app_label, model_name)] = key
        except LookupError:  # its app is not installed here
            continue
    return found


def _is_partitioned(model: Any, partitioned: Mapping[Model, str]) -> str | None:
    """The partition key of a model (or of the concrete model behind a proxy); None for a plain one."""
    if not isinstance(model, type) or not issubclass(model, models.Model):
        return None  # a lazy reference not yet resolved names no class
    return partitioned.get(model._meta.concrete_model or model)


def _names(model: Model, names: Iterable[str]) -> set[str]:
    """Field names as the model resolves them (`project_id` and `project` are one field)."""
    resolved = set()
    for name in names:
        try:
            resolved.add(model._meta.get_field(name).name)
        except FieldDoesNotExist:
            resolved.add(name)
    return resolved


def _expression_fields(model: Model, expression: Any) -> set[str]:
    """The fields an expression of a UniqueConstraint reads."""
    parts = [expression] if isinstance(expression, F) else list(expression.flatten())
    return _names(model, (str(getattr(part, "name", "")) for part in parts if isinstance(part, F)))


def _foreign_key_errors(model: Model, partitioned: Mapping[Model, str]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for field in model._meta.local_fields:
        # A OneToOneField is a ForeignKey; a ManyToManyField's through model holds two of them.
        if not isinstance(field, models.ForeignKey):
            continue
        target = field.related_model
        if _is_partitioned(target, partitioned) is None or not field.db_constraint:  # type: ignore[attr-defined]  # not in django-stubs
            continue
        errors.append(
            checks.Error(
                f"{model._meta.label}.{field.name} references {target._meta.label}, whose table is partitioned "
                "by year on PostgreSQL: a foreign key constraint to it would be refused at migrate.",
                hint=(
                    "Declare the field with db_constraint=False (Django's on_delete still applies), "
                    "as ReturnAmendment.progress_return does."
                ),
                obj=field,
                id="keyproj.E001",
            )
        )
    return errors


def _unique_errors(model: Model, key: str) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    label = model._meta.label
    try:
        key = model._meta.get_field(key).name
    except FieldDoesNotExist:
        return [
            checks.Error(
                f"{label} is partitioned by year on `{key}`, which is not one of its fields.",
                hint="Correct its entry in keyproj.core.partitions.PARTITIONED_MODELS.",
                obj=model,
                id="keyproj.E004",
            )
        ]
    fix = f"Add `{key}` to it: PostgreSQL refuses a unique key of a partitioned table without its partition key."
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        if constraint.fields:
            covered = _names(model, constraint.fields)
        else:
            covered = set().union(*(_expression_fields(model, e) for e in constraint.expressions))
        if key not in covered:
            errors.append(
                checks.Error(
                    f"{label}: unique constraint {constraint.name} leaves out the partition key `{key}`.",
                    hint=fix,
                    obj=model,
                    id="keyproj.E002",
                )
            )
    for together in model._meta.unique_together:
        if key not in _names(model, together):
            errors.append(
                checks.Error(
                    f"{label}: unique_together {tuple(together)} leaves out the partition key `{key}`.",
                    hint=fix,
                    obj=model,
                    id="keyproj.E002",
                )
            )
    for field in model._meta.local_fields:
        # The primary key is the one exception: keyproj.core.partitions makes it (id, key).
        if field.unique and not field.primary_key and field.name != key:
            errors.append(
                checks.Error(
                    f"{label}.{field.name} is unique, which on a table partitioned by `{key}` PostgreSQL refuses.",
                    hint=(
                        f"Drop unique=True (a OneToOneField becomes a ForeignKey) and use a UniqueConstraint "
                        f"on ({field.name}, {key}) if the pair must be unique."
                    ),
                    obj=field,
                    id="keyproj.E003",
                )
            )
    return errors


def partition_errors(models_: Iterable[Model], partitioned: Mapping[Model, str]) -> list[checks.CheckMessage]:
    """What PostgreSQL would refuse among `models_`, given the partitioned models and their keys."""
    errors: list[checks.CheckMessage] = []
    for model in models_:
        errors.extend(_foreign_key_errors(model, partitioned))
        key = _is_partitioned(model, partitioned)
        if key is not None and not model._meta.proxy:
            errors.extend(_unique_errors(model, key))
    return errors


@checks.register(checks.Tags.models)
def check_partitioned_models(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The registered check: every installed model (or those of the apps asked for), on every database."""
    if app_configs is None:
        models_: Iterable[Model] = global_apps.get_models(include_auto_created=True)
    else:
        models_ = [m for config in app_configs for m in config.get_models(include_auto_created=True)]
    return partition_errors(models_, partitioned_models())

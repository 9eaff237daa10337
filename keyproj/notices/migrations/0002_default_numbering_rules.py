"""The default 文号 rules: the office's series for monthly notices and minutes, the bureau's for inspections."""

from django.db import migrations

DEFAULTS = [
    # kind, pattern, public
    ("monthly", "厦重点办〔{year}〕{n}号", True),
    ("inspection", "厦建代〔{year}〕{n}号", True),
    ("minutes", "厦重点办纪〔{year}〕{n}号", False),
    ("other", "厦重点办函〔{year}〕{n}号", False),
]


def add_defaults(apps, schema_editor):
    rule = apps.get_model("notices", "NumberingRule")
    for kind, pattern, public in DEFAULTS:
        rule.objects.get_or_create(kind=kind, defaults={"pattern": pattern, "public": public})


def remove_defaults(apps, schema_editor):
    apps.get_model("notices", "NumberingRule").objects.filter(kind__in=[k for k, _, _ in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("notices", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]

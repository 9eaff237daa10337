"""The daily job that makes each year's partitions ahead of their rows (keyproj.core.partitions)."""

import datetime as dt

from django.db import migrations

CODE = "partitions"


def seed(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.get_or_create(
        code=CODE,
        defaults={
            "label": "按年分区",
            "at": dt.time(1, 30),
            "description": "为按年分区的表（月报、汇总、审计记录）建立本年度和下一年度的分区（仅 PostgreSQL）。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_seed_jobs")]

    operations = [migrations.RunPython(seed, unseed)]

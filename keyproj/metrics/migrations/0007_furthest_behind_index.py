"""The projects furthest behind in their own index: rate, then shortfall, then project.

On PostgreSQL ProjectMonth is partitioned by year; a plain CREATE INDEX on the parent creates
the index on every partition, and on each partition created later.
"""

from django.db import migrations, models
from django.db.models import F


class Migration(migrations.Migration):
    dependencies = [("metrics", "0006_partition_by_year")]

    operations = [
        migrations.AddIndex(
            model_name="projectmonth",
            index=models.Index(
                F("year"),
                F("month"),
                F("schedule_rate"),
                F("actual_to_date") - F("plan_to_date"),
                F("project"),
                name="rollup_furthest_behind",
            ),
        ),
    ]

"""Returns partitioned by `year` on PostgreSQL (keyproj.core.partitions); SQLite keeps its table.

A partitioned table's unique constraints must include its partition key, so no foreign key can
reference `progressreturn.id` alone: the amendments' reference loses its database constraint
first (Django's PROTECT still refuses deleting a return that has amendments).
"""

import django.db.models.deletion
from django.db import migrations, models

from keyproj.core.partitions import by_year


class Migration(migrations.Migration):
    dependencies = [("returns", "0005_rules_on_the_versioned_base")]

    operations = [
        migrations.AlterField(
            model_name="returnamendment",
            name="progress_return",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="amendments",
                to="returns.progressreturn",
                verbose_name="月度填报",
            ),
        ),
        by_year("returns", "ProgressReturn", "year"),
    ]

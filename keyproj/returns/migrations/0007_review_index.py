"""The review list's index: the waiting (submitted) returns by month and id.

Created on the partitioned parent on PostgreSQL, so every year's partition gets it, and the ones
made later too. The list reads a page and its months through it instead of sorting or
de-duplicating every waiting return.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("returns", "0006_partition_by_year")]

    operations = [
        migrations.AddIndex(
            model_name="progressreturn",
            index=models.Index(
                condition=models.Q(("status", "submitted")), fields=["year", "month", "id"], name="return_waiting"
            ),
        ),
    ]

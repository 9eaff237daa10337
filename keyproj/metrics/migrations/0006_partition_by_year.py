"""The rollups partitioned by `year` on PostgreSQL (keyproj.core.partitions); SQLite keeps its tables.

Both keep their unique constraints, which include the year; nothing references either table.
"""

from django.db import migrations

from keyproj.core.partitions import by_year


class Migration(migrations.Migration):
    dependencies = [("metrics", "0005_scope_month")]

    operations = [
        by_year("metrics", "ProjectMonth", "year"),
        by_year("metrics", "ScopeMonth", "year"),
    ]

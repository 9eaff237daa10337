"""The audit log partitioned by the year of `at` on PostgreSQL (keyproj.core.partitions); SQLite keeps its table.

Years begin on January 1 at 00:00 in settings.TIME_ZONE. The primary key becomes (id, at) in the
database; Django's model state is unchanged (`id` stays the model's key, unique by its identity).
"""

from django.db import migrations

from keyproj.core.partitions import by_year


class Migration(migrations.Migration):
    dependencies = [("core", "0002_installation_business_day")]

    operations = [by_year("core", "AuditEntry", "at")]

from django.db import migrations

from keyproj.agents import defaults


def forwards(apps, schema_editor):
    defaults.load(apps)


class Migration(migrations.Migration):
    dependencies = [("agents", "0003_inspections_and_credit")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

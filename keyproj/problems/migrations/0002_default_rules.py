from django.db import migrations

from keyproj.problems import defaults


def forwards(apps, schema_editor):
    defaults.load(apps)


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

from django.db import migrations

from keyproj.projects import defaults


def forwards(apps, schema_editor):
    defaults.load(apps.get_model("agents", "Specialty"), defaults.SPECIALTIES)


class Migration(migrations.Migration):
    dependencies = [("agents", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

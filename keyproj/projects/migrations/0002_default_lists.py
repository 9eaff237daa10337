from django.db import migrations

from keyproj.projects import defaults


def forwards(apps, schema_editor):
    defaults.load(apps.get_model("projects", "Category"), defaults.CATEGORIES)
    defaults.load(apps.get_model("projects", "Stage"), defaults.STAGES)
    defaults.load(apps.get_model("projects", "PipelineBatch"), defaults.PIPELINE_BATCHES)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

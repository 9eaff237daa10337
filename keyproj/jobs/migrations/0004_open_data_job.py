"""The job that builds the stored OC4IDS downloads of each newly published month (keyproj.opendata.files)."""

from django.db import migrations

CODE = "opendata"


def seed(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.get_or_create(
        code=CODE,
        defaults={
            "label": "公开数据包生成",
            "every_minutes": 15,
            "description": "通报印发后，为已公开的月份生成并保存 OC4IDS 数据包（JSON、压缩包、Excel），"
            "公众下载时不必等待生成（仅在开启公开网站时）。",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_partitions_job")]

    operations = [migrations.RunPython(seed, unseed)]

"""The default completeness rule (issue 11): a month closes when at least 95 % of the projects
with an approved plan for the year have an approved return for it, or with a recorded reason."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    rule = apps.get_model("supervision", "CompletenessRule")
    if not rule.objects.exists():
        rule.objects.create(version=1, min_approved_share=Decimal("95"), note="默认规则")


class Migration(migrations.Migration):
    dependencies = [("supervision", "0003_completeness_and_issue_apart")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

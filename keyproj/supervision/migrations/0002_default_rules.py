"""The default rules (issue 5): cards at 80 % / 60 %, start 1 / 3 months late, repeat → red;
ranking weights 60 / 15 / 15 / 10 with the investment rate capped at 1.2, three on each board."""

from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    card_rule = apps.get_model("supervision", "CardRule")
    ranking_rule = apps.get_model("supervision", "RankingRule")
    if not card_rule.objects.exists():
        card_rule.objects.create(
            version=1,
            yellow_below=Decimal("80"),
            red_below=Decimal("60"),
            start_yellow_months=1,
            start_red_months=3,
            repeat_to_red=True,
            rectify_months=1,
            note="默认规则",
        )
    if not ranking_rule.objects.exists():
        ranking_rule.objects.create(
            version=1,
            weight_investment=Decimal("60"),
            weight_start=Decimal("15"),
            weight_completion=Decimal("15"),
            weight_timeliness=Decimal("10"),
            investment_cap=Decimal("1.20"),
            list_size=3,
            note="默认规则",
        )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

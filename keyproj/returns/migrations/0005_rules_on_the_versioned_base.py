"""The returns' rules onto keyproj.core.rules.VersionedRule.

ReportingRule: a year and a month become the day the version takes effect (that month's first
day), numbered in date order. A month before the first stored rule was judged by the default
deadline (the 5th), so that default is kept as version 1 from 2000-01-01 whenever the stored
rules start later; no deadline moves. The data-quality thresholds, module constants until now,
become DataQualityRule, seeded with those constants as version 1.
"""

import datetime
from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

FIRST_DAY = datetime.date(2000, 1, 1)


def versions_in_date_order(apps, schema_editor):
    ReportingRule = apps.get_model("returns", "ReportingRule")
    rows = list(ReportingRule.objects.order_by("effective_year", "effective_month", "pk"))
    number = 0
    if not rows or datetime.date(rows[0].effective_year, rows[0].effective_month, 1) > FIRST_DAY:
        number = 1
        ReportingRule.objects.create(
            version=1, effective_year=2000, effective_month=1, effective_from=FIRST_DAY, deadline_day=5, note="默认规则"
        )
    for row in rows:
        number += 1
        ReportingRule.objects.filter(pk=row.pk).update(
            version=number, effective_from=datetime.date(row.effective_year, row.effective_month, 1)
        )


def back_to_months(apps, schema_editor):
    ReportingRule = apps.get_model("returns", "ReportingRule")
    for row in ReportingRule.objects.all():
        ReportingRule.objects.filter(pk=row.pk).update(
            effective_year=row.effective_from.year, effective_month=row.effective_from.month
        )


def seed_data_quality(apps, schema_editor):
    DataQualityRule = apps.get_model("returns", "DataQualityRule")
    if not DataQualityRule.objects.exists():
        DataQualityRule.objects.create(version=1, effective_from=FIRST_DAY, note="默认规则")


class Migration(migrations.Migration):
    dependencies = [
        ("returns", "0004_reporting_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reportingrule",
            name="version",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="版本号"),
        ),
        migrations.AddField(
            model_name="reportingrule",
            name="effective_from",
            field=models.DateField(default=FIRST_DAY, verbose_name="生效日期"),
        ),
        migrations.AddField(
            model_name="reportingrule",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="修改说明"),
        ),
        migrations.AddField(
            model_name="reportingrule",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="发布时间"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportingrule",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="发布人",
            ),
        ),
        migrations.RemoveConstraint(model_name="reportingrule", name="one_rule_per_month"),
        migrations.RunPython(versions_in_date_order, back_to_months),
        # Defaults only so that going back can put the columns in again before back_to_months fills them.
        migrations.AlterField(
            model_name="reportingrule",
            name="effective_year",
            field=models.PositiveSmallIntegerField(default=2000, verbose_name="起始年度"),
        ),
        migrations.AlterField(
            model_name="reportingrule",
            name="effective_month",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)],
                verbose_name="起始月份",
            ),
        ),
        migrations.RemoveField(model_name="reportingrule", name="effective_month"),
        migrations.RemoveField(model_name="reportingrule", name="effective_year"),
        migrations.AlterField(
            model_name="reportingrule",
            name="version",
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name="版本号"),
        ),
        migrations.AlterModelOptions(
            name="reportingrule",
            options={"ordering": ["-version"], "verbose_name": "填报时限规则", "verbose_name_plural": "填报时限规则"},
        ),
        migrations.CreateModel(
            name="DataQualityRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField(editable=False, unique=True, verbose_name="版本号")),
                ("effective_from", models.DateField(default=FIRST_DAY, verbose_name="生效日期")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="修改说明")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发布时间")),
                (
                    "spike_factor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("3"),
                        help_text="本月完成投资超过此前月均的多少倍时提示",
                        max_digits=6,
                        validators=[django.core.validators.MinValueValidator(Decimal("1"))],
                        verbose_name="异常倍数",
                    ),
                ),
                (
                    "spike_floor",
                    models.DecimalField(
                        decimal_places=2,
                        default=Decimal("100"),
                        help_text="本月完成投资不超过此金额时不作倍数提示",
                        max_digits=14,
                        validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                        verbose_name="异常金额下限(万元)",
                    ),
                ),
                (
                    "spike_min_months",
                    models.PositiveSmallIntegerField(
                        default=2,
                        help_text="当年此前有投资的月份少于此数时不计算月均",
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(11),
                        ],
                        verbose_name="月均所需月数",
                    ),
                ),
                (
                    "stale_months",
                    models.PositiveSmallIntegerField(
                        default=3,
                        help_text="形象进度连续多少个月（含本月）相同时提示",
                        validators=[
                            django.core.validators.MinValueValidator(2),
                            django.core.validators.MaxValueValidator(12),
                        ],
                        verbose_name="形象进度未变月数",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="发布人",
                    ),
                ),
            ],
            options={
                "verbose_name": "填报数据质量规则",
                "verbose_name_plural": "填报数据质量规则",
                "ordering": ["-version"],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(spike_factor__gte=1), name="spike_factor_at_least_one"),
                    models.CheckConstraint(condition=models.Q(stale_months__gte=2), name="stale_months_at_least_two"),
                ],
            },
        ),
        migrations.RunPython(seed_data_quality, migrations.RunPython.noop),
    ]

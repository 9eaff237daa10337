"""ProblemRule moves onto keyproj.core.rules.VersionedRule and takes in the escalation time limits.

The rule rows are numbered in the order of the day they take effect. The time limits, until now
edited in place on the rungs (EscalationLevel.time_limit_days) and so applying to every day, are
copied into every existing version: each day keeps the limits it was judged by, and the rungs keep
only their names. A database without a rule gets version 1 with the defaults.
"""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import migrations, models

FIRST_DAY = datetime.date(2000, 1, 1)
DEFAULT_DAYS = {1: 10, 2: 10, 3: 15, 4: 20, 5: 30}
HELP = "在本级停留超过该天数即自动上报上一级"


def forwards(apps, schema_editor):
    rule = apps.get_model("problems", "ProblemRule")
    level = apps.get_model("problems", "EscalationLevel")
    days = {**DEFAULT_DAYS, **dict(level.objects.values_list("level", "time_limit_days"))}
    limits = {f"level{n}_days": d for n, d in days.items()}
    rows = list(rule.objects.order_by("effective_from", "pk"))
    if not rows:
        rule.objects.create(version=1, effective_from=FIRST_DAY, note="默认规则", **limits)
        return
    for number, row in enumerate(rows, start=1):
        row.version = number
        for name, value in limits.items():
            setattr(row, name, value)
        row.save()


def backwards(apps, schema_editor):
    rule = apps.get_model("problems", "ProblemRule")
    level = apps.get_model("problems", "EscalationLevel")
    newest = rule.objects.order_by("-version").first()
    if newest is not None:
        for number in DEFAULT_DAYS:
            level.objects.filter(level=number).update(time_limit_days=getattr(newest, f"level{number}_days"))


def _days(label, default):
    return models.PositiveSmallIntegerField(
        default=default, help_text=HELP, validators=[MinValueValidator(1)], verbose_name=label
    )


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0002_default_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="problemrule",
            name="version",
            field=models.PositiveIntegerField(null=True, verbose_name="版本号"),
        ),
        migrations.AlterField(
            model_name="problemrule",
            name="effective_from",
            field=models.DateField(default=FIRST_DAY, verbose_name="生效日期"),
        ),
        migrations.AddField(
            model_name="problemrule",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="修改说明"),
        ),
        migrations.AddField(
            model_name="problemrule",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="发布时间"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="problemrule",
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
        migrations.AddField(model_name="problemrule", name="level1_days", field=_days("第1级办理时限(天)", 10)),
        migrations.AddField(model_name="problemrule", name="level2_days", field=_days("第2级办理时限(天)", 10)),
        migrations.AddField(model_name="problemrule", name="level3_days", field=_days("第3级办理时限(天)", 15)),
        migrations.AddField(model_name="problemrule", name="level4_days", field=_days("第4级办理时限(天)", 20)),
        migrations.AddField(model_name="problemrule", name="level5_days", field=_days("第5级办理时限(天)", 30)),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="problemrule",
            name="version",
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name="版本号"),
        ),
        migrations.AlterModelOptions(
            name="problemrule",
            options={"ordering": ["-version"], "verbose_name": "问题处理规则", "verbose_name_plural": "问题处理规则"},
        ),
        migrations.AddConstraint(
            model_name="problemrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    level1_days__gte=1, level2_days__gte=1, level3_days__gte=1, level4_days__gte=1, level5_days__gte=1
                ),
                name="escalation_limits_positive",
            ),
        ),
        migrations.RemoveConstraint(model_name="escalationlevel", name="escalation_limit_positive"),
        migrations.RemoveField(model_name="escalationlevel", name="time_limit_days"),
    ]

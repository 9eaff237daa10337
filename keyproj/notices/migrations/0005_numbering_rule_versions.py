"""The 文号 rules become versioned (keyproj.core.rules.VersionedRule): one version holds every kind's
pattern and public flag. The rows edited in place until now (one per kind) become version 1, in
force from the first day, so every 文号 is written exactly as before."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

KINDS = ("monthly", "inspection", "minutes", "other")
# As 0002_default_numbering_rules seeded them, for a kind whose row was missing.
DEFAULTS = {
    "monthly": ("厦重点办〔{year}〕{n}号", True),
    "inspection": ("厦建代〔{year}〕{n}号", True),
    "minutes": ("厦重点办纪〔{year}〕{n}号", False),
    "other": ("厦重点办函〔{year}〕{n}号", False),
}
FIRST_DAY = datetime.date(2000, 1, 1)


def rows_to_version_one(apps, schema_editor):
    old = {row.kind: row for row in apps.get_model("notices", "LegacyNumberingRule").objects.all()}
    values = {}
    for kind in KINDS:
        pattern, public = (old[kind].pattern, old[kind].public) if kind in old else DEFAULTS[kind]
        values[f"{kind}_pattern"], values[f"{kind}_public"] = pattern, public
    apps.get_model("notices", "NumberingRule").objects.create(
        version=1, effective_from=FIRST_DAY, note="默认规则", **values
    )


def version_to_rows(apps, schema_editor):
    rule = apps.get_model("notices", "NumberingRule").objects.order_by("-effective_from", "-version").first()
    legacy = apps.get_model("notices", "LegacyNumberingRule")
    for kind in KINDS:
        pattern, public = (
            (getattr(rule, f"{kind}_pattern"), getattr(rule, f"{kind}_public")) if rule else DEFAULTS[kind]
        )
        legacy.objects.update_or_create(kind=kind, defaults={"pattern": pattern, "public": public})



class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0004_issued_at_business_moment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("NumberingRule", "LegacyNumberingRule"),
        migrations.CreateModel(
            name="NumberingRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField(editable=False, unique=True, verbose_name="版本号")),
                ("effective_from", models.DateField(default=FIRST_DAY, verbose_name="生效日期")),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="修改说明")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="发布时间")),
                (
                    "monthly_pattern",
                    models.CharField(
                        default="厦重点办〔{year}〕{n}号",
                        help_text="用 {year} 表示年份、{n} 表示序号",
                        max_length=60,
                        verbose_name="月度通报文号格式",
                    ),
                ),
                ("monthly_public", models.BooleanField(default=True, verbose_name="月度通报向所有用户公开")),
                (
                    "inspection_pattern",
                    models.CharField(
                        default="厦建代〔{year}〕{n}号",
                        help_text="用 {year} 表示年份、{n} 表示序号",
                        max_length=60,
                        verbose_name="季度督查考评通报文号格式",
                    ),
                ),
                (
                    "inspection_public",
                    models.BooleanField(default=True, verbose_name="季度督查考评通报向所有用户公开"),
                ),
                (
                    "minutes_pattern",
                    models.CharField(
                        default="厦重点办纪〔{year}〕{n}号",
                        help_text="用 {year} 表示年份、{n} 表示序号",
                        max_length=60,
                        verbose_name="会议纪要文号格式",
                    ),
                ),
                ("minutes_public", models.BooleanField(default=False, verbose_name="会议纪要向所有用户公开")),
                (
                    "other_pattern",
                    models.CharField(
                        default="厦重点办函〔{year}〕{n}号",
                        help_text="用 {year} 表示年份、{n} 表示序号",
                        max_length=60,
                        verbose_name="其他通报文号格式",
                    ),
                ),
                ("other_public", models.BooleanField(default=False, verbose_name="其他通报向所有用户公开")),
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
                "verbose_name": "文号规则",
                "verbose_name_plural": "文号规则",
                "ordering": ["-version"],
            },
        ),
        migrations.RunPython(rows_to_version_one, version_to_rows),
        migrations.DeleteModel("LegacyNumberingRule"),
    ]

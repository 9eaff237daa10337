"""AgentRule moves onto keyproj.core.rules.VersionedRule: it already had a version and the day it takes
effect; it gains when and by whom a version was published. Existing versions keep every value."""

import datetime

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0004_default_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="agentrule",
            name="version",
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name="版本号"),
        ),
        migrations.AlterField(
            model_name="agentrule",
            name="effective_from",
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name="生效日期"),
        ),
        migrations.AlterField(
            model_name="agentrule",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="修改说明"),
        ),
        migrations.AddField(
            model_name="agentrule",
            name="created_at",
            field=models.DateTimeField(
                auto_now_add=True, default=django.utils.timezone.now, verbose_name="发布时间"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="agentrule",
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
    ]

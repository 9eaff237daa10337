"""The 红黄牌, 红黑榜 and completeness rules move onto keyproj.core.rules.VersionedRule: the tables stay,
every existing version takes effect from the first day (2000-01-01), so each close keeps the versions it applied."""

import datetime
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('supervision', '0004_default_completeness_rule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='cardrule',
            name='effective_from',
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name='生效日期'),
        ),
        migrations.AddField(
            model_name='completenessrule',
            name='effective_from',
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name='生效日期'),
        ),
        migrations.AddField(
            model_name='rankingrule',
            name='effective_from',
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name='生效日期'),
        ),
        migrations.AlterField(
            model_name='cardrule',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='发布时间'),
        ),
        migrations.AlterField(
            model_name='cardrule',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人'),
        ),
        migrations.AlterField(
            model_name='cardrule',
            name='version',
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name='版本号'),
        ),
        migrations.AlterField(
            model_name='completenessrule',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='发布时间'),
        ),
        migrations.AlterField(
            model_name='completenessrule',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人'),
        ),
        migrations.AlterField(
            model_name='completenessrule',
            name='version',
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name='版本号'),
        ),
        migrations.AlterField(
            model_name='rankingrule',
            name='created_at',
            field=models.DateTimeField(auto_now_add=True, verbose_name='发布时间'),
        ),
        migrations.AlterField(
            model_name='rankingrule',
            name='created_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人'),
        ),
        migrations.AlterField(
            model_name='rankingrule',
            name='version',
            field=models.PositiveIntegerField(editable=False, unique=True, verbose_name='版本号'),
        ),
        migrations.AlterConstraint(
            model_name='cardrule',
            name='card_red_not_above_yellow',
            constraint=models.CheckConstraint(condition=models.Q(('red_below__lte', models.F('yellow_below'))), name='card_red_not_above_yellow', violation_error_message='红牌阈值不能高于黄牌阈值'),
        ),
    ]

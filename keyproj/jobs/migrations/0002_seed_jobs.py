"""The jobs keyproj runs, at the times the office works to (each can be changed on /jobs/)."""

import datetime as dt

from django.db import migrations

JOBS = [
    (
        "escalate",
        "问题超时上报与督办到期提醒",
        dt.time(7, 0),
        None,
        "把超过本级办理时限的问题上报上一级；挂牌督办到期前3天和逾期时提醒责任单位和重点办。",
    ),
    (
        "remind_returns",
        "月报截止前提醒",
        dt.time(9, 0),
        None,
        "月报截止日前3天和前1天，提醒尚未报送的项目的业主单位和代建单位填报员。",
    ),
    (
        "chase_returns",
        "月报催报",
        dt.time(9, 30),
        None,
        "截止日过后，告诉各区、责任单位和市属国企其尚未报送月报的项目（每月一次）。",
    ),
    (
        "ready_to_close",
        "关账提醒",
        dt.time(17, 0),
        None,
        "截止日过后、当月尚未关账时，提醒重点办可以关账（每月一次）。",
    ),
    (
        "outbox_digest",
        "每日消息汇总",
        dt.time(18, 0),
        None,
        "给选择每日汇总的用户发送当天的消息汇总。",
    ),
    ("deliver_outbox", "消息投递", None, 1, "投递待发送的消息（邮件等），失败的按退避时间重试。"),
]


def seed(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for code, label, at, every, description in JOBS:
        Job.objects.get_or_create(
            code=code, defaults={"label": label, "at": at, "every_minutes": every, "description": description}
        )


def unseed(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(code__in=[row[0] for row in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

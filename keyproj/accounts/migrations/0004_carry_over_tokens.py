"""Tokens issued before tokens aged keep working for one more term, then expire like any other.

Their keys are carried over as digests; the old table is emptied so that no key stays stored in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import migrations


def carry_over(apps, schema_editor):
    from keyproj.core import clock

    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = clock.real_now()
    expires = now + dt.timedelta(days=settings.KEYPROJ_TOKEN_DAYS)
    for old in Token.objects.all():
        ApiToken.objects.create(
            user_id=old.user_id,
            digest=hashlib.sha256(old.key.encode()).hexdigest(),
            prefix=old.key[:8],
            name="旧令牌",
            created_at=old.created,
            expires_at=expires,
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_api_tokens"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]

"""API tokens get a last day. Tokens made before this have none: each is given a year from the day
it was made (in England), and the column is then required (0015)."""

import datetime
import zoneinfo

from django.db import migrations, models

ENGLAND = zoneinfo.ZoneInfo("Europe/London")


def a_year_from_made(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.filter(expires_on__isnull=True).only("pk", "created_at").iterator():
        made = token.created_at.astimezone(ENGLAND).date()
        ApiToken.objects.filter(pk=token.pk).update(expires_on=made + datetime.timedelta(days=365))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0013_api_tokens")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_on",
            field=models.DateField(editable=False, null=True, verbose_name="works until"),
        ),
        migrations.RunPython(a_year_from_made, migrations.RunPython.noop),
    ]

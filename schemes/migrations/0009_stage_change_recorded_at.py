import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def recorded_when_made(apps, schema_editor):
    """Moves made before moves could be dated were recorded as they happened."""
    StageChange = apps.get_model("schemes", "StageChange")
    StageChange.objects.update(recorded_at=F("changed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("schemes", "0008_homes_and_relets"),
    ]

    operations = [
        migrations.AddField(
            model_name="stagechange",
            name="recorded_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(recorded_when_made, migrations.RunPython.noop),
    ]

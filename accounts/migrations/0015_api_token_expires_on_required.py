from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0014_api_token_expires_on")]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_on",
            field=models.DateField(editable=False, verbose_name="works until"),
        ),
    ]

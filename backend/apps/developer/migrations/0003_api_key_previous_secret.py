from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('developer', '0002_webhooks'),
    ]

    operations = [
        migrations.AddField(
            model_name='apikey',
            name='previous_secret_hash',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='apikey',
            name='previous_key_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]

"""Make most of a message's updates HOT: no index entries, only a new row version on the same page.

A campaign's message is updated four times (claimed, sent, delivered, read). msg_status_claimed held `status`, so
every one of them wrote all eight indexes again. The reconciler's index is now msg_in_flight, keyed and filtered on
columns those updates leave alone except `sent` (which sets the wamid anyway), and the table keeps 30% of each page
free so the new versions fit beside the old ones."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0010_user_references_without_constraint'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='message',
            name='msg_status_claimed',
        ),
        migrations.AddIndex(
            model_name='message',
            index=models.Index(condition=models.Q(('failed_at__isnull', True), ('wamid__isnull', True)), fields=['created_at'], name='msg_in_flight'),
        ),
        migrations.RunSQL("ALTER TABLE messaging_message SET (fillfactor = 70)",
                          "ALTER TABLE messaging_message RESET (fillfactor)"),
    ]

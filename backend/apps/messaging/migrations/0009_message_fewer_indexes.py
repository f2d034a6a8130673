"""Drop the indexes of messaging_message that others cover: each status change updates every index of the row.

The status and conversation indexes are covered by msg_status_claimed and msg_conversation_recent (same leading
column); the wamid's `varchar_pattern_ops` twin, which Django makes for a unique CharField, serves LIKE queries,
and wamids are only ever looked up whole (by the unique index)."""
from django.db import migrations, models

DROP_WAMID_LIKE = """
DO $$
DECLARE found record;
BEGIN
    FOR found IN SELECT indexname FROM pg_indexes
                 WHERE schemaname = current_schema() AND tablename = 'messaging_message'
                   AND indexdef LIKE '%(wamid varchar_pattern_ops)%'
    LOOP
        EXECUTE format('DROP INDEX %I', found.indexname);
    END LOOP;
END $$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0008_message_to_256'),
    ]

    operations = [
        migrations.AlterField(
            model_name='message',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('read', 'Read'), ('failed', 'Failed'), ('received', 'Received'), ('unknown', 'Unknown (needs review)')], default='queued', max_length=10),
        ),
        migrations.AlterField(
            model_name='message',
            name='conversation',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=models.deletion.SET_NULL, related_name='messages', to='messaging.conversation'),
        ),
        migrations.RunSQL(DROP_WAMID_LIKE, migrations.RunSQL.noop),
    ]

"""Keep messages consistent with contacts (apps.contacts.signals), inside the contacts' transaction."""
from django.db import connection
from django.dispatch import receiver

from apps.contacts.signals import contact_erased, contacts_deleting, contacts_merged
from apps.messaging.models import Message


@receiver(contact_erased)
def anonymise_messages(sender, contact_id, **kwargs):
    """Erasure: message contents and the recipient's number go; the rows stay for delivery statistics."""
    Message.objects.filter(contact_id=contact_id).update(payload={}, to="", error_details="")


@receiver(contacts_merged)
def repoint_messages(sender, survivor_id, merged_id, **kwargs):
    Message.objects.filter(contact_id=merged_id).update(contact_id=survivor_id)


@receiver(contacts_deleting)
def detach_messages(sender, ids_sql, params, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Message._meta.db_table} SET contact_id = NULL WHERE contact_id IN ({ids_sql})",
                       params)

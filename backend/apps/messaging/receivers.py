"""Keep messages and conversations consistent with contacts (apps.contacts.signals), inside the contacts'
transaction."""
from django.db import connection
from django.dispatch import receiver

from apps.contacts.signals import contact_erased, contacts_deleting, contacts_merged
from apps.messaging.media import media_erase
from apps.messaging.models import Conversation, ConversationNote, Message


@receiver(contact_erased)
def anonymise_messages(sender, contact_id, **kwargs):
    """Erasure: message contents, the recipient's number and notes about them go; the rows stay for
    delivery statistics. Their media (photos, documents: rows now, files after commit) go."""
    media_erase(message_ids_sql=f"SELECT id FROM {Message._meta.db_table} WHERE contact_id = %s", params=[contact_id])
    Message.objects.filter(contact_id=contact_id).update(payload={}, to="", error_details="")
    ConversationNote.objects.filter(conversation__contact_id=contact_id).delete()
    Conversation.objects.filter(contact_id=contact_id).update(last_message_preview="")


@receiver(contacts_merged)
def repoint_messages(sender, survivor_id, merged_id, **kwargs):
    """The merged contact's threads join the survivor's (one conversation per number stays true)."""
    Message.objects.filter(contact_id=merged_id).update(contact_id=survivor_id)
    for conversation in Conversation.objects.filter(contact_id=merged_id):
        kept = Conversation.objects.filter(contact_id=survivor_id, phone_number_id=conversation.phone_number_id).first()
        if kept is None:
            Conversation.objects.filter(pk=conversation.pk).update(contact_id=survivor_id)
            continue
        Message.objects.filter(conversation=conversation).update(conversation=kept)
        ConversationNote.objects.filter(conversation=conversation).update(conversation=kept)
        for field in ("last_inbound_at", "last_message_at"):
            theirs = getattr(conversation, field)
            if theirs and (getattr(kept, field) is None or theirs > getattr(kept, field)):
                setattr(kept, field, theirs)
        kept.unread_count += conversation.unread_count
        kept.save()
        conversation.delete()


@receiver(contacts_deleting)
def detach_messages(sender, ids_sql, params, **kwargs):
    """Deleted contacts' messages stay (unlinked) for statistics; their media (rows now, files after commit),
    conversations and notes go."""
    conversations = f"SELECT id FROM {Conversation._meta.db_table} WHERE contact_id IN ({ids_sql})"
    media_erase(message_ids_sql=f"SELECT id FROM {Message._meta.db_table} "
                                f"WHERE contact_id IN ({ids_sql}) OR conversation_id IN ({conversations})",
                params=[*params, *params])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Message._meta.db_table} SET contact_id = NULL, conversation_id = NULL "
                       f"WHERE contact_id IN ({ids_sql}) OR conversation_id IN ({conversations})", [*params, *params])
        cursor.execute(f"DELETE FROM {ConversationNote._meta.db_table} WHERE conversation_id IN ({conversations})",
                       params)
        cursor.execute(f"DELETE FROM {Conversation._meta.db_table} WHERE contact_id IN ({ids_sql})", params)

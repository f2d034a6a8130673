"""Signals other modules (messaging, campaigns) handle to keep their rows consistent with contacts.

All are sent *inside* the transaction that changes the contacts, before the change is final, so a
receiver's database work commits or rolls back with it. Receivers must not call external services
directly; enqueue tasks with transaction.on_commit instead.
"""
from django.dispatch import Signal

# A contact's personal data was removed; the row stays as a tombstone with this id.
# Receivers anonymise what they hold about the person (message bodies, media, names). kwargs: contact_id
contact_erased = Signal()

# `merged_id` is about to be deleted after being folded into `survivor_id`; re-point references to it.
# kwargs: survivor_id, merged_id
contacts_merged = Signal()

# Contacts are about to be deleted. kwargs: ids_sql, params — a SELECT of their ids, for set-based
# cleanup (`DELETE FROM x WHERE contact_id IN (<ids_sql>)`); a bulk delete may cover a million rows.
contacts_deleting = Signal()

# A contact was added (a member, the API, an import of one, a customer's first message). kwargs: contact
contact_created = Signal()

# A member or the API changed a contact's profile, tags or attributes. kwargs: contact, fields (the names set)
contact_updated = Signal()

# A consent event was recorded (the contact's state columns are current). kwargs: contact, event (ConsentEvent)
consent_recorded = Signal()

# Asked before a bulk change (a chunk of an import, a bulk tag or untag): do receivers want its contacts one by one?
# A receiver answers True when it does (apps.developer: an endpoint subscribes to contact.created or .updated), so a
# business nobody listens to pays nothing per contact. kwargs: kinds (of "created", "updated"). See
# `contact_events_wanted` below.
contact_events_wanted_asked = Signal()

# Contacts were created or changed in bulk, sent only when someone wanted them (`contact_events_wanted`), inside the
# change's transaction (an import's chunk: its transaction, so the work is bounded by the chunk's size).
# kwargs: created_ids, updated_ids (lists of ids), fields (the contact fields the change may have set)
contacts_changed_in_bulk = Signal()


def contact_events_wanted(kinds: tuple[str, ...]) -> bool:
    """Whether any receiver wants the contacts of a bulk change one by one (a cached lookup in the listener)."""
    return any(answer for _, answer in contact_events_wanted_asked.send(sender=None, kinds=kinds))

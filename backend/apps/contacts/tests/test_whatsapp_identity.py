"""Contacts own a contact's WhatsApp identity: who wrote (contact_for_sender), whom a send goes to (recipient_of,
contact_for_recipient), when they last wrote or were written to, and the consent look-ups of Meta's webhooks."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.contacts import selectors, services
from apps.contacts.models import ConsentAction, ConsentCategory, ConsentSource, Contact
from apps.contacts.phones import PhoneError
from apps.contacts.tests.conftest import in_schema, make_contact, set_region


def test_a_sender_is_matched_by_user_id_then_phone_and_meta_fills_what_we_lack(alpha):
    by_phone = make_contact(alpha, phone="+16505550101")
    by_user = make_contact(alpha, wa_user_id="US.1", name="Known")
    with in_schema(alpha):
        assert services.contact_for_sender(wa_id="16505550101", user_id=None, name="Alice").pk == by_phone.pk
        # Both identities match someone, each a different contact: the oldest of the two.
        assert services.contact_for_sender(wa_id="16505550101", user_id="US.1", name="Other").pk == by_phone.pk
        assert services.contact_for_sender(wa_id=None, user_id="US.1", name="Other").pk == by_user.pk

        alice, known = Contact.objects.get(pk=by_phone.pk), Contact.objects.get(pk=by_user.pk)
        assert (alice.wa_id, alice.name) == ("16505550101", "Alice")  # filled: she had no name
        assert known.name == "Known"  # kept: a name we have is not Meta's to change


def test_a_new_sender_becomes_a_contact_and_nobody_named_is_none(alpha):
    with in_schema(alpha):
        created = services.contact_for_sender(wa_id="447700900123", user_id="GB.9", name="Ben")  # reserved range
        assert (created.phone, created.wa_user_id, created.wa_id, created.name) == (
            "+447700900123", "GB.9", "447700900123", "Ben")
        assert created.first_seen_at is not None
        assert services.contact_for_sender(wa_id=None, user_id=None, name="Nobody") is None
        assert services.contact_for_sender(wa_id="447700900123", user_id=None).pk == created.pk


def test_an_erased_contact_is_never_matched_again(alpha):
    contact = make_contact(alpha, phone="+16505550101")
    with in_schema(alpha):
        services.contact_erase(contact=contact)
        again = services.contact_for_sender(wa_id="16505550101", user_id=None)
        assert again.pk != contact.pk


def test_the_one_recipient_rule_is_wa_id_then_phone_then_user_id(alpha):
    with in_schema(alpha):
        assert selectors.recipient_of(Contact(wa_id="551187654321", phone="+5511987654321", wa_user_id="BR.1")) == \
            "551187654321"
        assert selectors.recipient_of(Contact(phone="+5511987654321", wa_user_id="BR.1")) == "5511987654321"
        assert selectors.recipient_of(Contact(wa_user_id="BR.1")) == "BR.1"
        assert selectors.recipient_of(Contact()) == ""


def test_a_recipient_number_is_read_with_the_default_region_and_its_contact_added_once(alpha):
    with in_schema(alpha):
        with pytest.raises(PhoneError):
            services.contact_for_recipient(phone="07400 123456")
    set_region(alpha, "GB")
    with in_schema(alpha):
        added = services.contact_for_recipient(phone="07400 123456")
        assert added.phone == "+447400123456"
        assert services.contact_for_recipient(phone="+447400123456").pk == added.pk
        assert Contact.objects.filter(phone="+447400123456").count() == 1


def test_activity_moves_forward_only_and_the_first_sighting_is_kept(alpha):
    contact = make_contact(alpha, phone="+16505550101")
    now = timezone.now()
    with in_schema(alpha):
        Contact.objects.filter(pk=contact.pk).update(first_seen_at=None)
        services.contact_touch_inbound(contact, at=now)
        services.contact_touch_inbound(contact, at=now - timedelta(hours=1))  # a late webhook
        services.contact_touch_outbound(contact.pk, at=now)
        contact.refresh_from_db()
        assert (contact.last_inbound_at, contact.last_seen_at, contact.last_outbound_at) == (now, now, now)
        assert contact.first_seen_at == now


def test_consent_look_ups_for_webhooks(alpha):
    contact = make_contact(alpha, phone="+16505550101")
    at = timezone.now() - timedelta(minutes=1)
    marketing = ConsentCategory.MARKETING
    with in_schema(alpha):
        assert selectors.consent_latest(contact, category=marketing) is None
        services.consent_record(contact=contact, category=marketing, action=ConsentAction.OPT_OUT,
                                source=ConsentSource.META_PREFERENCE, occurred_at=at)

        assert selectors.consent_latest(contact, category=marketing) == ("opt_out", "meta_preference")
        assert selectors.consent_latest(contact, category=ConsentCategory.UTILITY) is None
        assert selectors.consent_event_exists(contact, category=marketing, action=ConsentAction.OPT_OUT,
                                              source=ConsentSource.META_PREFERENCE, occurred_at=at)
        assert not selectors.consent_event_exists(contact, category=marketing, action=ConsentAction.OPT_OUT,
                                                  source=ConsentSource.META_PREFERENCE,
                                                  occurred_at=at - timedelta(seconds=1))
        assert selectors.contact_opted_out_categories(contact) == {"marketing"}

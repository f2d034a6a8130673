"""The suppression list survives key changes: CONTACT_HASH_KEY is its own key (not SECRET_KEY), old keys stay
matchable through CONTACT_HASH_KEY_FALLBACKS, and `rekey_contact_hashes` moves what it can to the new key."""
import io

from django.core.management import call_command

from apps.contacts.identity import identity_hash, identity_hashes
from apps.contacts.models import Contact, Suppression
from apps.contacts.tests.conftest import import_now, in_schema, make_contact

OLD_KEY = "old-contact-hash-key-0123456789abcdef0123456789"
NEW_KEY = "new-contact-hash-key-fedcba9876543210fedcba9876"


def _opt_out_and_erase(client, contact_id):
    stop = client.post(f"/api/contacts/{contact_id}/consent/",
                       {"category": "marketing", "action": "opt_out", "source": "keyword", "keyword": "STOP"},
                       format="json")
    assert stop.status_code == 201, stop.content
    assert client.post(f"/api/contacts/{contact_id}/erase/").status_code == 200


def _marketing_by_phone(business) -> dict:
    with in_schema(business):
        return dict(Contact.objects.filter(erased_at__isnull=True).values_list("phone", "marketing_consent"))


def test_rotating_the_secret_key_keeps_an_erased_opted_out_person_suppressed_on_re_import(owner, alpha, settings):
    contact = make_contact(alpha, phone="+919876543210")
    _opt_out_and_erase(owner, contact.pk)

    settings.SECRET_KEY = "rotated-django-secret-key-" + "x" * 40  # the C1 rotation
    settings.SECRET_KEY_FALLBACKS = []

    job = import_now(owner, alpha, "phone,name\n+919876543210,Back again\n+919876543298,New\n")
    assert (job.created, job.errors) == (2, 0)
    assert _marketing_by_phone(alpha) == {"+919876543210": "opted_out", "+919876543298": "unknown"}
    by_api = owner.post("/api/contacts/", {"phone": "+919876543211"}, format="json")
    assert by_api.json()["consent"]["marketing"] == "unknown"  # the API path reads the same key


def test_a_new_contact_hash_key_still_matches_suppressions_made_with_a_fallback_key(owner, alpha, settings):
    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = OLD_KEY, []
    erased = make_contact(alpha, phone="+919876543210")
    deleted = make_contact(alpha, phone="+919876543299")
    _opt_out_and_erase(owner, erased.pk)

    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    # Suppressions written now use the new key; both kinds must match.
    owner.post(f"/api/contacts/{deleted.pk}/consent/",
               {"category": "marketing", "action": "opt_out", "source": "agent"}, format="json")
    owner.post("/api/contacts/bulk/", {"action": "delete", "ids": [deleted.pk]}, format="json")

    job = import_now(owner, alpha, "phone\n+919876543210\n+919876543299\n+919876543298\n")
    assert job.created == 3
    assert _marketing_by_phone(alpha) == {
        "+919876543210": "opted_out", "+919876543299": "opted_out", "+919876543298": "unknown"}
    with in_schema(alpha):
        assert Suppression.objects.filter(identity_hash=identity_hash("+919876543299")).exists()  # new key
        assert not Suppression.objects.filter(identity_hash=identity_hash("+919876543210")).exists()  # old key
        assert len(identity_hashes("+919876543210")) == 2

    settings.CONTACT_HASH_KEY_FALLBACKS = []  # dropping the old key too early loses the old suppression
    with in_schema(alpha):
        assert not Suppression.objects.filter(identity_hash__in=identity_hashes("+919876543210")).exists()


def test_rekey_moves_the_hashes_of_known_identities_to_the_new_key_in_every_business(owner, alpha, beta, settings):
    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = OLD_KEY, []
    beta_owner = beta.client(beta.owner)
    for business, client in ((alpha, owner), (beta, beta_owner)):
        came_back = make_contact(business, phone="+919876543210")
        gone = make_contact(business, phone="+447911123456")
        _opt_out_and_erase(client, came_back.pk)
        _opt_out_and_erase(client, gone.pk)
        make_contact(business, phone="+919876543210")  # the person came back: suppressed, number known again

    settings.CONTACT_HASH_KEY, settings.CONTACT_HASH_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    out = io.StringIO()
    call_command("rekey_contact_hashes", stdout=out)

    assert "re-keyed 2 suppression(s)" in out.getvalue()
    assert "2 suppression(s) of identities no longer stored" in out.getvalue()
    for business in (alpha, beta):
        with in_schema(business):
            moved = Suppression.objects.get(identity_hash=identity_hash("+919876543210"))
            assert moved.categories == ["marketing"]
            assert Suppression.objects.count() == 2
    with in_schema(beta):  # each business's hash is its own (schema-prefixed), also after re-keying
        beta_hash = identity_hash("+919876543210")
    with in_schema(alpha):
        assert identity_hash("+919876543210") != beta_hash

    settings.CONTACT_HASH_KEY_FALLBACKS = []  # the moved one now matches with the new key alone
    with in_schema(alpha):
        assert Suppression.objects.filter(identity_hash__in=identity_hashes("+919876543210")).exists()
        assert not Suppression.objects.filter(identity_hash__in=identity_hashes("+447911123456")).exists()
    settings.CONTACT_HASH_KEY_FALLBACKS = [OLD_KEY]  # the gone one needs the old key kept as a fallback
    with in_schema(alpha):
        assert Suppression.objects.filter(identity_hash__in=identity_hashes("+447911123456")).exists()
    again = io.StringIO()
    call_command("rekey_contact_hashes", stdout=again)  # idempotent
    assert "re-keyed 0 suppression(s)" in again.getvalue()
    with in_schema(alpha):
        assert Suppression.objects.count() == 2

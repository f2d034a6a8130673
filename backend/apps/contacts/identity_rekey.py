"""Moving suppression hashes to the current CONTACT_HASH_KEY.

A stored hash is one-way: without the identity it can't be re-computed under a new key. So a suppression is
re-keyed only when its identity is stored again, in a contact (the person came back: imported, added or
writing in after their erasure). The others stay matchable only through CONTACT_HASH_KEY_FALLBACKS, which
must therefore keep every old key that such suppressions were made with.
"""
from dataclasses import dataclass

from django.db import connection, transaction

from apps.contacts.identity import _keys, _sql_with_key


@dataclass
class RekeyResult:
    moved: int = 0  # suppressions now under the current key (merged into one already there, or rewritten)
    unknown: int = 0  # suppressions whose identity no contact holds: left as they are


@transaction.atomic
def suppressions_rekey() -> RekeyResult:
    """In the current schema: rewrite every suppression made with a fallback key whose identity a contact holds."""
    current, *fallbacks = _keys()
    result = RekeyResult()
    with connection.cursor() as cursor:
        for column in ("phone", "wa_user_id"):
            new_sql, new_params = _sql_with_key(current, f"c.{column}")
            for old in fallbacks:
                old_sql, old_params = _sql_with_key(old, f"c.{column}")
                # (old row, its new hash) for every contact whose identity hashes to a stored old-key row.
                cursor.execute(f"""
                    CREATE TEMP TABLE suppression_rekey ON COMMIT DROP AS
                    SELECT DISTINCT sp.id, {new_sql} AS new_hash
                    FROM contacts_suppression sp JOIN contacts_contact c ON sp.identity_hash = {old_sql}
                    WHERE c.{column} IS NOT NULL
                """, [*new_params, *old_params])
                # Already a row under the new key (suppressed again since the rotation): merge into it.
                cursor.execute("""
                    UPDATE contacts_suppression keep SET categories = ARRAY(
                        SELECT DISTINCT unnest(keep.categories || old.categories) ORDER BY 1)
                    FROM suppression_rekey r JOIN contacts_suppression old ON old.id = r.id
                    WHERE keep.identity_hash = r.new_hash
                """)
                cursor.execute("""
                    DELETE FROM contacts_suppression sp USING suppression_rekey r
                    WHERE sp.id = r.id AND EXISTS (
                        SELECT 1 FROM contacts_suppression keep WHERE keep.identity_hash = r.new_hash)
                """)
                merged = cursor.rowcount
                cursor.execute("""
                    UPDATE contacts_suppression sp SET identity_hash = r.new_hash
                    FROM suppression_rekey r WHERE sp.id = r.id
                """)
                result.moved += merged + cursor.rowcount
                cursor.execute("DROP TABLE suppression_rekey")
        # What no stored identity vouches for under the current key: made with an old key, or with the current
        # one for someone who has not come back. Either way nothing more can be done without the identity.
        known = []
        params = []
        for column in ("phone", "wa_user_id"):
            sql, key_params = _sql_with_key(current, f"c.{column}")
            known.append(f"SELECT {sql} FROM contacts_contact c WHERE c.{column} IS NOT NULL")
            params += key_params
        cursor.execute(f"""
            SELECT count(*) FROM contacts_suppression
            WHERE identity_hash NOT IN ({" UNION ".join(known)})
        """, params)
        result.unknown = cursor.fetchone()[0]
    return result

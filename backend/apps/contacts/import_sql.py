"""The import's database side: COPY a chunk into a temp staging table, then set-based upserts.

Per chunk, in one transaction: COPY the normalised records into `contact_import_staging` (TEMP, so
private to this session and never WAL-logged), move rows whose WhatsApp user id clashes with another
contact into the error report, upsert the rest with one INSERT ... SELECT ... ON CONFLICT per identity,
COPY the error lines, and add the chunk's counts to the job. A crash loses at most the chunk in flight.

Duplicates across chunks are recognised by Contact.import_id: the first row of a contact in this
import marks it (with -id when the contact was only skipped); a later row finding the mark merges
("later values fill blanks") instead of updating. RETURNING import_outcome tells what happened:
"""
import time

from django.db import connection

from apps.contacts.identity import identity_hashes_sql
from apps.contacts.models import OnExisting, Suppression

CREATED, UPDATED, MERGED, SKIPPED, MERGED_INTO_SKIPPED = 0, 1, 2, 3, 4
STAGING = "contact_import_staging"
STAGING_COLUMNS = "row_number, phone, wa_user_id, name, email, language, tags, attributes"


def create_staging(cursor) -> None:
    """The session's staging table, created once (catalog changes cost ~20 ms a chunk) and emptied at
    every commit; the DELETE empties it when chunks share a transaction (tests). Identities are in the
    "C" collation: byte order, as their indexes sort, and several times cheaper to sort than a locale's
    (rows also arrive sorted: import_rows stages them in identity order)."""
    cursor.execute(f"""
        CREATE TEMP TABLE IF NOT EXISTS {STAGING} (
            row_number integer NOT NULL, phone text COLLATE "C", wa_user_id text COLLATE "C", name text,
            email text, language text, tags varchar(64)[], attributes jsonb
        ) ON COMMIT DELETE ROWS
    """)
    cursor.execute(f"DELETE FROM pg_temp.{STAGING}")


def copy_rows(cursor, table: str, columns: str, rows) -> None:
    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def reject_user_id_clashes(cursor) -> list[tuple]:
    """Rows whose user id belongs to a different contact than their phone: error lines, removed."""
    cursor.execute(f"""
        DELETE FROM {STAGING} s USING contacts_contact c
        WHERE s.wa_user_id IS NOT NULL AND s.phone IS NOT NULL
          AND ((c.wa_user_id = s.wa_user_id AND c.phone IS DISTINCT FROM s.phone)
               OR (c.phone = s.phone AND c.wa_user_id IS NOT NULL AND c.wa_user_id <> s.wa_user_id))
        RETURNING s.row_number, s.wa_user_id, c.id, c.phone = s.phone
    """)
    lines, seen = [], set()
    for row_number, user_id, contact_id, same_phone in cursor.fetchall():
        if row_number in seen:
            continue
        seen.add(row_number)
        reason = (f"the contact with this phone number (id {contact_id}) has another WhatsApp user id" if same_phone
                  else f"this WhatsApp user id belongs to another contact (id {contact_id})")
        lines.append((row_number, "", user_id[:200], reason))
    return lines


def _set_clause(mode: str, identity: str) -> str:
    """The DO UPDATE SET list. `c` is the existing row, EXCLUDED the file's; `%(id)s` the import."""
    mine = "c.import_id = %(id)s"

    def fill(column):  # duplicate: keep what the contact has, fill its blanks
        return f"COALESCE(NULLIF(c.{column}, ''), EXCLUDED.{column})"

    def overwrite(column):  # update: the file's non-blank values win
        return f"COALESCE(NULLIF(EXCLUDED.{column}, ''), c.{column})"

    union_tags = ("CASE WHEN EXCLUDED.tags <@ c.tags THEN c.tags ELSE ARRAY(SELECT DISTINCT t COLLATE \"C\" FROM "
                  "unnest(c.tags || EXCLUDED.tags) AS t ORDER BY 1) END")
    columns = ["name", "email", "language"]
    if mode == OnExisting.UPDATE:
        sets = [f"{col} = CASE WHEN {mine} THEN {fill(col)} ELSE {overwrite(col)} END" for col in columns]
        sets += [
            "tags = " + union_tags,
            f"attributes = CASE WHEN {mine} THEN EXCLUDED.attributes || c.attributes "
            "ELSE c.attributes || EXCLUDED.attributes END",
            f"import_outcome = CASE WHEN {mine} THEN {MERGED} ELSE {UPDATED} END",
            "import_id = %(id)s",
            "updated_at = now()",
        ]
    else:
        sets = [f"{col} = CASE WHEN {mine} THEN {fill(col)} ELSE c.{col} END" for col in columns]
        sets += [
            f"tags = CASE WHEN {mine} THEN {union_tags} ELSE c.tags END",
            f"attributes = CASE WHEN {mine} THEN EXCLUDED.attributes || c.attributes ELSE c.attributes END",
            f"import_outcome = CASE WHEN {mine} THEN {MERGED} WHEN c.import_id = -%(id)s THEN {MERGED_INTO_SKIPPED} "
            f"ELSE {SKIPPED} END",
            "import_id = CASE WHEN c.import_id = %(id)s THEN %(id)s ELSE -%(id)s END",
            f"updated_at = CASE WHEN {mine} THEN now() ELSE c.updated_at END",
        ]
    if identity == "phone":  # the other identity can only be added, never replaced
        add_user_id = "COALESCE(c.wa_user_id, EXCLUDED.wa_user_id)"
        sets.append(f"wa_user_id = {add_user_id}" if mode == OnExisting.UPDATE
                    else f"wa_user_id = CASE WHEN {mine} THEN {add_user_id} ELSE c.wa_user_id END")
    return ",\n".join(sets)


def upsert(cursor, *, import_id: int, mode: str, changed: dict[int, list[int]] | None = None) -> dict[int, int]:
    """Both upserts for the staged chunk; outcome -> count. With `changed` (only when someone wants the contacts one by
    one: outbound webhooks), the ids written are collected in it by outcome, at the price of returning every row."""
    counts: dict[int, int] = {}
    for identity, where in (("phone", "s.phone IS NOT NULL"), ("wa_user_id", "s.phone IS NULL")):
        insert = f"""
                INSERT INTO contacts_contact AS c (
                    phone, wa_user_id, wa_id, name, email, language, tags, attributes, marketing_consent,
                    utility_consent, first_seen_at, created_at, updated_at, import_id, import_outcome)
                SELECT s.phone, s.wa_user_id, '', COALESCE(s.name, ''), COALESCE(s.email, ''),
                       COALESCE(s.language, ''), COALESCE(s.tags, '{{}}'), COALESCE(s.attributes, '{{}}'),
                       'unknown', 'unknown', now(), now(), now(), %(id)s, {CREATED}
                FROM {STAGING} s WHERE {where}
                ORDER BY s.{identity}  -- neighbouring keys: fewer index pages touched, locks taken in one order
                ON CONFLICT ({identity}) WHERE {identity} IS NOT NULL DO UPDATE SET
                {_set_clause(mode, identity)}
        """
        if changed is None:
            cursor.execute(f"""
                WITH written AS ({insert} RETURNING c.import_outcome)
                SELECT import_outcome, count(*) FROM written GROUP BY import_outcome
            """, {"id": import_id})
            for outcome, count in cursor.fetchall():
                counts[outcome] = counts.get(outcome, 0) + count
            continue
        cursor.execute(f"{insert} RETURNING c.id, c.import_outcome", {"id": import_id})
        for pk, outcome in cursor.fetchall():
            counts[outcome] = counts.get(outcome, 0) + 1
            changed.setdefault(outcome, []).append(pk)
    return counts


def changed_contacts(changed: dict[int, list[int]]) -> tuple[list[int], list[int]]:
    """(created ids, updated ids) of a chunk's `changed`: a later duplicate of a contact this import wrote (which fills
    its blanks) counts as updated; skipped contacts are unchanged. A contact created by the phone upsert and met
    again by the user-id upsert is created only."""
    created = changed.get(CREATED, [])
    seen = set(created)
    updated = []
    for pk in changed.get(UPDATED, []) + changed.get(MERGED, []):
        if pk not in seen:
            seen.add(pk)
            updated.append(pk)
    return created, updated


class _Clock:
    def __init__(self, phases: dict | None):
        self.phases, self.last = phases, time.perf_counter()

    def lap(self, name: str) -> None:
        if self.phases is not None:
            now = time.perf_counter()
            self.phases[name] = self.phases.get(name, 0.0) + now - self.last
            self.last = now


def suppressions_exist() -> bool:
    return Suppression.objects.exists()


def apply_suppressions(cursor, *, import_id: int) -> None:
    """Contacts this chunk created whose identity hash is suppressed start opted out (ledger + state)."""
    for column in ("phone", "wa_user_id"):
        hashes_sql, params = identity_hashes_sql(f"c.{column}")  # a suppression under any key matches
        cursor.execute(f"""
            WITH matched AS (
                SELECT c.id, unnest(sp.categories) AS category
                FROM contacts_contact c
                JOIN {STAGING} s ON s.{column} = c.{column}
                JOIN contacts_suppression sp ON sp.identity_hash IN ({hashes_sql})
                WHERE c.import_id = %s AND c.import_outcome = {CREATED}
            ), logged AS (
                INSERT INTO contacts_consentevent (contact_id, category, action, source, proof, keyword,
                                                   actor_email, occurred_at, created_at)
                SELECT id, category, 'opt_out', 'suppression',
                       'This number or user id belonged to a contact who had opted out before being removed.',
                       '', '', now(), now()
                FROM matched RETURNING contact_id, category
            )
            UPDATE contacts_contact c SET
                marketing_consent = CASE WHEN EXISTS (SELECT 1 FROM logged l WHERE l.contact_id = c.id
                    AND l.category = 'marketing') THEN 'opted_out' ELSE c.marketing_consent END,
                utility_consent = CASE WHEN EXISTS (SELECT 1 FROM logged l WHERE l.contact_id = c.id
                    AND l.category = 'utility') THEN 'opted_out' ELSE c.utility_consent END
            WHERE c.id IN (SELECT contact_id FROM logged)
        """, [*params, import_id])


def save_chunk(*, import_id: int, mode: str, chunk, with_suppressions: bool, phases: dict | None = None,
               changed: dict | None = None) -> dict:
    """Write one chunk (the caller holds the transaction). Returns the counters to add; adds each step's
    seconds to `phases` when given (the job's log line and the benchmark's breakdown), and the ids written to
    `changed` when given (see upsert)."""
    clock = _Clock(phases)
    with connection.cursor() as cursor:
        create_staging(cursor)
        with cursor.cursor.copy(f"COPY {STAGING} ({STAGING_COLUMNS}) FROM STDIN") as copy:
            copy.write(chunk.payload)
        clock.lap("db_copy_staging")
        errors = list(chunk.errors)
        if chunk.has_user_ids:
            errors += reject_user_id_clashes(cursor)
            clock.lap("db_user_id_clashes")
        outcomes = upsert(cursor, import_id=import_id, mode=mode, changed=changed)
        clock.lap("db_upsert")
        if with_suppressions:
            apply_suppressions(cursor, import_id=import_id)
            clock.lap("db_suppressions")
        if errors:
            copy_rows(cursor, "contacts_contactimporterror", 'contact_import_id, row_number, "column", value, reason',
                      ((import_id, *line) for line in errors))
            clock.lap("db_error_report")
    clashes = len(errors) - len(chunk.errors)
    return {
        "processed_rows": chunk.rows,
        "created": outcomes.get(CREATED, 0),
        "updated": outcomes.get(UPDATED, 0),
        "skipped": outcomes.get(SKIPPED, 0),
        "duplicates": chunk.duplicates + outcomes.get(MERGED, 0) + outcomes.get(MERGED_INTO_SKIPPED, 0),
        "errors": chunk.error_rows + clashes,
    }

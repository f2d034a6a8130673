"""Who a campaign goes to: the audience (a segment, tags, listed contacts, an import, everyone opted in, or a stage
of an earlier campaign's funnel) turned into recipients, once, in SQL.

    audience_clean        the API's audience object checked (400 naming `audience.<kind>`)
    audience_preview      size, exclusions, cost estimate and a sample, without writing anything
    recipients_materialise   INSERT ... SELECT of every recipient in one statement: deduplicated by identity
                          (Meta's `to`), without people who opted out of the template's category (the consent
                          ledger's state on the contact), without unreachable ones (erased, no identity, or
                          reported "not on WhatsApp" (131026) in the last 30 days); country and time zone from the
                          number's prefix; A/B variants and local send times assigned in the same statement

Contacts are read through a temporary table of candidates (one scan of the audience), from which both the counts
and the insert are taken, so a million contacts take seconds and the memory of the database, not of Python.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet

from apps.contacts.models import ConsentCategory, ConsentState, Contact
from apps.contacts.selectors import access_import, contact_list, contact_query
from apps.core.errors import ApplicationError
from apps.messaging.consent import AUTHENTICATION, MARKETING, UTILITY
from apps.templates.models import Template
from tenants.billing import regions

KINDS = ("segment_id", "tags", "contact_ids", "import_id", "all_opted_in")  # what a member may choose
MAX_CONTACT_IDS = 10_000
MAX_TAGS = 50
UNDELIVERABLE_CODE = 131026  # Meta: the number is not on WhatsApp
UNDELIVERABLE_DAYS = 30
# The funnel stages a retarget can take (apps.campaigns.funnel has their SQL).
STAGES = ("delivered_not_read", "read_not_replied", "failed_retryable", "sent_not_delivered")


def _invalid(kind: str, message: str) -> ApplicationError:
    return ApplicationError("The audience is not valid.", code="validation_error",
                            errors={f"audience.{kind}" if kind else "audience": [message]})


def audience_clean(raw) -> dict:
    """Exactly one kind, with a value that names something of this business (400 otherwise)."""
    if not isinstance(raw, dict):
        raise _invalid("", "An object with exactly one of " + ", ".join(KINDS) + ".")
    given = [kind for kind in KINDS if raw.get(kind) not in (None, False, [], "")]
    unknown = sorted(set(raw) - set(KINDS))
    if unknown:
        raise _invalid(unknown[0], "Unknown audience kind.")
    if len(given) != 1:
        raise _invalid("", "Give exactly one of " + ", ".join(KINDS) + ".")
    kind, value = given[0], raw[given[0]]
    if kind == "segment_id":
        try:
            contact_query(segment=value)
        except ValidationError:
            raise _invalid(kind, "No such segment.") from None
        return {kind: int(value)}
    if kind == "tags":
        if not isinstance(value, list) or not all(isinstance(t, str) and t.strip() for t in value) \
                or len(value) > MAX_TAGS:
            raise _invalid(kind, f"A list of up to {MAX_TAGS} tags.")
        return {kind: sorted({t.strip().lower() for t in value})}
    if kind == "contact_ids":
        if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0
                                                  for i in value) or len(value) > MAX_CONTACT_IDS:
            raise _invalid(kind, f"A list of up to {MAX_CONTACT_IDS:,} contact ids.")
        return {kind: sorted(set(value))}
    if kind == "import_id":
        try:
            access_import(value)
        except Exception:  # Http404, or a value that isn't an id
            raise _invalid(kind, "No such contact import.") from None
        return {kind: int(value)}
    if value is not True:
        raise _invalid(kind, "Must be true.")
    return {kind: True}  # all_opted_in (a retarget's audience is made by campaign_retarget, never given)


def ledger_categories_of(template: Template) -> set[str]:
    """The consent categories a send of `template` must respect (as apps.messaging.consent decides per send)."""
    categories = {c.upper() for c in (template.category, template.pending_category) if c}
    guarded = set()
    for category in categories or {"UNKNOWN"}:
        if category == MARKETING:
            guarded.add(ConsentCategory.MARKETING)
        elif category == UTILITY:
            guarded.add(ConsentCategory.UTILITY)
        elif category != AUTHENTICATION:  # a category we don't know: respect every opt-out
            guarded |= set(ConsentCategory.values)
    return guarded


def _contacts(audience: dict, categories: set[str]) -> QuerySet[Contact] | None:
    kind, value = next(iter(audience.items()))
    if kind == "segment_id":
        return contact_query(segment=value)
    if kind == "tags":
        return contact_list().filter(tags__overlap=value)
    if kind == "contact_ids":
        return contact_list().filter(pk__in=value)
    if kind == "import_id":
        # Contacts the import created or updated (import_id) or found and skipped (-import_id), until a later
        # import touches them.
        return contact_list().filter(import_id__in=[value, -value])
    if kind == "all_opted_in":
        if ConsentCategory.MARKETING in categories:
            return contact_list().filter(marketing_consent=ConsentState.OPTED_IN)
        if ConsentCategory.UTILITY in categories:
            return contact_list().filter(utility_consent=ConsentState.OPTED_IN)
        return contact_list().filter(marketing_consent=ConsentState.OPTED_IN)
    return None


def _audience_sql(audience: dict, categories: set[str]) -> tuple[str, list]:
    """SQL selecting the audience's contact ids."""
    if "retarget" in audience:
        from apps.campaigns.funnel import stage_contacts_sql  # the funnel reads messages; audiences only use it

        return stage_contacts_sql(audience["retarget"]["campaign_id"], audience["retarget"]["stage"])
    queryset = _contacts(audience, categories)
    sql, params = queryset.values("id").query.sql_with_params()
    return sql, list(params)


IDENTITY_SQL = "coalesce(nullif(c.wa_id, ''), nullif(ltrim(coalesce(c.phone, ''), '+'), ''), c.wa_user_id)"


def _candidates(cursor, audience: dict, categories: set[str]) -> None:
    """pg_temp.campaign_candidates: one row per audience contact, with why it would be excluded."""
    sql, params = _audience_sql(audience, categories)
    marketing = ConsentCategory.MARKETING in categories
    utility = ConsentCategory.UTILITY in categories
    cursor.execute("DROP TABLE IF EXISTS pg_temp.campaign_candidates")
    cursor.execute(
        f"""CREATE TEMP TABLE campaign_candidates ON COMMIT DROP AS
            SELECT c.id, {IDENTITY_SQL} AS identity,
                   ((%s AND c.marketing_consent = %s) OR (%s AND c.utility_consent = %s)) AS opted_out,
                   (c.erased_at IS NOT NULL OR {IDENTITY_SQL} IS NULL OR EXISTS (
                       SELECT 1 FROM messaging_message m
                       WHERE m.contact_id = c.id AND m.error_code = %s
                         AND m.failed_at > now() - make_interval(days => %s))) AS unreachable
            FROM contacts_contact c WHERE c.id IN ({sql})""",
        [marketing, ConsentState.OPTED_OUT, utility, ConsentState.OPTED_OUT, UNDELIVERABLE_CODE, UNDELIVERABLE_DAYS,
         *params])
    cursor.execute("ANALYZE campaign_candidates")


_ELIGIBLE = """SELECT DISTINCT ON (identity) id, identity FROM campaign_candidates
               WHERE NOT opted_out AND NOT unreachable ORDER BY identity, id"""


@dataclass(frozen=True)
class Counts:
    audience: int
    opted_out: int
    unreachable: int
    duplicates: int
    recipients: int


def _counts(cursor, *, distinct: bool = True) -> Counts:
    """The candidates' counts; without `distinct` the duplicates are left for the caller (an INSERT's rowcount
    tells them without a second sort)."""
    cursor.execute(f"""SELECT count(*), count(*) FILTER (WHERE opted_out),
                              count(*) FILTER (WHERE unreachable AND NOT opted_out),
                              {"count(DISTINCT identity) FILTER (WHERE NOT opted_out AND NOT unreachable)"
                               if distinct else "0"},
                              count(*) FILTER (WHERE NOT opted_out AND NOT unreachable)
                       FROM campaign_candidates""")
    total, opted_out, unreachable, unique, eligible = cursor.fetchone()
    unique = unique if distinct else eligible
    return Counts(total, opted_out, unreachable, eligible - unique, unique)


@dataclass(frozen=True)
class Preview:
    counts: Counts
    by_country: dict[str, int]
    sample: list[tuple[int, str, str]]  # (contact id, name, to)


def audience_preview(audience: dict, template: Template) -> Preview:
    """What recipients_materialise would make now, without writing: counts, countries (for the estimate) and a
    few sample contacts (for the mapping's preview)."""
    categories = ledger_categories_of(template)
    with transaction.atomic(), connection.cursor() as cursor:
        _candidates(cursor, audience, categories)
        counts = _counts(cursor)
        regions.create_phone_regions_table(cursor)
        join, _ = regions.region_sql("e.identity", alias="region")
        cursor.execute(f"SELECT coalesce(region.country, ''), count(*) FROM ({_ELIGIBLE}) e {join} GROUP BY 1")
        by_country = {row[0] or "": row[1] for row in cursor.fetchall()}
        cursor.execute(f"""SELECT e.id, c.name, e.identity FROM ({_ELIGIBLE}) e
                           JOIN contacts_contact c ON c.id = e.id ORDER BY e.id LIMIT 5""")
        sample = cursor.fetchall()
    return Preview(counts, by_country, sample)


def recipients_analyze() -> None:
    """Fresh planner statistics for the recipients table, once a campaign's recipients are committed. Autovacuum's
    analyze comes minutes later; until then the planner thought the new campaign had one recipient, read each
    batch through the campaign's index and sorted every recipient (24 ms a batch of 16 at 60,000 recipients,
    ten batches a second), instead of reading the due rows in order from `campaign_recipient_due`."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_campaignrecipient")


def recipients_materialise(*, campaign, business_time_zone: str) -> Counts:
    """Insert the campaign's recipients (inside the caller's transaction) and return the counts."""
    variants = list(campaign.variants.order_by("index"))
    categories = set().union(*(ledger_categories_of(v.template) for v in variants))
    ab = campaign.ab_test or {}
    ab_split = len(variants) > 1
    with connection.cursor() as cursor:
        _candidates(cursor, campaign.audience, categories)
        counts = _counts(cursor, distinct=ab_split)  # the split needs the size first; else the INSERT says it
        regions.create_phone_regions_table(cursor)
        join, _ = regions.region_sql("e.identity", alias="region")
        test_size = counts.recipients
        if ab_split:
            test_size = -(-counts.recipients * int(ab.get("test_percent", 100)) // 100)  # ceil
        # A/B variants go by a deterministic shuffle (a second sort); a plain campaign needs no order at all.
        order = "row_number() OVER (ORDER BY md5(e.identity || %(salt)s))" if ab_split else "1"
        local_time = campaign.send_at_local_time.strftime("%H:%M") if campaign.send_at_local_time else None
        cursor.execute(
            f"""INSERT INTO campaigns_campaignrecipient
                    (campaign_id, contact_id, identity, country, time_zone, variant, state, not_before,
                     skip_reason, error_title)
                SELECT %(campaign)s, n.id, n.identity, n.country, n.zone,
                       CASE WHEN n.rn <= %(test_size)s THEN ((n.rn - 1) %% %(variants)s)::smallint END,
                       CASE WHEN n.rn <= %(test_size)s THEN 'pending' ELSE 'held' END,
                       CASE WHEN %(local_time)s::time IS NULL THEN now()
                            ELSE (SELECT CASE WHEN t < now() THEN t + interval '1 day' ELSE t END
                                  FROM (SELECT (date(now() AT TIME ZONE n.zone) + %(local_time)s::time)
                                               AT TIME ZONE n.zone AS t) AS local) END,
                       '', ''
                FROM (SELECT e.id, e.identity, coalesce(region.country, '') AS country,
                             coalesce(nullif(region.time_zone, ''), %(business_zone)s) AS zone,
                             {order} AS rn
                      FROM ({_ELIGIBLE}) e {join}) n""",
            {"campaign": campaign.pk, "test_size": test_size, "variants": len(variants), "local_time": local_time,
             "business_zone": business_time_zone, "salt": str(campaign.pk)})
        inserted = cursor.rowcount
    eligible = counts.recipients + counts.duplicates
    return Counts(counts.audience, counts.opted_out, counts.unreachable, eligible - inserted, inserted)

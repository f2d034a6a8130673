"""The funnel, read from the recipients and their messages (selectors; nothing here writes).

A recipient's stage is its message's status once it has one; before that, its own state. Counts are cumulative
down the funnel (a read message was also sent and delivered), `replied` means the customer wrote to the number
within the campaign's reply window after the message was sent, and failures are grouped by Meta's error code
with an explanation a person can act on (apps.campaigns.reference.errors).
"""
from __future__ import annotations

from django.db import connection

from apps.campaigns.models import Campaign, CampaignRecipient
from apps.campaigns.reference.errors import explain, explain_skip

State = CampaignRecipient.State

# A recipient's message answered within the reply window (an inbound message in its conversation).
REPLIED_SQL = """EXISTS (SELECT 1 FROM messaging_message i
                         WHERE i.conversation_id = m.conversation_id AND i.direction = 'in'
                           AND i.created_at > m.sent_at
                           AND i.created_at <= m.sent_at + make_interval(hours => cmp.reply_window_hours))"""

_COUNTS_SQL = f"""
    SELECT GROUPING(r.variant), r.variant,
           count(*),
           count(*) FILTER (WHERE r.state IN ('pending', 'held')),
           count(*) FILTER (WHERE m.status IN ('queued', 'sending', 'unknown')),
           count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read')),
           count(*) FILTER (WHERE m.status IN ('delivered', 'read')),
           count(*) FILTER (WHERE m.status = 'read'),
           count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read') AND {REPLIED_SQL}),
           count(*) FILTER (WHERE m.status = 'failed'),
           count(*) FILTER (WHERE r.state = 'skipped')
    FROM campaigns_campaignrecipient r
    JOIN campaigns_campaign cmp ON cmp.id = r.campaign_id
    LEFT JOIN messaging_message m ON m.id = r.message_id
    WHERE r.campaign_id = %s
    GROUP BY ROLLUP (r.variant)"""

COUNT_KEYS = ("recipients", "pending", "queued", "sent", "delivered", "read", "replied", "failed", "skipped")


def empty_counts() -> dict:
    return dict.fromkeys(COUNT_KEYS, 0)


def campaign_counts(campaign: Campaign) -> tuple[dict, dict[int, dict]]:
    """The whole campaign's counts and each variant's (A/B), with `excluded` (never became recipients)."""
    total, by_variant = empty_counts(), {}
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [campaign.pk])
        rows = cursor.fetchall()
    for grand_total, variant, *values in rows:
        counts = dict(zip(COUNT_KEYS, values, strict=True))
        if grand_total:
            total = counts
        elif variant is not None:  # the A/B holdout (no variant yet) counts only in the total
            by_variant[variant] = counts
    total["excluded"] = campaign.excluded_opted_out + campaign.excluded_unreachable + campaign.excluded_duplicates
    return total, by_variant


def ab_leader(campaign: Campaign, by_variant: dict[int, dict]) -> int | None:
    """The variant with the best rate of the A/B test's metric over its sent messages (ties: the earlier one)."""
    metric = (campaign.ab_test or {}).get("metric", "read")

    def score(item):
        index, counts = item
        return (counts[metric] / counts["sent"] if counts["sent"] else 0.0, -index)

    return max(by_variant.items(), key=score)[0] if by_variant else None


def campaign_failures(campaign: Campaign) -> list[dict]:
    """Failed and skipped recipients grouped by reason, biggest first, each explained."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT m.error_code, max(m.error_title), count(*)
                          FROM campaigns_campaignrecipient r JOIN messaging_message m ON m.id = r.message_id
                          WHERE r.campaign_id = %s AND m.status = 'failed'
                          GROUP BY m.error_code""", [campaign.pk])
        failed = cursor.fetchall()
        cursor.execute("""SELECT skip_reason, count(*) FROM campaigns_campaignrecipient
                          WHERE campaign_id = %s AND state = 'skipped' GROUP BY skip_reason""", [campaign.pk])
        skipped = cursor.fetchall()
    out = []
    for code, title, count in failed:
        e = explain(code, title or "")
        out.append({"code": str(code) if code is not None else "", "title": e.title, "explanation": e.explanation,
                    "action": e.action, "retryable": e.retryable, "count": count})
    for reason, count in skipped:
        e = explain_skip(reason)
        out.append({"code": reason, "title": e.title, "explanation": e.explanation, "action": e.action,
                    "retryable": e.retryable, "count": count})
    return sorted(out, key=lambda f: -f["count"])


def campaign_cost(campaign: Campaign) -> dict:
    """What Meta charged, by pricing category, from the status webhooks' `pricing` (billable messages)."""
    with connection.cursor() as cursor:
        cursor.execute("""SELECT lower(m.pricing_category), count(*) FILTER (WHERE m.billable), count(*)
                          FROM campaigns_campaignrecipient r JOIN messaging_message m ON m.id = r.message_id
                          WHERE r.campaign_id = %s AND m.pricing_category <> ''
                          GROUP BY 1 ORDER BY 1""", [campaign.pk])
        return {category: {"billable": billable, "priced": priced} for category, billable, priced in cursor.fetchall()}


def _retryable_codes() -> list[int]:
    from apps.campaigns.reference.errors import KNOWN_CODES

    return [code for code in KNOWN_CODES if explain(code).retryable]


STAGE_SQL = {
    "delivered_not_read": "m.status = 'delivered'",
    "read_not_replied": f"m.status = 'read' AND NOT {REPLIED_SQL}",
    "sent_not_delivered": "m.status = 'sent'",
    "failed_retryable": "m.status = 'failed' AND m.error_code = ANY(%s)",
}


def stage_contacts_sql(campaign_id: int, stage: str) -> tuple[str, list]:
    """SQL selecting the contact ids of an earlier campaign's recipients at `stage` (a retarget's audience)."""
    params: list = [campaign_id]
    if stage == "failed_retryable":
        params.append(_retryable_codes())
    return (f"""SELECT r.contact_id FROM campaigns_campaignrecipient r
                JOIN campaigns_campaign cmp ON cmp.id = r.campaign_id
                JOIN messaging_message m ON m.id = r.message_id
                WHERE r.campaign_id = %s AND r.contact_id IS NOT NULL AND {STAGE_SQL[stage]}""", params)


def stage_size(campaign_id: int, stage: str) -> int:
    sql, params = stage_contacts_sql(campaign_id, stage)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) s", params)
        return cursor.fetchone()[0]

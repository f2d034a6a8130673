"""What a campaign costs at Meta, priced by the dated rate card (tenants.billing.rate_card): an estimate
before sending (every recipient delivered, by country and the template's category) and the actual, from what the
status webhooks reported billable."""
from __future__ import annotations

from django.db import connection

from apps.campaigns.models import Campaign
from tenants.billing.rate_card import estimate


def _shape(result) -> dict:
    return {"currency": result.currency, "total": str(result.total), "rate_card_date": result.rate_card_date,
            "lines": [{"country": line.country, "category": line.category, "count": line.count,
                       "rate": str(line.rate), "amount": str(line.amount)} for line in result.lines]}


def estimate_for(by_country: dict[str, int], category: str) -> dict:
    """The estimate for recipients counted by country, all sent one template `category`."""
    return _shape(estimate({(country, category.upper() or "MARKETING"): n for country, n in by_country.items()}))


def campaign_costs(campaign: Campaign) -> dict:
    with connection.cursor() as cursor:
        # The estimate: every recipient (not skipped) at their variant's template category.
        cursor.execute("""SELECT r.country, upper(t.category), count(*)
                          FROM campaigns_campaignrecipient r
                          JOIN campaigns_campaignvariant v ON v.campaign_id = r.campaign_id
                           AND v.index = coalesce(r.variant, %s)
                          JOIN templates_template t ON t.id = v.template_id
                          WHERE r.campaign_id = %s AND r.state <> 'skipped'
                          GROUP BY 1, 2""", [campaign.winner_variant or 0, campaign.pk])
        planned = {(country, category): n for country, category, n in cursor.fetchall()}
        cursor.execute("""SELECT r.country, upper(m.pricing_category), count(*)
                          FROM campaigns_campaignrecipient r JOIN messaging_message m ON m.id = r.message_id
                          WHERE r.campaign_id = %s AND m.billable
                          GROUP BY 1, 2""", [campaign.pk])
        billed = {(country, category): n for country, category, n in cursor.fetchall()}
    return {"estimate": _shape(estimate(planned)), "actual": _shape(estimate(billed))}

"""The dispatcher asks before every batch whether messages of its campaign were queued again (a retry, a crash):
that question reads the few in-flight messages, however many the campaign has sent."""
import uuid
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from apps.campaigns.dispatcher import queued_again
from apps.campaigns.models import Campaign, CampaignRecipient
from apps.campaigns.tests.support import connect_demo, create_campaign, in_schema, template_id
from apps.core.bulk_copy import copy_insert
from apps.messaging.models import Message
from apps.whatsapp.models import PhoneNumber

SENT = 20_000


def test_the_campaign_s_queued_retries_are_found_among_thousands_sent_through_the_in_flight_index(alpha,
                                                                                                 graph_sandbox):
    number_id = connect_demo(alpha, graph_sandbox)
    created = create_campaign(alpha.client(alpha.owner), number_id, template_id(alpha))
    with in_schema(alpha):
        campaign = Campaign.objects.get(pk=created["id"])
        number = PhoneNumber.objects.get(phone_number_id=number_id)
        rows = [{"id": uuid.uuid4(), "phone_number_id": number.pk, "to": f"1650{i:07d}", "type": "template",
                 "payload": {}, "status": "queued" if i < 4 else "delivered", "wamid": None if i < 4 else f"w.{i}"}
                for i in range(SENT + 4)]
        copy_insert(Message, rows)
        due, later = timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(minutes=5)
        CampaignRecipient.objects.bulk_create(
            [CampaignRecipient(campaign=campaign, identity=row["to"], state="queued", message_id=row["id"],
                               not_before=later if i == 3 else due) for i, row in enumerate(rows)], batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE messaging_message; ANALYZE campaigns_campaignrecipient")

        sending = [rows[0]["id"]]
        assert set(queued_again(campaign, sending=sending)) == {rows[1]["id"], rows[2]["id"]}  # not sending, not later
        sql, params = queued_again(campaign, sending=sending).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    assert "msg_in_flight" in str(plan)
    assert plan["Plan"]["Shared Hit Blocks"] + plan["Plan"].get("Shared Read Blocks", 0) < 100  # of ~700 pages

"""Webhook ingress: how Meta's events get from the one public endpoint into each business's handlers.

In the order an event travels:
- webhook_api.py: the endpoint (public host): verify the signature, store raw, answer 200 at once;
- store.py: the raw store (`WebhookEvent`, one INSERT ... ON CONFLICT per POST), a router woken after commit;
- wake.py: at most one router task published per wake-up (a Redis flag), not one per event;
- claim.py: routers claim due events in batches (FOR UPDATE SKIP LOCKED, leases, order per number);
- tasks.py: the router task (woken, and run by beat every few seconds) and the one-event route task;
- router.py: split an event into `WebhookChange` rows, route each, run its handler in the business's schema;
- routes.py: routing keys: checked, then phone_number_id / WABA id -> business (cached);
- registry.py: field -> handler; the tenant apps register theirs (apps.webhooks), so ingress imports none;
- replay.py: route unroutable or failed changes again (`manage.py replay_webhooks`);
- retention.py: redact old bodies, delete old changes (beat);
- models.py: WebhookEvent / WebhookChange (models of the `tenants` app).
"""

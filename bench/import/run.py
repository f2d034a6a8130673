"""Contact import benchmark: rows/s of the real CSV import vs a raw PostgreSQL COPY of the same file.

For each size (default 100,000 and 1,000,000 rows) it writes a realistic CSV (Indian numbers in five
national and international formats, some UK ones, names, emails, tags, a city attribute, ~0.5% bad
rows and ~1% duplicate numbers), then, in the same run and on the same server:

  1. raw COPY: the file's bytes streamed into `COPY plain_copy FROM STDIN (FORMAT csv, HEADER)` of a
     plain table (text columns, no indexes, no validation) - the floor nobody can beat;
  2. the import: `import_create` (the POST's work: check, store the file) and then the job itself,
     `import_run`, timed, in a fresh business (tenant), in a child process whose peak RSS is reported
     (the file is streamed: memory must not grow with the file).

It prints rows/s for both, their ratio, the job's counts (they must match the file) and the time to
count a few segments on the imported contacts. Runs against its own database,
`<DATABASE_URL's name>_bench_import`, created and dropped here.
Usage (from the repository root): python -m bench.import.run [--sizes 100000,1000000] [--keep-files]
"""
import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from bench.common import bench_database

FIRST = ["Aarav", "Vivaan", "Aditya", "Ananya", "Diya", "Ishaan", "Kavya", "Meera", "Rohan", "Saanvi", "Arjun",
         "Priya", "Rahul", "Neha", "Vikram", "Pooja", "Amit", "Sneha", "Karan", "Riya", "José", "Zoë", "Chen"]
LAST = ["Sharma", "Verma", "Iyer", "Nair", "Reddy", "Patel", "Gupta", "Khan", "Singh", "Das", "Mehta", "Rao",
        "Kulkarni", "Joshi", "Bose", "Menon", "Pillai", "D'Souza", "Fernandes", "Smith"]
TAGS = ["vip", "lead", "diwali-2025", "repeat buyer", "wholesale", "newsletter", "cod", "prepaid"]
CITIES = ["Mumbai", "Delhi", "Bengaluru", "Pune", "Chennai", "Hyderabad", "Kolkata", "Jaipur", "Kochi", "Goa"]
HEADER = ["Phone Number", "Full Name", "Email", "Tags", "City"]


def _phone(rng: random.Random, i: int) -> str:
    digits = str(6_000_000_000 + (i * 7_919 + 12_345) % 3_999_999_999)  # unique Indian mobiles for i < 4e9
    a, b = digits[:5], digits[5:]
    shape = rng.random()
    if shape < 0.35:
        return f"+91 {a} {b}"
    if shape < 0.60:
        return digits
    if shape < 0.75:
        return f"0{a}-{b}"
    if shape < 0.85:
        return f"+91-{digits}"
    if shape < 0.95:
        return f"91{digits}"
    return f"+44 74{digits[2:4]} {digits[4:10]}"  # a UK mobile (074xx: allocated, unlike 076xx pagers)


def write_csv(path: Path, rows: int, seed: int = 42) -> dict:
    """Stream `rows` data rows to `path`; returns how many bad and duplicate rows were planted."""
    rng = random.Random(seed)
    bad = duplicates = 0
    recent: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            roll = rng.random()
            if roll < 0.005:
                phone, bad = rng.choice(["12345", "not known", "+91 98765", ""]), bad + 1
            elif roll < 0.015 and recent:
                phone, duplicates = rng.choice(recent), duplicates + 1
            else:
                phone = _phone(rng, i)
                if len(recent) < 1000:
                    recent.append(phone)
                elif rng.random() < 0.01:
                    recent[rng.randrange(1000)] = phone
            email = f"{first}.{last}{i}@example.com".lower().replace("'", "") if rng.random() < 0.6 else ""
            tags = ", ".join(rng.sample(TAGS, rng.randint(0, 3)))
            city = rng.choice(CITIES) if rng.random() < 0.7 else ""
            writer.writerow([phone, f"{first} {last}", email, tags, city])
    return {"bad": bad, "duplicates": duplicates}


def raw_copy(url: str, path: Path) -> float:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS plain_copy")
        conn.execute("CREATE TABLE plain_copy (phone text, name text, email text, tags text, city text)")
        started = time.perf_counter()
        with conn.cursor() as cur, path.open("rb") as f:
            with cur.copy("COPY plain_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while block := f.read(1 << 20):
                    copy.write(block)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE plain_copy")
    return elapsed


def parsed_copy(url: str, path: Path) -> float:
    """The reference's "COPY" (style-performance-reliability.md B4): rows parsed by Python's csv module,
    sent with psycopg's copy.write_row, into the same plain table. No validation either."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS plain_copy")
        conn.execute("CREATE TABLE plain_copy (phone text, name text, email text, tags text, city text)")
        started = time.perf_counter()
        with conn.cursor() as cur, path.open(newline="", encoding="utf-8") as f:
            rows = csv.reader(f)
            next(rows)
            with cur.copy("COPY plain_copy FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE plain_copy")
    return elapsed


def _setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convonest.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    django.setup()


def child(args) -> int:
    """One import in a fresh process, so its peak RSS is the import's own."""
    _setup_django()
    from django.conf import settings
    from django.core.files import File
    from django_tenants.utils import schema_context

    from apps.contacts import tasks
    from apps.contacts.imports import import_create, import_run
    from apps.contacts.models import ContactImport

    settings.CONTACT_IMPORT_ROOT = args.storage
    tasks.contact_import_run.delay = lambda *a, **k: None  # the bench runs the job itself, timed
    phases: dict = {}
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with schema_context(args.schema):
        started = time.perf_counter()
        with open(args.csv, "rb") as f:
            upload = File(f, name=Path(args.csv).name)
            job = import_create(upload=upload, mapping=None, on_existing="update", tags=["bench"], encoding=None,
                                actor_email="bench@example.com")
        accepted = time.perf_counter() - started
        started = time.perf_counter()
        cpu_started = time.process_time()
        import_run(import_id=job.pk, phases=phases)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        job = ContactImport.objects.get(pk=job.pk)
    print(json.dumps({
        "accept_seconds": accepted, "job_seconds": elapsed, "phases": phases, "python_cpu_seconds": cpu,
        "status": job.status, "failure": job.failure,
        "total_rows": job.total_rows, "created": job.created, "updated": job.updated, "skipped": job.skipped,
        "duplicates": job.duplicates, "errors": job.errors, "baseline_rss_kb": baseline_kb,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
    return 0


def _new_tenant(slug: str) -> str:
    from tenants import services

    services._refill_pool_later = lambda: None
    result = services.tenant_signup(business_name=slug, slug=slug, email=f"{slug}@bench.example",
                                    password="bench-passphrase-1")
    from django_tenants.utils import schema_context

    from apps.contacts.services import attribute_definition_create, contact_settings_update

    with schema_context(result.tenant.schema_name):
        contact_settings_update(default_region="IN")
        attribute_definition_create(key="city", label="City", type="text", choices=[])
    return result.tenant.schema_name


def _segment_timings(schema: str) -> list[tuple[str, int, float]]:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from apps.contacts.selectors import contact_query

    filters = {
        "tag vip": {"all": [{"field": "tags", "op": "any", "value": ["vip"]}]},
        "tags vip AND lead": {"all": [{"field": "tags", "op": "all", "value": ["vip", "lead"]}]},
        "city = Pune": {"all": [{"field": "attribute", "key": "city", "op": "eq", "value": "Pune"}]},
        "marketing not opted out, city set": {"all": [
            {"field": "consent", "category": "marketing", "op": "is_not", "value": "opted_out"},
            {"field": "attribute", "key": "city", "op": "is_set"}]},
        "inbound within 7 days": {"all": [{"field": "last_inbound_at", "op": "within_days", "value": 7}]},
        "(vip OR wholesale) AND NOT cod": {"all": [
            {"any": [{"field": "tags", "op": "any", "value": ["vip"]},
                     {"field": "tags", "op": "any", "value": ["wholesale"]}]},
            {"field": "tags", "op": "none", "value": ["cod"]}]},
    }
    results = []
    with schema_context(schema):
        with connection.cursor() as cursor:  # some recent activity, as the messaging module would write
            cursor.execute("UPDATE contacts_contact SET last_inbound_at = %s WHERE id %% 50 = 0",
                           [timezone.now() - timedelta(days=2)])
            cursor.execute("ANALYZE contacts_contact")
        for label, document in filters.items():
            queryset = contact_query(filter_document=document)
            queryset.count()  # warm
            started = time.perf_counter()
            count = queryset.count()
            results.append((label, count, (time.perf_counter() - started) * 1000))
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--keep-files", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--csv", help=argparse.SUPPRESS)
    parser.add_argument("--schema", help=argparse.SUPPRESS)
    parser.add_argument("--storage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    workdir = Path(tempfile.mkdtemp(prefix="cn-bench-import-"))
    try:
        with bench_database("bench_import") as bench_url:
            os.environ["DATABASE_URL"] = bench_url
            return _run([int(s) for s in args.sizes.split(",")], bench_url, workdir)
    finally:
        if not args.keep_files:
            for path in sorted(workdir.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            workdir.rmdir()


def _run(sizes: list[int], bench_url: str, workdir: Path) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate_schemas", interactive=False, verbosity=0)
    rows = []
    for size in sizes:
        path = workdir / f"contacts-{size}.csv"
        planted = write_csv(path, size)
        copy_seconds = raw_copy(bench_url, path)
        parsed_seconds = parsed_copy(bench_url, path)
        schema = _new_tenant(f"bench-{size}")
        child = subprocess.run([sys.executable, "-m", "bench.import.run", "--child", "--csv", str(path),
                                "--schema", schema, "--storage", str(workdir / "storage")],
                               capture_output=True, text=True, env={**os.environ},
                               cwd=Path(__file__).resolve().parents[2])
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            return 1
        result = json.loads(child.stdout.strip().splitlines()[-1])
        assert result["status"] == "done", result
        assert result["total_rows"] == size
        assert result["errors"] >= planted["bad"], result  # a planted duplicate of a bad number is an error too
        assert result["created"] + result["updated"] + result["skipped"] + result["duplicates"] + \
            result["errors"] == size
        timings = _segment_timings(schema) if size <= 1_000_000 else []
        rows.append((size, path.stat().st_size, copy_seconds, result, planted, timings, parsed_seconds))

    print("\ncontact import benchmark (same file, same PostgreSQL, this run)")
    print(f"{'rows':>10} | {'file':>7} | {'raw COPY':>19} | {'import job':>19} | {'ratio':>5} | "
          f"{'POST':>6} | peak RSS (child, baseline)")
    for size, file_bytes, copy_s, r, _, _, _ in rows:
        job_rate, copy_rate = size / r["job_seconds"], size / copy_s
        print(f"{size:>10,} | {file_bytes / 1e6:>5.1f}MB | {copy_s:>6.2f} s {copy_rate:>8,.0f}/s | "
              f"{r['job_seconds']:>6.2f} s {job_rate:>8,.0f}/s | {job_rate / copy_rate:>5.2f} | "
              f"{r['accept_seconds']:>5.2f}s | {r['peak_rss_kb'] / 1024:.0f} MB ({r['baseline_rss_kb'] / 1024:.0f} MB)")
    for size, _, _, r, planted, timings, parsed_s in rows:
        print(f"\n{size:,} rows: COPY of the rows parsed in Python (csv + psycopg write_row, the reference's "
              f"method): {parsed_s:.2f} s, {size / parsed_s:,.0f}/s; import / that = "
              f"{parsed_s / r['job_seconds']:.2f}")
        phases = r["phases"]
        database = sum(v for k, v in phases.items() if k.startswith("db_"))
        print(f"{size:,} rows: phases of the {r['job_seconds']:.2f} s job (reader and database overlap): the reader "
              f"thread's CPU {phases.get('reader_cpu', 0):.2f} s (CSV, validation, formatting); the writer waited "
              f"{phases.get('wait_reader', 0):.2f} s for it; database {database:.2f} s = "
              + ", ".join(f"{k[3:]} {v:.2f}" for k, v in sorted(phases.items()) if k.startswith("db_"))
              + f"; setup {phases.get('setup', 0):.2f} s; the job process's CPU {r['python_cpu_seconds']:.2f} s")
        print(f"{size:,} rows: created {r['created']:,}, updated {r['updated']:,}, duplicates {r['duplicates']:,} "
              f"(planted {planted['duplicates']:,}), errors {r['errors']:,} (planted {planted['bad']:,})")
        for label, count, ms in timings:
            print(f"  segment count {label:<36} {count:>9,} contacts in {ms:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

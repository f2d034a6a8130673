"""The import's fast-path details: rows staged in identity order, and the job's phase timings."""
import io

from apps.contacts import imports
from apps.contacts.import_rows import RowReader, read_chunks
from apps.contacts.models import Contact
from apps.contacts.tests.conftest import in_schema, set_region, start_import

UNSORTED = (
    "phone,wa_user_id,name\n"
    "+919876543219,,Zed\n"
    ",user.b,Only user B\n"
    "+919876543211,,Ann\n"
    ",user.a,Only user A\n"
    "+447400123456,,Uk\n"
    "+919876543211,,Ann again\n"  # a duplicate: merged before staging, not staged twice
)


def test_a_chunk_is_staged_in_identity_order_phones_first():
    reader = RowReader(headers=["phone", "wa_user_id", "name"], mapping={"phone": "phone", "wa_user_id": "wa_user_id",
                       "name": "name"}, definitions=[], default_region="IN", extra_tags=[])

    [chunk] = read_chunks(io.StringIO(UNSORTED), reader=reader, delimiter=",", chunk_rows=100)

    staged = [line.split("\t") for line in chunk.payload.decode().splitlines()]
    assert [(row[1], row[2]) for row in staged] == [
        ("+447400123456", "\\N"), ("+919876543211", "\\N"), ("+919876543219", "\\N"),
        ("\\N", "user.a"), ("\\N", "user.b")]
    assert [row[0] for row in staged] == ["6", "4", "2", "5", "3"]  # row numbers travel with their rows
    assert (chunk.rows, chunk.duplicates) == (6, 1)


def test_the_job_reports_where_its_time_went(owner, alpha, monkeypatch):
    set_region(alpha, "IN")
    monkeypatch.setattr(imports, "MIN_CHUNK", 2)
    monkeypatch.setattr(imports, "MAX_CHUNK", 2)
    job_id = start_import(owner, UNSORTED).json()["id"]
    phases: dict = {}

    with in_schema(alpha):
        imports.import_run(import_id=job_id, phases=phases)
        assert Contact.objects.filter(phone="+919876543211", name="Ann").exists()

    assert {"setup", "reader_cpu", "wait_reader", "db_copy_staging", "db_upsert", "db_counters", "total"} <= set(phases)
    assert all(seconds >= 0 for seconds in phases.values())
    assert phases["db_upsert"] < phases["total"]

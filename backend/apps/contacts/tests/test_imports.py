"""CSV imports: exact counts for messy files, clear refusals for unusable ones, live and resumable jobs."""
import csv
import io
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.contacts import import_sql, imports
from apps.contacts.models import Contact, ContactImport, ContactImportError
from apps.contacts.tests.conftest import (
    define,
    import_now,
    in_schema,
    make_contact,
    run_import,
    set_region,
    start_import,
)

MESSY = (
    "Phone Number,Full Name,E-mail,Tags,City,Age\n"
    '98765 43210,Asha,asha@x.in,"VIP, lead",Pune,30\n'  # 2 new
    "+91 98765 43211,Ravi,,lead,,\n"  # 3 updates an existing contact
    "12345,Bad Phone,,,,\n"  # 4 error: phone
    "098765-43210,,asha2@x.in,cold,Mumbai,31\n"  # 5 duplicate of row 2: fills blanks only
    "\n"  # 6 blank: not a row
    "9876543212,Bad Email,not-an-email,,,\n"  # 7 error: email
    "9876543213,Bad Age,,,,forty\n"  # 8 error: age
    ",No Phone,,,,\n"  # 9 error: no identity
    "9876543214,Meera,,,Delhi,\n"  # 10 new
    "+919876543214,Meera K,meera@x.in,,,\n"  # 11 duplicate of row 10
)


@pytest.fixture
def messy_business(alpha):
    set_region(alpha, "IN")
    define(alpha, "city", label="City")
    define(alpha, "age", "number")
    make_contact(alpha, phone="+919876543211", name="Old name", email="ravi@old.in", tags=["old"])
    return alpha


def _by_phone(business) -> dict[str, Contact]:
    with in_schema(business):
        return {c.phone: c for c in Contact.objects.all()}


def _report(client, job_id) -> list[list[str]]:
    response = client.get(f"/api/contacts/imports/{job_id}/errors.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("chunk", [2, 3, 2000])  # rows per chunk: duplicates across chunk boundaries too
def test_a_file_mixing_good_bad_and_duplicate_rows_counts_exactly(owner, messy_business, monkeypatch, chunk):
    monkeypatch.setattr(imports, "MIN_CHUNK", chunk)
    monkeypatch.setattr(imports, "MAX_CHUNK", chunk)

    job = import_now(owner, messy_business, MESSY)

    assert job.status == "done"
    assert (job.total_rows, job.processed_rows, job.created, job.updated, job.skipped, job.duplicates, job.errors) == \
        (9, 9, 2, 1, 0, 2, 4)
    contacts = _by_phone(messy_business)
    assert set(contacts) == {"+919876543210", "+919876543211", "+919876543214"}
    asha, ravi, meera = contacts["+919876543210"], contacts["+919876543211"], contacts["+919876543214"]
    assert (asha.name, asha.email, asha.tags, asha.attributes) == ("Asha", "asha@x.in", ["cold", "lead", "vip"],
                                                                   {"city": "Pune", "age": 30})
    assert (ravi.name, ravi.email, ravi.tags) == ("Ravi", "ravi@old.in", ["lead", "old"])  # blanks don't erase
    assert (meera.name, meera.email, meera.attributes) == ("Meera", "meera@x.in", {"city": "Delhi"})
    assert _report(owner, job.pk) == [
        ["row", "column", "value", "reason"],
        ["4", "Phone Number", "12345", "phone: not a valid number for IN"],
        ["7", "E-mail", "not-an-email", "not an email address"],
        ["8", "Age", "forty", "age: not a number (use digits and a dot for decimals, no thousands separators)"],
        ["9", "Phone Number", "", "no phone number or WhatsApp user id"],
    ]
    body = owner.get(f"/api/contacts/imports/{job.pk}/").json()
    assert body["progress"] == 100.0 and body["error_report_url"] == f"/api/contacts/imports/{job.pk}/errors.csv"
    assert body["mapping"] == {"Phone Number": "phone", "Full Name": "name", "E-mail": "email", "Tags": "tags",
                               "City": "city", "Age": "age"}


def test_skip_leaves_existing_contacts_untouched(owner, messy_business):
    job = import_now(owner, messy_business, MESSY, on_existing="skip", tags=["diwali-2026"])

    assert (job.created, job.updated, job.skipped, job.duplicates, job.errors) == (2, 0, 1, 2, 4)
    contacts = _by_phone(messy_business)
    assert (contacts["+919876543211"].name, contacts["+919876543211"].tags) == ("Old name", ["old"])
    assert contacts["+919876543210"].tags == ["cold", "diwali-2026", "lead", "vip"]


def test_a_reimport_of_the_same_file_updates_instead_of_creating(owner, messy_business):
    import_now(owner, messy_business, MESSY)
    again = import_now(owner, messy_business, MESSY)

    assert (again.created, again.updated, again.duplicates, again.errors) == (0, 3, 2, 4)
    with in_schema(messy_business):
        assert Contact.objects.count() == 3


def test_a_mapping_renames_columns_ignores_others_and_adds_tags(owner, alpha):
    set_region(alpha, "GB")
    define(alpha, "plan", "choice", ["Gold", "Silver"])
    content = "Mob,First,Last,Tier,Notes,bsuid\n07911 123456,Ann,Lee,gold,call later,GB.1\n"

    job = import_now(owner, alpha, content, mapping={"Mob": "phone", "Tier": "plan", "Notes": "ignore"},
                     tags="imported,Spring")

    assert (job.created, job.errors) == (1, 0)
    assert job.mapping == {"Mob": "phone", "First": "first_name", "Last": "last_name", "Tier": "plan",
                           "Notes": "ignore", "bsuid": "wa_user_id"}
    contact = _by_phone(alpha)["+447911123456"]
    assert (contact.name, contact.wa_user_id, contact.attributes, contact.tags) == (
        "Ann Lee", "GB.1", {"plan": "Gold"}, ["imported", "spring"])


def test_rows_with_only_a_user_id_and_user_id_clashes(owner, alpha):
    make_contact(alpha, phone="+919876543299", wa_user_id="IN.taken")
    content = ("phone,wa_user_id,name\n"
               ",IN.new,Only id\n"
               "+919876543210,IN.taken,Clash\n"
               "+919876543211,IN.two,Two\n"
               ",IN.two,Two again\n")

    job = import_now(owner, alpha, content)

    assert (job.created, job.duplicates, job.errors) == (2, 1, 1)
    with in_schema(alpha):
        assert Contact.objects.get(wa_user_id="IN.new").phone is None
        assert Contact.objects.get(wa_user_id="IN.two").phone == "+919876543211"
        line = ContactImportError.objects.get(contact_import_id=job.pk)
    assert (line.row_number, line.value) == (3, "IN.taken")
    assert line.reason.startswith("this WhatsApp user id belongs to another contact")


@pytest.mark.parametrize(("content", "fields", "code", "message"), [
    ("", {}, "empty_file", "The file is empty."),
    ("\n\n  \n", {}, "empty_file", "The file is empty."),
    ("+919876543210,Asha\n+919876543211,Ravi\n", {}, "no_header",
     "The first row looks like data ('+919876543210'), not column names. Add a header row, e.g. phone,name,email."),
    ("phone,name,Phone\n1,2,3\n", {}, "duplicate_columns", "Columns appear twice: phone. Rename them."),
    ("name,email\nAsha,a@b.in\n", {}, "no_identity_column",
     "No column is mapped to phone (or wa_user_id), so contacts can't be matched. Map the column that holds the "
     "WhatsApp numbers to phone."),
    ("phone,name\n1,2\n", {"mapping": {"phone": "ignore"}}, "no_identity_column", None),
    ("phone,name\n1,2\n", {"mapping": {"Mobile": "phone"}}, "unknown_columns",
     "The file has no column named 'Mobile'. Its columns are: phone, name."),
    ("phone,name\n1,2\n", {"mapping": {"name": "nickname"}}, "unknown_mapping_target",
     "Unknown field or attribute: 'nickname'. Map columns to phone, wa_user_id, name, first_name, last_name, email, "
     "language, tags, an attribute key, or \"ignore\"."),
    ("phone,mobile\n1,2\n", {}, "duplicate_mapping_target",
     "Several columns map to phone (phone, mobile); keep one, ignore the others."),
    ("phone,name\n+919876543210,Jos\xe9\n".encode("cp1252"), {}, "unsupported_encoding",
     "The file is not UTF-8 (line 2 has a byte that isn't). Save it as \"CSV UTF-8\" (Excel, Numbers and Google "
     "Sheets offer it), or tell us its encoding, e.g. cp1252 for Excel's \"CSV (Comma delimited)\" on Windows."),
])
def test_unusable_files_are_refused_with_a_clear_reason(owner, alpha, content, fields, code, message):
    response = start_import(owner, content, **fields)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    if message:
        assert response.json()["message"] == message
    with in_schema(alpha):
        assert not ContactImport.objects.exists()


def test_an_encoding_named_by_the_uploader_is_used(owner, alpha):
    job = import_now(owner, alpha, "phone,name\n+919876543210,Jos\xe9 Mu\xf1oz\n".encode("cp1252"), encoding="cp1252")

    assert (job.created, job.encoding) == (1, "cp1252")
    assert _by_phone(alpha)["+919876543210"].name == "José Muñoz"


@pytest.mark.parametrize(("content", "delimiter"), [
    ("\ufeffphone;name\n+919876543210;Zoë\n".encode(), ";"),  # UTF-8 with BOM, European Excel
    ("phone\tname\n+919876543210\tZoë\n".encode("utf-16"), "\t"),  # Excel "Unicode text"
])
def test_bom_utf16_and_other_delimiters(owner, alpha, content, delimiter):
    job = import_now(owner, alpha, content)

    assert (job.created, job.errors, job.delimiter) == (1, 0, delimiter)
    assert _by_phone(alpha)["+919876543210"].name == "Zoë"


def test_bad_bytes_late_in_a_utf8_file_fail_only_their_rows(owner, alpha, monkeypatch):
    from apps.contacts import csv_files

    monkeypatch.setattr(csv_files, "SAMPLE_BYTES", 40)  # the check reads only the start of a file
    content = (b"phone,name\n+919876543210,Asha\n" + b"+919876543211,Jos\xe9\n" +
               b"+919876543212,Ravi\n")

    job = import_now(owner, alpha, content)

    assert (job.created, job.errors) == (2, 1)
    assert _report(owner, job.pk)[1] == ["3", "", "", "has bytes that are not valid in the file's encoding"]


def test_a_header_only_file_imports_nothing(owner, alpha):
    job = import_now(owner, alpha, "phone,name\n")

    assert (job.status, job.total_rows, job.created) == ("done", 0, 0)
    assert owner.get(f"/api/contacts/imports/{job.pk}/").json()["error_report_url"] is None


def test_the_inspect_step_suggests_a_mapping(owner, alpha):
    define(alpha, "loyalty_tier", label="Loyalty tier")
    content = "Mobile No.,Customer Name,Loyalty Tier,loyalty_tier2,Surname\n+919876543210,Asha,Gold,x,Rao\n"

    response = owner.post("/api/contacts/imports/inspect/", {"file": io.BytesIO(content.encode())},
                          format="multipart")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suggested_mapping"] == {"Mobile No.": "phone", "Customer Name": "name",
                                         "Loyalty Tier": "loyalty_tier", "loyalty_tier2": "ignore",
                                         "Surname": "last_name"}
    assert body["sample_rows"] == [["+919876543210", "Asha", "Gold", "x", "Rao"]]
    assert {"value": "loyalty_tier", "label": "Loyalty tier", "kind": "attribute"} in body["targets"]


def test_an_interrupted_import_resumes_after_its_last_chunk(owner, messy_business, monkeypatch):
    monkeypatch.setattr(imports, "MIN_CHUNK", 3)
    monkeypatch.setattr(imports, "MAX_CHUNK", 3)
    response = start_import(owner, MESSY)
    job_id = response.json()["id"]
    real_save = import_sql.save_chunk
    calls = []

    def dies_on_the_second_chunk(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stands in for a killed worker: nothing after this runs
        return real_save(**kwargs)

    monkeypatch.setattr(import_sql, "save_chunk", dies_on_the_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        run_import(messy_business, job_id)
    with in_schema(messy_business):
        assert ContactImport.objects.get(pk=job_id).processed_rows == 3
        ContactImport.objects.filter(pk=job_id).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    monkeypatch.setattr(import_sql, "save_chunk", real_save)

    job = run_import(messy_business, job_id)  # the redelivered task

    assert (job.status, job.processed_rows, job.created, job.updated, job.duplicates, job.errors) == \
        ("done", 9, 2, 1, 2, 4)


def test_a_running_import_is_not_taken_twice(owner, messy_business):
    job_id = start_import(owner, MESSY).json()["id"]
    with in_schema(messy_business):
        ContactImport.objects.filter(pk=job_id).update(status="running", heartbeat_at=timezone.now())

    job = run_import(messy_business, job_id)

    assert (job.status, job.processed_rows) == ("running", 0)


def test_a_failing_import_says_so_keeps_saved_rows_and_deletes_the_file(owner, messy_business, monkeypatch):
    monkeypatch.setattr(imports, "MIN_CHUNK", 3)
    monkeypatch.setattr(imports, "MAX_CHUNK", 3)
    job_id = start_import(owner, MESSY).json()["id"]
    with in_schema(messy_business):
        path = imports.import_file_open(ContactImport.objects.get(pk=job_id).file_path).name
    real_save = import_sql.save_chunk
    calls = []

    def breaks(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_save(**kwargs)

    monkeypatch.setattr(import_sql, "save_chunk", breaks)

    job = run_import(messy_business, job_id)

    assert job.status == "failed" and job.processed_rows == 3
    assert job.failure.startswith("The import stopped unexpectedly.")
    assert not os.path.exists(path)


def test_the_uploaded_file_is_stored_per_business_and_removed_when_done(owner, alpha, settings):
    job_id = start_import(owner, "phone\n+919876543210\n").json()["id"]
    with in_schema(alpha):
        stored = ContactImport.objects.get(pk=job_id).file_path
    assert stored.startswith(f"{alpha.tenant.schema_name}/")
    assert os.path.exists(os.path.join(settings.CONTACT_IMPORT_ROOT, stored))

    run_import(alpha, job_id)

    assert not os.path.exists(os.path.join(settings.CONTACT_IMPORT_ROOT, stored))


def test_imports_are_listed_newest_first(owner, alpha):
    first = start_import(owner, "phone\n+919876543210\n").json()["id"]
    second = start_import(owner, "phone\n+919876543211\n").json()["id"]

    listed = owner.get("/api/contacts/imports/").json()["results"]

    assert [j["id"] for j in listed] == [second, first]
    assert listed[0]["status"] == "queued" and listed[0]["progress"] == 0.0


def test_a_finished_import_can_be_deleted_with_its_error_report(owner, alpha):
    running = start_import(owner, "phone\n+919876543210\n").json()["id"]
    done = import_now(owner, alpha, "phone\nnot-a-number\n+919876543211\n")

    refused = owner.delete(f"/api/contacts/imports/{running}/")
    deleted = owner.delete(f"/api/contacts/imports/{done.pk}/")

    assert refused.status_code == 409 and refused.json()["code"] == "import_running"
    assert deleted.status_code == 204
    with in_schema(alpha):
        assert not ContactImportError.objects.exists()
        assert Contact.objects.filter(phone="+919876543211").exists()  # the contacts stay

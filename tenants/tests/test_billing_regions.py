"""A recipient's country and time zone from their number's digits: Python and SQL give the same answers."""
import pytest
from django.db import connection, transaction

from apps.core.time_zones import TIME_ZONE_SET
from tenants.billing.regions import create_phone_regions_table, prefix_table, region_of, region_sql

SAMPLES = {
    "919876543210": ("IN", "Asia/Kolkata"),  # phonenumbers says Asia/Calcutta: the country's own name wins
    "12125551234": ("US", "America/New_York"),  # Manhattan
    "13055551234": ("US", "America/New_York"),  # Miami
    "14155551234": ("US", "America/Los_Angeles"),  # San Francisco
    "13105551234": ("US", "America/Los_Angeles"),  # not Canada's 7-digit 310-xxxx service lines
    "13125551234": ("US", "America/Chicago"),
    "16045551234": ("CA", "America/Vancouver"),
    "14165551234": ("CA", "America/Toronto"),
    "18765551234": ("JM", "America/Jamaica"),
    "447911123456": ("GB", "Europe/London"),
    "442071234567": ("GB", "Europe/London"),
    "5511987654321": ("BR", "America/Sao_Paulo"),
    "5592987654321": ("BR", "America/Manaus"),
    "4915112345678": ("DE", "Europe/Berlin"),
    "77011234567": ("KZ", "Asia/Almaty"),  # +7 shared with Russia
    "74951234567": ("RU", "Europe/Moscow"),
    "5997123456": ("BQ", "America/Kralendijk"),  # +599 shared with Curaçao
    "2135551234": ("DZ", "Africa/Algiers"),  # phonenumbers says Europe/Paris, which has daylight saving
    "8001234567": ("", ""),  # international freephone: no country
    "999123456": ("", ""),  # no such country code
    "": ("", ""),
}


@pytest.mark.parametrize("digits, expected", SAMPLES.items())
def test_region_of_knows_country_and_zone_from_the_first_digits(digits, expected):
    assert region_of(digits) == expected


def test_a_shared_code_without_its_area_code_reads_as_its_main_country():
    assert region_of("1") == ("US", "America/New_York")
    assert region_of("7") == ("RU", "Europe/Moscow")
    assert region_of("55") == ("BR", "America/Sao_Paulo")


def test_every_zone_is_one_the_api_accepts():
    zones = {zone for _country, zone in prefix_table().values()}
    assert zones <= TIME_ZONE_SET
    assert "" not in zones  # every geographic country code has a zone


@pytest.mark.django_db
def test_sql_gives_the_same_answers_as_python():
    digits_expr = "coalesce(nullif(c.wa_id, ''), ltrim(c.phone, '+'))"
    join, selects = region_sql(digits_expr)
    numbers = list(SAMPLES)
    with transaction.atomic(), connection.cursor() as cursor:
        create_phone_regions_table(cursor)
        cursor.execute(
            f"SELECT c.n, {selects} FROM unnest(%s::text[], %s::text[], %s::text[]) AS c(n, wa_id, phone) {join}",
            # Half by wa_id, half by phone (with its "+"), like contacts with and without a WhatsApp id.
            [numbers, [n if i % 2 else "" for i, n in enumerate(numbers)],
             [f"+{n}" if not i % 2 else "" for i, n in enumerate(numbers)]],
        )
        got = {number: (country, zone) for number, country, zone in cursor.fetchall()}
    assert got == {number: region_of(number) for number in numbers}


@pytest.mark.django_db
def test_sql_gives_nothing_for_a_contact_without_digits():
    join, selects = region_sql("c.digits")
    with transaction.atomic(), connection.cursor() as cursor:
        create_phone_regions_table(cursor)
        cursor.execute(f"SELECT {selects} FROM (VALUES (NULL::text), ('US.1349120865')) AS c(digits) {join}")
        assert cursor.fetchall() == [("", ""), ("", "")]


@pytest.mark.django_db
def test_the_table_holds_the_python_table_and_postgresql_knows_every_zone():
    with transaction.atomic(), connection.cursor() as cursor:
        table = create_phone_regions_table(cursor)
        cursor.execute(f"SELECT prefix, country, time_zone FROM {table}")
        assert {prefix: (country, zone) for prefix, country, zone in cursor.fetchall()} == prefix_table()
        cursor.execute(f"SELECT DISTINCT time_zone FROM {table} EXCEPT SELECT name FROM pg_timezone_names")
        assert cursor.fetchall() == []


@pytest.mark.django_db
def test_the_table_is_built_once_a_transaction():
    with transaction.atomic(), connection.cursor() as cursor:
        create_phone_regions_table(cursor)
        cursor.execute("UPDATE pg_temp.phone_regions SET country = 'XX' WHERE prefix = '91'")
        create_phone_regions_table(cursor)  # finds it: no duplicate-key error, the row is still ours
        cursor.execute("SELECT country FROM pg_temp.phone_regions WHERE prefix = '91'")
        assert cursor.fetchone() == ("XX",)


@pytest.mark.django_db
def test_the_table_is_dropped_when_its_transaction_commits():
    # A connection of our own: the test's is inside pytest-django's never-committed transaction.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            create_phone_regions_table(cursor)
            cursor.execute("SELECT count(*) > 8000 FROM pg_temp.phone_regions")
            assert cursor.fetchone() == (True,)
        raw.commit()
        with raw.cursor() as cursor:
            cursor.execute("SELECT to_regclass('pg_temp.phone_regions')")
            assert cursor.fetchone() == (None,)
    finally:
        raw.close()


def test_the_table_refuses_autocommit():
    class Db:
        in_atomic_block = False

    class Cursor:
        db = Db()

    with pytest.raises(RuntimeError, match="transaction.atomic"):
        create_phone_regions_table(Cursor())

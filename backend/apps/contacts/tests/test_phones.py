"""Phone normalisation: what people type, in which region, becomes which E.164 number (or why not)."""
import random

import phonenumbers
import pytest

from apps.contacts.phones import PhoneError, PhoneNormaliser, normalise_phone, reference_e164


@pytest.mark.parametrize(("raw", "region", "expected"), [
    # National formats with the default region
    ("98765 43210", "IN", "+919876543210"),
    ("098765-43210", "IN", "+919876543210"),  # trunk prefix 0
    ("09876543210", "IN", "+919876543210"),
    ("020 7946 0018", "GB", "+442079460018"),
    ("07911 123456", "GB", "+447911123456"),
    ("(201) 555-0123", "US", "+12015550123"),
    ("201.555.0123", "US", "+12015550123"),
    ("1 201 555 0123", "US", "+12015550123"),  # national prefix 1
    ("11 91234-5678", "BR", "+5511912345678"),
    ("030 123456", "DE", "+4930123456"),
    # International formats, with or without a default region
    ("+91 98765 43210", "IN", "+919876543210"),
    ("+91 98765 43210", None, "+919876543210"),
    ("+44 (0) 20 7946 0018", "IN", "+442079460018"),  # the (0) people write is dropped
    ("0044 20 7946 0018", "IN", "+442079460018"),  # IDD prefix of the default region
    ("011 44 20 7946 0018", "US", "+442079460018"),
    ("919876543210", "IN", "+919876543210"),  # country code without +
    ("+1-201-555-0123", "GB", "+12015550123"),
    # Leading zeros that belong to the number (Italy keeps them in E.164)
    ("06 1234 5678", "IT", "+390612345678"),
    ("+39 06 1234 5678", None, "+390612345678"),
    # Non-breaking spaces, en dashes, surrounding blanks
    ("\u00a0+91\u00a098765\u201343210 ", None, "+919876543210"),
])
def test_numbers_people_type_become_e164(raw, region, expected):
    assert normalise_phone(raw, region) == expected
    assert reference_e164(raw, region) == expected  # and phonenumbers agrees


@pytest.mark.parametrize(("raw", "region", "reason"), [
    ("98765 43210", None, "no country code: write it as +<country code><number>, or set a default region"),
    ("12345", "IN", "not a valid number for IN"),
    ("+91 98765 4321", None, "not a valid number for IN"),  # a digit short
    ("+44 20 7946", "IN", "not a valid number for GB"),
    ("+999 1234 5678", None, "unknown country code"),
    ("call me", "IN", "not a phone number"),
    ("+91 98765 43210 ext. 12", None, "has an extension; WhatsApp needs a plain number"),
    ("9" * 30, "IN", "too long"),
    ("0", "GB", "not a phone number"),
])
def test_invalid_numbers_say_why(raw, region, reason):
    with pytest.raises(PhoneError) as error:
        normalise_phone(raw, region)
    assert str(error.value) == reason


def _variants(rng: random.Random, region: str) -> str:
    code = phonenumbers.country_code_for_region(region)
    kind = rng.choice([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE])
    example = phonenumbers.example_number_for_type(region, kind) or phonenumbers.example_number(region)
    nsn = "".join(c if rng.random() < 0.6 else str(rng.randint(0, 9))
                  for c in phonenumbers.national_significant_number(example))
    if rng.random() < 0.1:
        nsn = nsn[:-1]
    shapes = [f"+{code}{nsn}", f"+{code} {nsn[:3]} {nsn[3:]}", f"0{nsn}", f"{nsn[:4]}-{nsn[4:]}", f"00{code}{nsn}",
              f"{code}{nsn}", f"({nsn[:3]}) {nsn[3:6]}-{nsn[6:]}", f"1{nsn}", f"+{code}0{nsn}", nsn]
    return rng.choice(shapes)


def test_the_fast_path_agrees_with_phonenumbers_everywhere():
    """PhoneNormaliser skips phonenumbers' general parser for common shapes; it must never differ."""
    rng = random.Random(20260101)
    regions = ["IN", "GB", "US", "CA", "BR", "DE", "AR", "MX", "IT", "FR", "NG", "ID", "AE", "RU", "KZ", "AU",
               "ZA", "PK", "SG", "ES", "NL", "SM", "VA", "GG", "IM", "CI", "JP", "CN"]
    checked = 0
    for default in [*regions, None]:
        normalise = PhoneNormaliser(default)
        for _ in range(1500):
            raw = _variants(rng, rng.choice(regions) if default is None or rng.random() < 0.4 else default)
            try:
                ours = normalise(raw)
            except PhoneError:
                ours = None
            assert ours == reference_e164(raw, default), (raw, default)
            checked += 1
    assert checked == 1500 * (len(regions) + 1)

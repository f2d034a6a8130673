"""Schema-valid bodies are accepted: for the operations whose rules span fields (ids or filter, choices
only for the choice type, phone or WhatsApp id, the time-zone list, typed filter conditions), every body
schemathesis generates from the schema is either accepted or refused for a reason the schema cannot
state (data: an unknown attribute key, a stored row; or a semantic rule named in the description).

The fuzz (test_api_contract_fuzz.py) checks status codes and response shapes; this is its positive-data
half for these operations, as the owner. Each request is rolled back (contract_server.py).
"""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from apps.core.tests.test_api_contract_fuzz import EXAMPLES, _schema_dict
from apps.core.tests.test_api_contract_fuzz import contract as contract  # the fixture, shared

pytestmark = pytest.mark.contract

# Refusals the schema can't express, per operation: (field, message pattern). Anything else is a rule the
# schema should have stated.
NOT_IN_SCHEMA = {
    "POST /api/contacts/": [
        ("phone", r"."),  # libphonenumber and the default region decide what is a number
        ("attributes", r"."),  # keys must be this business's attributes (data)
    ],
    "POST /api/contacts/bulk/": [
        ("filter", r"attribute"),  # an attribute condition names one of this business's attributes (data)
        ("filter", r"at most \d+ conditions|deep"),  # totals over the whole document
        ("segment", r"no such segment"),  # data
    ],
    "POST /api/contacts/attributes/": [
        ("choices", r"listed twice"),  # repeats ignoring case and spacing
    ],
    "PATCH /api/inbox/settings/": [
        ("business_hours", r"away message"),  # away needs stored or sent hours: state
        ("business_hours", r"is not before"),  # each interval starts before it ends (in the description)
    ],
    "POST /api/contacts/segments/": [
        ("filter", r"attribute"),
        ("filter", r"at most \d+ conditions|deep"),
        ("name", r"exists|taken"),
    ],
    "POST /api/contacts/segments/preview/": [
        ("filter", r"attribute"),
        ("filter", r"at most \d+ conditions|deep"),
    ],
}


def _unexplained(label: str, body: dict) -> list[str]:
    if body.get("code") == "malformed_request" and "NUL" in str(body):
        return []  # every operation: no U+0000 in text (the API's description; apps.core.input_guards)
    allowed = NOT_IN_SCHEMA[label]
    errors = body.get("errors") or {"": [body.get("message", "")]}
    return [f"{field}: {message}" for field, messages in errors.items() for message in messages
            if not any(field == f and re.search(pattern, message, re.I) for f, pattern in allowed)]


def _check(operation, server, headers: dict, problems: dict, tried: dict) -> None:
    label = operation.label

    @hypothesis_settings(max_examples=max(EXAMPLES, 25), deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(base_url=server.url, headers=headers, cookies=server.roles["owner"], timeout=30)
        tried[label] += 1
        assert response.status_code < 500, f"{label} {case.body!r:.600} -> {response.text}"
        if response.status_code == 400:
            unexplained = _unexplained(label, response.json())
            if unexplained:
                problems.setdefault(label, []).append(f"{unexplained} <- {case.body!r:.400}")

    run()


def test_bodies_the_schema_allows_are_refused_only_for_data_or_documented_semantics(contract):
    schema = schemathesis.openapi.from_dict(_schema_dict())
    headers = {"Host": contract.tenant_host, "Origin": f"http://{contract.tenant_host}"}
    problems: dict[str, list[str]] = {}
    tried = dict.fromkeys(NOT_IN_SCHEMA, 0)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in NOT_IN_SCHEMA:
            _check(operation, contract, headers, problems, tried)
    assert all(tried.values()), tried
    assert not problems, "\n".join(f"{label}: {items[:3]}" for label, items in problems.items())

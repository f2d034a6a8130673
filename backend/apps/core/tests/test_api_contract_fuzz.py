"""The OpenAPI document and the API agree: property-based requests from the schema (schemathesis) against
a real HTTP server never get a 5xx, nor a status code the schema does not document.

Every operation of the schema (generated from the code, the same urlconf as docs/api/openapi.yaml) is
fuzzed as the owner, an agent and an anonymous visitor of `alpha`, on alpha's host (tenant routing is
by Host); the public host's operations on the public host, and the platform staff API's also as a signed-in
staff member. The server is a real WSGI server on a free
port (contract_server.py) inside this test's transaction, and each request is rolled back, so
destructive operations (logout, password change, member removal, number disconnect) need not be
excluded: every case starts from the same state. Hypothesis is derandomized, so CI is deterministic.

Run it alone: `pytest -m contract`. CONTRACT_FUZZ_EXAMPLES=n for a deeper run, CONTRACT_FUZZ_ONLY=/api/contacts/
for some operations only, CONTRACT_FUZZ_REPORT=file to list the 400s that schema-valid requests got.
"""
import json
import os
from collections import defaultdict

import pytest
import requests
import schemathesis
from django.conf import settings as django_settings
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from apps.core.tests.contract_server import ContractServer
from conftest import PASSWORD

pytestmark = pytest.mark.contract

EXAMPLES = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "15"))
REPORT = open(os.environ["CONTRACT_FUZZ_REPORT"], "a") if os.environ.get("CONTRACT_FUZZ_REPORT") else None  # noqa: SIM115
ONLY = os.environ.get("CONTRACT_FUZZ_ONLY", "")  # e.g. "/api/contacts/" to fuzz those operations only
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Not fuzzed here, and why. Everything else is, destructive operations included (each request is rolled back).
EXCLUDED: dict[str, str] = {}  # operation label -> why it is not fuzzed
# Served only on the public host (BASE_DOMAIN), with the platform staff API (/api/platform/); every other operation
# is a tenant's.
PUBLIC_PATHS = {"/api/signup/", "/api/signup/check-slug/"}
PLATFORM_PREFIX = "/api/platform/"


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PLATFORM_PREFIX)


def _schema_dict() -> dict:
    # Imported here, not at collection: DRF's views must not be imported before the app is set up.
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    generator = SchemaGenerator(urlconf="convonest.urls_schema")
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


def _login(server_url: str, host: str, email: str, path: str = "/api/auth/login/", cookie: str = "cn-access") -> dict:
    response = requests.post(f"{server_url}{path}", json={"email": email, "password": PASSWORD},
                             headers={"Host": host, "Origin": f"http://{host}"}, timeout=30)
    assert response.status_code == 200, response.text
    return {cookie: response.cookies[cookie]}


@pytest.fixture
def contract(alpha, graph_sandbox):
    """A live server over alpha with a connected number, a conversation, and logins for each role."""
    from apps.messaging.tests.inbox_helpers import connect_number, customer_writes
    from tenants.models import User

    number = connect_number(alpha)
    customer_writes(alpha, number, "Is my order shipped?")
    agent = alpha.add_member("agent@alpha.example", "agent")
    staff = User.objects.create_user(email="ops@convonest.example", password=PASSWORD, is_staff=True)
    with ContractServer() as server:
        host = alpha.host
        server.roles = {
            "owner": _login(server.url, host, alpha.owner.email),
            "agent": _login(server.url, host, agent.email),
            "anonymous": {},
            # Platform staff on the public host (tenants.staff_api); fuzzed on the platform's operations only.
            "staff": _login(server.url, django_settings.BASE_DOMAIN, staff.email, "/api/platform/auth/login/",
                            "cn-staff-access"),
        }
        server.tenant_host = host
        yield server


def _fuzz(server, role: str) -> dict:
    """Run every operation; return {operation label: [failure descriptions]}."""
    schema = schemathesis.openapi.from_dict(_schema_dict())
    cookies = server.roles[role]
    failures = defaultdict(list)
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in EXCLUDED or (ONLY and ONLY not in operation.label):
            continue
        if role == "staff" and not operation.path.startswith(PLATFORM_PREFIX):
            continue
        host = django_settings.BASE_DOMAIN if _public(operation.path) else server.tenant_host
        # Cookie-authenticated unsafe requests must come from our own origin (CSRF rule).
        _fuzz_operation(operation, server.url, {"Host": host, "Origin": f"http://{host}"}, cookies,
                        failures[operation.label])
    return {label: items for label, items in failures.items() if items}


def _describe(error) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(_describe(e) for e in error.exceptions)
    return str(error).strip()[:1500]


def _server_error_unless(documented: set[int]):
    """not_a_server_error, except for a 5xx the operation documents (the live-inbox stream's 503 on this
    server, by design); any other 5xx still fails."""
    def undocumented_server_error(ctx, response, case):
        if response.status_code >= 500 and response.status_code not in documented:
            raise AssertionError(f"Server error: {response.status_code} is not documented for {case.operation.label}")
        return None

    return undocumented_server_error


def _fuzz_operation(operation, base_url: str, headers: dict, cookies: dict, failures: list) -> None:
    documented = {int(code) for code in operation.definition.raw.get("responses", {}) if str(code).startswith("5")
                  and str(code).isdigit()}
    checks = [_server_error_unless(documented), *CHECKS[1:]] if documented else CHECKS

    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        try:
            response = case.call_and_validate(base_url=base_url, headers=headers, cookies=cookies, checks=checks,
                                              timeout=30)
        except (AssertionError, FailureGroup) as error:  # schemathesis' Failure, or several at once
            failures.append(_describe(error))
            return
        if REPORT and response.status_code == 400:
            REPORT.write(f"{operation.label} {response.text[:300]} <- {case.query} {str(case.body)[:300]}\n")

    run()


@pytest.mark.parametrize("role", ["owner", "agent", "anonymous", "staff"])
def test_every_operation_answers_as_documented_and_never_5xx(contract, role):
    failures = _fuzz(contract, role)
    report = "\n\n".join(f"== {label} ({len(items)} failing cases)\n{items[0]}" for label, items in
                         sorted(failures.items()))
    assert not failures, f"{len(failures)} operations disagree with the schema as {role}:\n{report}"

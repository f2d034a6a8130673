"""Fixtures of the control plane's tests."""
import pytest

from tenants.billing.testing import LocalStripe


@pytest.fixture(scope="session")
def _localstripe_server():
    with LocalStripe() as server:
        yield server


@pytest.fixture
def localstripe(_localstripe_server, settings, db):
    """A live localstripe (the stateful fake Stripe), emptied per test, with our plans seeded by `billing_seed`."""
    from django.core.management import call_command

    _localstripe_server.reset()
    settings.STRIPE_API_BASE = _localstripe_server.url
    call_command("billing_seed")
    return _localstripe_server

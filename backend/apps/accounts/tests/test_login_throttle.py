"""Failed logins count per (email, real client) and per real client: nobody can lock anyone else out."""
from rest_framework.test import APIClient

from conftest import PASSWORD

PROXY = "127.0.0.1"  # the test clients' REMOTE_ADDR, one of the default TRUSTED_PROXY_IPS


def _client(business, *, xff: str | None = None, remote: str = PROXY) -> APIClient:
    extra = {"HTTP_HOST": business.host, "REMOTE_ADDR": remote}
    if xff:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return APIClient(**extra)


def _login(client, email, password=PASSWORD):
    return client.post("/api/auth/login/", {"email": email, "password": password}, format="json")


def test_an_attacker_guessing_a_password_cannot_lock_the_owner_out(alpha, beta, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    attacker = _client(beta, xff="203.0.113.66")  # from their own business's host, through our proxy
    for _ in range(3):
        assert _login(attacker, alpha.owner.email, "guess-guess-guess").status_code == 400

    assert _login(attacker, alpha.owner.email).status_code == 429  # even the right password, for them
    assert _login(_client(alpha, xff="198.51.100.7"), alpha.owner.email).status_code == 200


def test_twenty_failures_from_one_client_never_block_anyone_else(alpha, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    noisy = _client(alpha, xff="203.0.113.66")
    for n in range(20):  # 20 different people, none of them real
        assert _login(noisy, f"nobody{n}@nowhere.example", "wrong-password-1").status_code == 400

    assert _login(noisy, "nobody99@nowhere.example", "wrong-password-1").status_code == 429
    assert _login(_client(alpha, xff="198.51.100.7"), alpha.owner.email).status_code == 200
    assert _login(_client(alpha), alpha.owner.email).status_code == 200  # nor the proxy's own address


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(alpha, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    for n in range(3):
        spoofed = _client(alpha, remote="203.0.113.66", xff=f"10.9.9.{n}")
        assert _login(spoofed, alpha.owner.email, "guess-guess-guess").status_code == 400

    next_try = _client(alpha, remote="203.0.113.66", xff="10.9.9.200")
    assert _login(next_try, alpha.owner.email).status_code == 429


def test_a_distributed_guess_slows_every_client_but_the_right_password_still_works(alpha, settings):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_EMAIL_ALERT = 5, 6
    for n in range(6):  # six clients, one wrong guess each: the email is now under attack
        assert _login(_client(alpha, xff=f"203.0.113.{n}"), alpha.owner.email, "guess-1234567").status_code == 400

    bot = _client(alpha, xff="203.0.113.0")
    assert _login(bot, alpha.owner.email, "guess-1234567").status_code == 400  # second try
    assert _login(bot, alpha.owner.email, "guess-1234567").status_code == 429  # two per client now
    owner = _client(alpha, xff="198.51.100.7")
    assert _login(owner, alpha.owner.email).status_code == 200

"""Password reset: mailed from a worker, the same answer for anyone, capped per address, and it ends sessions."""
import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from apps.accounts.tasks import password_reset_mail
from conftest import PASSWORD, refresh_cookie
from tenants.models import Invite

ENDED = "This session has ended. Please log in again."


@pytest.fixture
def ask_reset(django_capture_on_commit_callbacks, monkeypatch):
    """POST a reset request; run what it queued after commit through the task, as a worker would."""
    monkeypatch.setattr(password_reset_mail, "delay", lambda **kwargs: password_reset_mail.apply(kwargs=kwargs))

    def _ask(client, email):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post("/api/auth/password/reset/", {"email": email}, format="json")
        return response, len(callbacks)

    return _ask


def _link() -> tuple[str, str]:
    link = re.search(r"http://alpha\.localhost:3000/reset-password#uid=(\S+)&token=(\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return link.groups()


def _confirm(client, uid, token, password="fresh-start-pass-8"):
    return client.post("/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password1": password,
                                                             "new_password2": password}, format="json")


def test_the_mailed_link_carries_its_secret_in_the_fragment_and_sets_a_new_password(alpha, ask_reset):
    client = alpha.client()

    response, _ = ask_reset(client, alpha.owner.email)

    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alpha.owner.email]
    assert "?uid=" not in mail.outbox[0].body and "token=" not in mail.outbox[0].body.split("#")[0]
    confirm = _confirm(client, *_link())
    assert confirm.status_code == 200, confirm.content
    login = client.post("/api/auth/login/", {"email": alpha.owner.email, "password": "fresh-start-pass-8"},
                        format="json")
    assert login.status_code == 200


def test_members_and_strangers_get_the_same_answer_and_the_same_work_only_members_get_mail(alpha, beta, ask_reset):
    client = alpha.client()

    answers = [ask_reset(client, email) for email in (alpha.owner.email, "nobody@nowhere.example", beta.owner.email)]

    assert {(r.status_code, r.content, queued) for r, queued in answers} == {(answers[0][0].status_code,
                                                                              answers[0][0].content, 1)}
    assert [m.to for m in mail.outbox] == [[alpha.owner.email]]  # beta's owner is no member of alpha


def test_reset_mails_are_capped_per_address_across_every_business(alpha, beta, ask_reset, settings):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 2
    beta.add_member(alpha.owner.email, "agent")
    clients = [APIClient(HTTP_HOST=host, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
               for n, host in enumerate((alpha.host, beta.host, alpha.host))]

    answers = [ask_reset(client, alpha.owner.email) for client in clients]

    assert [r.status_code for r, _ in answers] == [200, 200, 200]  # the cap is silent: it says nothing
    assert [queued for _, queued in answers] == [1, 1, 0]
    assert len(mail.outbox) == 2


def test_reset_requests_are_throttled_per_real_client(alpha, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "password_reset": "2/hour"}}

    def ask(xff):
        client = APIClient(HTTP_HOST=alpha.host, HTTP_X_FORWARDED_FOR=xff)
        return client.post("/api/auth/password/reset/", {"email": "x@y.example"}, format="json").status_code

    assert [ask("203.0.113.5"), ask("9.9.9.9, 203.0.113.5"), ask("1.1.1.1, 203.0.113.5")] == [200, 200, 429]
    assert ask("198.51.100.1") == 200  # someone else is unaffected


def test_a_password_reset_ends_every_other_session(alpha, ask_reset):
    thief = alpha.client(alpha.owner)  # holds a stolen session
    stolen = thief.cookies[refresh_cookie()].value
    ask_reset(alpha.client(), alpha.owner.email)

    assert _confirm(alpha.client(), *_link()).status_code == 200

    assert thief.post("/api/auth/token/refresh/").status_code == 401
    replay = alpha.client()
    replay.cookies[refresh_cookie()] = stolen
    assert replay.post("/api/auth/token/refresh/").status_code == 401


def test_after_a_reset_the_old_access_cookie_is_refused_at_once(alpha, ask_reset, django_capture_on_commit_callbacks):
    thief = alpha.client(alpha.owner)  # holds a stolen session, access cookie included
    assert thief.get("/api/auth/user/").status_code == 200
    ask_reset(alpha.client(), alpha.owner.email)

    with django_capture_on_commit_callbacks(execute=True):
        assert _confirm(alpha.client(), *_link()).status_code == 200

    response = thief.get("/api/auth/user/")
    assert (response.status_code, response.json()["message"]) == (401, ENDED)
    owner = alpha.client(alpha.owner, password="fresh-start-pass-8")  # a login right after the reset works
    assert owner.get("/api/auth/user/").status_code == 200


def test_someone_invited_here_may_reset_their_existing_login_here(alpha, beta, ask_reset):
    from datetime import timedelta

    from django.utils import timezone

    invited = beta.owner  # has a login, is not (yet) a member of alpha
    ask_reset(alpha.client(), invited.email)
    assert mail.outbox == []

    Invite.objects.create(tenant=alpha.tenant, email=invited.email, role="agent", token_hash="x" * 64,
                          expires_at=timezone.now() + timedelta(days=1))
    ask_reset(alpha.client(), invited.email)

    assert [m.to for m in mail.outbox] == [[invited.email]]
    assert _confirm(alpha.client(), *_link(), password="my-recovered-pass-1").status_code == 200
    invited.refresh_from_db()
    assert invited.check_password("my-recovered-pass-1") and not invited.check_password(PASSWORD)

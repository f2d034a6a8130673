"""Run one command with the dev settings and PostgreSQL + Redis available.

    python infra/dev/with_services.py [--purpose test] -- CMD ARGS...

Loads `.env` (else `.env.example`) under the real environment, ensures the services (embedded ones
unless DATABASE_URL / REDIS_URL are set; see services.py), runs CMD with DATABASE_URL and REDIS_URL
exported, stops the services it was the last user of, and exits with CMD's exit code. Nesting is
cheap: an inner call finds both URLs set and starts nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from envfile import REPO_DIR, load_env_defaults
from services import ServiceError, ensure_services, release_services


def _masked(url: str) -> str:
    """A URL fit for the log: any password replaced."""
    scheme, sep, rest = url.partition("://")
    creds, at, host = rest.rpartition("@")
    if at and ":" in creds:
        user, _, password = creds.partition(":")
        if password:
            return f"{scheme}{sep}{user}:***@{host}"
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run CMD with the dev env and PostgreSQL + Redis available.",
        usage="%(prog)s [--purpose NAME] [--data-dir DIR] -- CMD [ARGS...]",
    )
    parser.add_argument("--purpose", default="test", help="dev, test, e2e or bench (picks the Redis db)")
    parser.add_argument("--data-dir", type=Path, default=REPO_DIR / ".data")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given (put it after --)")

    load_env_defaults(REPO_DIR)
    try:
        env = ensure_services(args.data_dir, args.purpose)
    except ServiceError as exc:
        print(f"with_services: {exc}", file=sys.stderr)
        return 1
    os.environ.update(env)
    with contextlib.suppress(OSError):
        print(
            f"[services] DATABASE_URL={_masked(env['DATABASE_URL'])} REDIS_URL={_masked(env['REDIS_URL'])}",
            file=sys.stderr,
            flush=True,
        )

    # CMD stays in our process group, so a Ctrl-C at the terminal reaches it directly; we ignore
    # SIGINT ourselves (like a shell does) and pass SIGTERM/SIGHUP on, then clean up after it.
    try:
        child = subprocess.Popen(command)
    except OSError as exc:
        print(f"with_services: cannot run {command[0]}: {exc}", file=sys.stderr)
        release_services()
        return 127

    def forward(signum, _frame):
        if child.poll() is None:
            child.send_signal(signum)

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGHUP, forward)
    try:
        returncode = child.wait()
    finally:
        release_services()
    return 128 - returncode if returncode < 0 else returncode


if __name__ == "__main__":
    sys.exit(main())

"""Load the project's settings file into the environment (standard library only).

`.env` (your own, git-ignored) is read if it exists, otherwise `.env.example` (the documented dev
defaults). Variables already set in the real environment always win: a file never overrides them.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]

_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


def parse_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` comments, blank lines, `export ` and quoted values are understood."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            quote, value = value[0], value[1:-1]
            if quote == '"':
                value = value.replace("\\n", "\n").replace('\\"', '"')
        else:
            value = re.split(r"\s+#", value, maxsplit=1)[0].rstrip()  # inline comment
        values[key] = value
    return values


def env_file(repo_dir: Path = REPO_DIR) -> Path | None:
    for name in (".env", ".env.example"):
        path = repo_dir / name
        if path.is_file():
            return path
    return None


def load_env_defaults(repo_dir: Path = REPO_DIR, environ: dict[str, str] | None = None) -> Path | None:
    """Fill `environ` (default: os.environ) from .env or .env.example; returns the file used."""
    environ = os.environ if environ is None else environ
    path = env_file(repo_dir)
    if path is None:
        return None
    for key, value in parse_env_file(path).items():
        environ.setdefault(key, value)
    return path

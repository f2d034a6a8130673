"""What every benchmark needs: a database of its own on the server of DATABASE_URL, dropped afterwards."""
import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

import psycopg


@contextmanager
def bench_database(suffix: str, keep: bool = False) -> Iterator[str]:
    """Create `<DATABASE_URL's name>_<suffix>` (fresh), yield its URL, drop it at the end.

    With `keep`, an existing one is reused and nothing is dropped: for data that takes long to build."""
    parsed = urlparse(os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/convonest"))
    name = f"{parsed.path.lstrip('/') or 'convonest'}_{suffix}"
    admin = urlunparse(parsed._replace(path="/postgres"))

    def recreate(create: bool) -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if keep and exists:
                return
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                conn.execute(f'CREATE DATABASE "{name}"')

    recreate(create=True)
    try:
        yield urlunparse(parsed._replace(path="/" + name))
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            recreate(create=False)

"""Validation primitives shared by the builders. Each names the field path it checks."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from apps.whatsapp.errors import BuilderError

_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def obj(value, path: str, allowed: Iterable[str], required: Iterable[str] = ()) -> dict:
    """A JSON object with only `allowed` keys and every `required` one; None values count as absent."""
    if not isinstance(value, Mapping):
        raise BuilderError(path, "must be an object")
    allowed = set(allowed)
    out = {}
    for key, item in value.items():
        if item is None:
            continue
        if key not in allowed:
            raise BuilderError(join(path, key), "unknown field")
        out[key] = item
    for key in required:
        if key not in out:
            raise BuilderError(join(path, key), "is required")
    return out


def array(value, path: str, *, min_items: int = 0, max_items: int | None = None) -> list:
    if not isinstance(value, list | tuple):
        raise BuilderError(path, "must be a list")
    if len(value) < min_items:
        raise BuilderError(path, f"needs at least {min_items} item{'s' if min_items != 1 else ''}")
    if max_items is not None and len(value) > max_items:
        # Name the first item over the limit, e.g. interactive.action.buttons[3] for a fourth button.
        raise BuilderError(f"{path}[{max_items}]", f"at most {max_items} item{'s' if max_items != 1 else ''} allowed")
    return list(value)


def text(value, path: str, *, max_len: int | None = None, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise BuilderError(path, "must be a string")
    if not allow_empty and not value.strip():
        raise BuilderError(path, "must not be empty")
    if max_len is not None and len(value) > max_len:
        raise BuilderError(path, f"is {len(value)} characters; at most {max_len} allowed")
    return value


def optional_text(data: dict, key: str, path: str, *, max_len: int | None = None) -> None:
    """Check data[key] in place when present."""
    if key in data:
        text(data[key], join(path, key), max_len=max_len)


def boolean(value, path: str) -> bool:
    if not isinstance(value, bool):
        raise BuilderError(path, "must be true or false")
    return value


def integer(value, path: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """An int, or a string of digits (Meta accepts both for e.g. button `index`); the type given is kept."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BuilderError(path, "must be an integer")
    try:
        number = int(value)
    except ValueError:
        raise BuilderError(path, "must be an integer") from None
    if minimum is not None and number < minimum:
        raise BuilderError(path, f"must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise BuilderError(path, f"must be at most {maximum}")
    return number


def choice(value, path: str, options: Iterable[str]) -> str:
    options = tuple(options)
    if value not in options:
        raise BuilderError(path, f"must be one of {', '.join(options)}")
    return value


def url(value, path: str, *, max_len: int | None = None) -> str:
    text(value, path, max_len=max_len)
    if not _URL_RE.match(value):
        raise BuilderError(path, "must be an http(s) URL")
    return value


def coordinate(value, path: str, limit: float) -> None:
    """Latitude/longitude as a number or numeric string (Meta's examples use strings); kept as given."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BuilderError(path, "must be a number")
    try:
        number = float(value)
    except ValueError:
        raise BuilderError(path, "must be a number") from None
    if not -limit <= number <= limit:
        raise BuilderError(path, f"must be between -{limit:g} and {limit:g}")


def unique(values: list, path_of, what: str) -> None:
    """Raise at the second occurrence; `path_of(i)` names item i."""
    seen = set()
    for index, value in enumerate(values):
        if value in seen:
            raise BuilderError(path_of(index), f"duplicate {what} {value!r}")
        seen.add(value)

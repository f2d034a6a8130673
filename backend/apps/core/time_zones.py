"""The IANA time zones the API accepts: the pinned `tzdata` package's list, so the OpenAPI enum and the
validation are one list, the same on every machine (the system's zoneinfo differs between hosts)."""
from importlib import resources

TIME_ZONES: tuple[str, ...] = tuple(sorted(resources.files("tzdata").joinpath("zones").read_text().split()))
TIME_ZONE_SET = frozenset(TIME_ZONES)

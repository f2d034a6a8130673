"""TXT lookups, behind one function so tests (and air-gapped machines) inject their own: settings.DNS_TXT_RESOLVER
names a callable `(name) -> list[str]`."""
from django.conf import settings
from django.utils.module_loading import import_string


class LookupFailed(Exception):
    """The name could not be resolved (no such name, no TXT records, timeout): the message says which."""


def system_txt_records(name: str) -> list[str]:
    import dns.exception
    import dns.resolver

    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=5)
    except dns.resolver.NXDOMAIN:
        raise LookupFailed(f"{name} does not exist in DNS yet.") from None
    except dns.resolver.NoAnswer:
        raise LookupFailed(f"{name} has no TXT record yet.") from None
    except dns.exception.DNSException as exc:
        raise LookupFailed(f"DNS lookup of {name} failed: {type(exc).__name__}.") from None
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def txt_records(name: str) -> list[str]:
    return import_string(settings.DNS_TXT_RESOLVER)(name)

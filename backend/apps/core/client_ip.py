"""Who is the client? The one place a request's client address is derived (throttles, login counter).

A peer in TRUSTED_PROXY_IPS (nginx, the Next.js dev proxy; addresses, or networks such as a Kubernetes pod range
where the ingress controller's address changes with every pod) forwards the client in X-Forwarded-For:
nginx *appends* the address it sees to whatever the client sent, so only the right-most entries were
written by our proxies; everything to their left is the client's own claim. We walk from the right,
skip our own proxies, and take the first other address. From any other peer the header is ignored.
"""
import functools
import ipaddress

from django.conf import settings

IPV6_PREFIX = 64  # one IPv6 host is routinely given a whole /64: count it as one client


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        return ip.ipv4_mapped
    return ip


@functools.cache
def _networks(entries: frozenset[str]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # settings' checks report a malformed entry; here it simply trusts nothing
    return tuple(networks)


def is_trusted_proxy(address) -> bool:
    """Whether `address` (a string or a parsed address) is one of our proxies (TRUSTED_PROXY_IPS)."""
    ip = _parse(address) if isinstance(address, str) else address
    return ip is not None and any(ip in net for net in _networks(frozenset(settings.TRUSTED_PROXY_IPS))
                                  if net.version == ip.version)


def client_ip(request) -> str:
    """The client's address: the nearest untrusted hop in X-Forwarded-For when our proxy sent the
    request, else REMOTE_ADDR. A malformed hop ends the walk (REMOTE_ADDR is used)."""
    meta = request.META
    remote_raw = meta.get("REMOTE_ADDR", "")
    remote = _parse(remote_raw)
    if remote is None:
        return remote_raw
    if not is_trusted_proxy(remote):
        return str(remote)
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        ip = _parse(hop)
        if ip is None:
            return str(remote)
        if not is_trusted_proxy(ip):
            return str(ip)
    return str(remote)


def client_ident(request) -> str:
    """The key a client is counted under: its IPv4 address, or its IPv6 /64 network."""
    ip = client_ip(request)
    parsed = _parse(ip)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return ip

"""Who is the client? The one place a request's client address is derived (throttles, login counter).

A peer in TRUSTED_PROXY_IPS (nginx, the Next.js dev proxy) forwards the client in X-Forwarded-For:
nginx *appends* the address it sees to whatever the client sent, so only the right-most entries were
written by our proxies; everything to their left is the client's own claim. We walk from the right,
skip our own proxies, and take the first other address. From any other peer the header is ignored.
"""
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


def _trusted() -> set:
    return {ip for ip in map(_parse, settings.TRUSTED_PROXY_IPS) if ip is not None}


def client_ip(request) -> str:
    """The client's address: the nearest untrusted hop in X-Forwarded-For when our proxy sent the
    request, else REMOTE_ADDR. A malformed hop ends the walk (REMOTE_ADDR is used)."""
    meta = request.META
    remote_raw = meta.get("REMOTE_ADDR", "")
    remote = _parse(remote_raw)
    if remote is None:
        return remote_raw
    trusted = _trusted()
    if remote not in trusted:
        return str(remote)
    for hop in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not hop.strip():
            continue
        ip = _parse(hop)
        if ip is None:
            return str(remote)
        if ip not in trusted:
            return str(ip)
    return str(remote)


def client_ident(request) -> str:
    """The key a client is counted under: its IPv4 address, or its IPv6 /64 network."""
    ip = client_ip(request)
    parsed = _parse(ip)
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False))
    return ip

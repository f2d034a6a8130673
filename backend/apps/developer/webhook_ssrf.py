"""Where an outbound webhook may go: http(s) URLs of public addresses only (no private, loopback, link-local,
multicast, reserved or unspecified address, IPv4 or IPv6, nor one of those wrapped in IPv6), unless
settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE (dev and tests, so local receivers work).

The host is resolved once, every address it resolves to must be allowed, and the request is then made to that very
address (`Target.ip`) with the URL's Host header and TLS server name: a DNS answer that changes between the check and
the connection (DNS rebinding) can't point the request elsewhere. Checked when an endpoint is saved and again before
every attempt. Redirects are never followed (webhook_delivery).
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.utils.module_loading import import_string

NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


class AddressRefused(Exception):
    """The URL may not be called; the message says why (shown to the business, logged)."""


@dataclass(frozen=True)
class Target:
    url: str  # as the business wrote it
    scheme: str
    host: str  # the name (or literal address) of the URL: the Host header and the TLS server name
    port: int
    ip: str  # the address connected to
    path: str  # path and query

    @property
    def connect_url(self) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return urlunsplit((self.scheme, f"{host}:{self.port}", self.path, "", ""))

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"


def system_resolve(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for `host` (settings.OUTBOUND_WEBHOOKS_RESOLVER; tests inject one)."""
    return list(dict.fromkeys(info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)))


def offline_resolve(host: str, port: int) -> list[str]:
    """The test suite's resolver: no DNS (host names the API fuzz invents would each wait for a lookup)."""
    if host == "localhost":
        return ["127.0.0.1"]
    raise socket.gaierror(f"{host}: no DNS in tests")


def _embedded_v4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64 or address in NAT64_LOCAL:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:  # IPv4-compatible (::a.b.c.d), deprecated
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(ip: str) -> str:
    """Why this address may not be called, or "" when it may."""
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])  # an IPv6 zone (fe80::1%eth0) is link-local anyway
    except ValueError:
        return "not an IP address"
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_v4(address)
        if inner is not None:
            problem = address_problem(str(inner))
            if problem:
                return f"{problem} (inside the IPv6 address {address})"
    for attribute, name in (("is_unspecified", "unspecified"), ("is_loopback", "loopback"),
                            ("is_link_local", "link-local"), ("is_multicast", "multicast"),
                            ("is_private", "private"), ("is_reserved", "reserved")):
        if getattr(address, attribute):
            return f"{address} is a {name} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return ""


def url_parts(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path and query) of a URL we may call, or AddressRefused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise AddressRefused("Not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise AddressRefused("Use an http or https URL.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise AddressRefused("The URL can't contain a user name or password; use the signature to authenticate.")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise AddressRefused("The URL has no host.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def resolve_target(url: str) -> Target:
    """The address to connect to for `url`, checked; AddressRefused with the reason otherwise."""
    scheme, host, port, path = url_parts(url)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        if host.lower() == "localhost" or host.lower().endswith(".localhost"):
            addresses = ["127.0.0.1"] if not settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE else None
        else:
            addresses = None
        if addresses is None:
            try:
                addresses = import_string(settings.OUTBOUND_WEBHOOKS_RESOLVER)(host, port)
            except (OSError, UnicodeError) as exc:
                raise AddressRefused(f"The host {host} can't be resolved ({exc}).") from None
    if not addresses:
        raise AddressRefused(f"The host {host} has no address.")
    if not settings.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise AddressRefused(f"Webhooks go to public addresses only: {host} resolves to {problem}.")
    return Target(url=url, scheme=scheme, host=host, port=port, ip=addresses[0].split("%", 1)[0], path=path)

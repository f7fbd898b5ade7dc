"""Who is asking: the client's address, also behind the proxies the operator trusts.

Rate limits (the portal's order lookups, the back-office log-in) count per client address.
Behind a load balancer every request comes from the balancer's address, which would put all
shoppers under one limit; a client-set ``X-Forwarded-For`` header, believed blindly, would
let anyone pick a fresh address per request. So the header is believed only from the
proxies listed in ``REBOX_TRUSTED_PROXIES`` (addresses or networks).
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(p, strict=False) for p in settings.REBOX_TRUSTED_PROXIES]
    except ValueError as exc:
        raise ImproperlyConfigured(f"REBOX_TRUSTED_PROXIES: {exc}") from exc


def ip_or_none(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _without_port(hop: str) -> str:
    """A forwarded hop's address: some balancers write ``1.2.3.4:5678`` or ``[2001:db8::1]:443``."""
    hop = hop.strip()
    if hop.startswith("[") and "]" in hop:
        return hop[1:hop.index("]")]
    if hop.count(":") == 1:
        return hop.split(":", 1)[0]
    return hop


def client_address(request) -> str:
    """REMOTE_ADDR; behind trusted proxies, the nearest X-Forwarded-For hop they did not add.

    The header is read from the right: each trusted proxy appends the address it saw, and
    anything left of the first untrusted hop was written by the client and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = _trusted_proxies()
    current = ip_or_none(remote)
    if not proxies or current is None:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        if not any(current in network for network in proxies):
            break
        previous = ip_or_none(_without_port(hop))
        if previous is None:  # garbage behind a trusted proxy: stay with the proxy's address
            break
        current = previous
    return str(current)

"""The one way out to integrators' servers: an HTTP POST, errors translated at the boundary.

    WebhookError            the attempt failed; retry later
    ├── WebhookRefused      the server answered, but not 2xx (its status is kept)
    └── WebhookUnreachable  DNS, connection refused or reset, TLS, timeout, bad URL

Redirects are not followed: a 3xx is a refusal. An integrator configures the final URL, and
urllib would turn the POST into a GET without body that could answer 200.
"""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = 10  # seconds: to connect, and for each read of the answer


class WebhookError(Exception):
    pass


class WebhookRefused(WebhookError):
    def __init__(self, status: int, answer: str):
        super().__init__(f"HTTP {status}" + (f": {answer}" if answer else ""))
        self.status = status


class WebhookUnreachable(WebhookError):
    pass


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx then surfaces as an HTTPError


_opener = urllib.request.build_opener(_RefuseRedirects())


def is_internal_address(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def refuse_internal_host(host: str, *, unresolvable_ok: bool = False) -> None:
    """An integrator's URL must not reach this machine's or its network's own services
    (loopback, private ranges, link-local cloud metadata). Checked when the URL is saved
    (where a name that does not resolve yet is accepted) and again before each send, since
    DNS can change in between. Off when REBOX_WEBHOOKS_ALLOW_INTERNAL is set (tests, or a
    deployment that posts to its own network on purpose)."""
    if settings.REBOX_WEBHOOKS_ALLOW_INTERNAL:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError) as exc:
        if unresolvable_ok:
            return
        raise WebhookUnreachable(f"cannot resolve {host}: {exc}") from exc
    if any(is_internal_address(a.split("%")[0]) for a in addresses):
        raise WebhookUnreachable(f"{host} is an internal address; webhooks may not go there")


def post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; the 2xx status, or WebhookRefused / WebhookUnreachable."""
    refuse_internal_host(urlsplit(url).hostname or "")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            response.read(1024)  # a little of the answer, so the connection ends cleanly
            return response.status
    except urllib.error.HTTPError as exc:
        with exc:
            answer = exc.read(300).decode("utf-8", "replace").strip()
        raise WebhookRefused(exc.code, answer) from exc
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise WebhookUnreachable(f"{type(reason).__name__}: {reason}") from exc

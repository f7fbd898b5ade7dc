"""The one way out to integrators' servers: an HTTP POST, errors translated at the boundary.

    WebhookError            the attempt failed; retry later
    ├── WebhookRefused      the server answered, but not 2xx (its status is kept)
    └── WebhookUnreachable  DNS, connection refused or reset, TLS, timeout, bad URL

Redirects are not followed: a 3xx is a refusal. An integrator configures the final URL, and
urllib would turn the POST into a GET without body that could answer 200.
"""

import http.client
import urllib.error
import urllib.request

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


def post(url: str, *, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body``; the 2xx status, or WebhookRefused / WebhookUnreachable."""
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

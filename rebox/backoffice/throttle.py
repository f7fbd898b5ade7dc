"""Back-office log-in throttling: failed log-ins counted per account and per client address.

The counters live in Django's cache (Redis when configured, so every web process sees the
same counts; per-process memory in embedded mode), in fixed windows of
``REBOX_LOGIN_WINDOW_SECONDS``. An attempt reserves a failure on both counters *before* the
password is checked, so that parallel guesses cannot overshoot a limit; a success gives
the reservation back (the account's count starts again, the address keeps only its real
failures). The failure that reaches a limit locks the account or the address for one
window: while locked the password is not checked at all, so a right guess reveals
nothing, and the lock reads the same whether or not the account exists.

Known devices (OWASP's "device cookies"): a successful log-in gives the browser a signed
cookie naming the account (a random nonce and the user's id, nothing secret). An attempt
that brings a valid one for the account it names is counted per device, not against the
account, so a stranger who locks the account by guessing does not lock out its owner; a
device that reaches its own limit is locked on its own. The address limit holds for all.

    device = device_from_cookie(request.COOKIES.get(DEVICE_COOKIE), username=...)
    attempt = login_attempt_start(username=..., address=client_address(request),  # rebox.core.clients
                                  device=device)
    if isinstance(attempt, LoginLock): refuse
    ... check the password ...; login_attempt_failed(attempt) -> LoginLock | None
                                login_attempt_succeeded(attempt)
"""

import hashlib
import ipaddress
import logging
import math
import secrets
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db import transaction

from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.clients import ip_or_none
from rebox.core.models import Membership

logger = logging.getLogger(__name__)

ACCOUNT, ADDRESS, DEVICE = "account", "address", "device"
LOCKED_ACTION = "staff.login_locked"
DEVICE_LOCKED_ACTION = "staff.login_device_locked"

DEVICE_COOKIE = "rebox_device"
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # seconds; the signature's age is checked too
_DEVICE_SALT = "rebox.backoffice.throttle.device"


@dataclass(frozen=True)
class LoginLock:
    scope: str  # ACCOUNT or ADDRESS; never shown, so a lock does not tell whether an account exists
    until: float  # Unix time

    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - time.time()) / 60))


@dataclass(frozen=True)
class LoginAttempt:
    """One password check under way, with the failures it reserved (its own included)."""

    username: str
    address: str
    account_failures: int  # 0 from a known device: its failures are counted apart
    address_failures: int
    device: str | None = None  # the nonce of the known device the attempt came from
    device_failures: int = 0

    def failures(self) -> dict[str, int]:
        """The reserved failures of each scope that counted this attempt."""
        if self.device:
            return {DEVICE: self.device_failures, ADDRESS: self.address_failures}
        return {ACCOUNT: self.account_failures, ADDRESS: self.address_failures}


def _limits() -> dict[str, int]:
    return {ACCOUNT: int(settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT),
            ADDRESS: int(settings.REBOX_LOGIN_FAILURES_PER_ADDRESS),
            DEVICE: int(settings.REBOX_LOGIN_FAILURES_PER_DEVICE)}


def _window() -> int:
    return int(settings.REBOX_LOGIN_WINDOW_SECONDS)


def device_cookie_value(*, user) -> str:
    """A new device cookie for ``user``: a fresh nonce and the user's id, signed and dated."""
    return signing.dumps({"nonce": secrets.token_urlsafe(16), "user": user.pk}, salt=_DEVICE_SALT)


def device_from_cookie(value: str | None, *, username: str) -> str | None:
    """The nonce of a device cookie we signed for the account ``username`` names, else None:
    a missing, tampered or outdated cookie, or one of another account, counts as no cookie."""
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
        nonce, user_id = str(payload["nonce"]), int(payload["user"])
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None or _account_id(user.get_username()) != _account_id(username):
        return None
    return nonce


def _account_id(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().casefold()


def _address_id(address: str) -> str:
    ip = ip_or_none(address)
    if ip is None:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        # One IPv6 client usually holds a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _counter_keys(username: str, address: str, device: str | None) -> dict[str, str]:
    """The failure counter of each scope that applies; its lock is at the same key with
    ``lock:`` prefixed. A known device stands in for the account."""
    ids = {DEVICE: device} if device else {ACCOUNT: _account_id(username)}
    ids[ADDRESS] = _address_id(address)
    return {scope: f"rebox:login:{scope}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
            for scope, value in ids.items()}


def _lock_key(counter_key: str) -> str:
    return f"lock:{counter_key}"


def _bump(key: str, window: int) -> int:
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _give_back(key: str) -> None:
    try:
        cache.decr(key)
    except ValueError:  # expired, or cleared by a lock in the meantime
        pass


def _lock_in_force(keys: dict[str, str]) -> LoginLock | None:
    now = time.time()
    locks = [LoginLock(scope, until) for scope, key in keys.items()
             if (until := cache.get(_lock_key(key))) and until > now]
    return max(locks, key=lambda lock: lock.until, default=None)


def login_attempt_start(*, username: str, address: str,
                        device: str | None = None) -> LoginAttempt | LoginLock:
    """Reserve a failure for this account (or known device) and address, or the lock that
    refuses the attempt. ``device`` is a nonce from `device_from_cookie`."""
    keys = _counter_keys(username, address, device)
    if lock := _lock_in_force(keys):
        return lock
    window = _window()
    limits = _limits()
    counts = {scope: _bump(key, window) for scope, key in keys.items()}
    over = [scope for scope, count in counts.items() if count > limits[scope]]
    if over:  # other attempts at the limit are still being checked: wait for their outcome
        for key in keys.values():
            _give_back(key)
        return LoginLock(over[0], time.time() + window)
    return LoginAttempt(username=username, address=address, account_failures=counts.get(ACCOUNT, 0),
                        address_failures=counts[ADDRESS], device=device,
                        device_failures=counts.get(DEVICE, 0))


def login_attempt_succeeded(attempt: LoginAttempt) -> None:
    # From a known device only the device's count starts again: the account's count is then
    # all strangers' guesses, and the owner's log-in must not give them a fresh allowance.
    keys = _counter_keys(attempt.username, attempt.address, attempt.device)
    cache.delete(keys[DEVICE if attempt.device else ACCOUNT])
    _give_back(keys[ADDRESS])


def login_attempt_failed(attempt: LoginAttempt) -> LoginLock | None:
    """Keep the reserved failure; lock the account, device or address that reached its limit."""
    keys = _counter_keys(attempt.username, attempt.address, attempt.device)
    counts = attempt.failures()
    limits = _limits()
    window = _window()
    locks = []
    for scope, count in counts.items():
        if count < limits[scope]:
            continue
        lock_key = _lock_key(keys[scope])
        until = time.time() + window
        if cache.add(lock_key, until, window):
            cache.delete(keys[scope])  # after the lock, a fresh allowance
            _lockout_recorded(scope, attempt, failures=count, until=until)
        else:
            until = cache.get(lock_key) or until
        locks.append(LoginLock(scope, until))
    return max(locks, key=lambda lock: lock.until, default=None)


def _lockout_recorded(scope: str, attempt: LoginAttempt, *, failures: int, until: float) -> None:
    """Log every lockout; an account's or a device's also goes to the audit trail of each of
    the account's stores. A device is named by the start of its nonce, never the cookie."""
    locked_until = datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds")
    subject = attempt.address if scope == ADDRESS else attempt.username
    device = f" (device {attempt.device[:8]})" if scope == DEVICE and attempt.device else ""
    logger.warning("back-office log-in locked: %s %r%s after %d failures from %s, until %s", scope,
                   subject, device, failures, attempt.address, locked_until)
    if scope == ADDRESS:
        return
    details = {"address": attempt.address, "failures": failures, "locked_until": locked_until}
    if scope == DEVICE and attempt.device:
        details["device"] = attempt.device[:8]
    user_model = get_user_model()
    users = user_model._default_manager.filter(
        **{f"{user_model.USERNAME_FIELD}__iexact": attempt.username.strip()})
    memberships = Membership.objects.filter(user__in=users).values_list("store_id", "user_id")
    with transaction.atomic():
        for store_id, user_id in memberships:
            audit_record(store=store_id, actor=SYSTEM, subject_type="user", subject_id=user_id,
                         action=DEVICE_LOCKED_ACTION if scope == DEVICE else LOCKED_ACTION,
                         why=f"{failures} failed log-ins", details=details)

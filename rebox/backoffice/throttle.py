"""Back-office log-in throttling: failed log-ins counted per account and per client address.

The counters live in Django's cache (Redis when configured, so every web process sees the
same counts; per-process memory in embedded mode), in fixed windows of
``REBOX_LOGIN_WINDOW_SECONDS``. An attempt reserves a failure on both counters *before* the
password is checked, so that parallel guesses cannot overshoot a limit; a success gives
the reservation back (the account's count starts again, the address keeps only its real
failures). The failure that reaches a limit locks the account or the address for one
window: while locked the password is not checked at all, so a right guess reveals
nothing, and the lock reads the same whether or not the account exists.

    attempt = login_attempt_start(username=..., address=client_address(request))  # rebox.core.clients
    if isinstance(attempt, LoginLock): refuse
    ... check the password ...; login_attempt_failed(attempt) -> LoginLock | None
                                login_attempt_succeeded(attempt)
"""

import hashlib
import ipaddress
import logging
import math
import time
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from rebox.core.actors import SYSTEM
from rebox.core.audit import audit_record
from rebox.core.clients import ip_or_none
from rebox.core.models import Membership

logger = logging.getLogger(__name__)

ACCOUNT, ADDRESS = "account", "address"
LOCKED_ACTION = "staff.login_locked"


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
    account_failures: int
    address_failures: int


def _limits() -> dict[str, int]:
    return {ACCOUNT: int(settings.REBOX_LOGIN_FAILURES_PER_ACCOUNT),
            ADDRESS: int(settings.REBOX_LOGIN_FAILURES_PER_ADDRESS)}


def _window() -> int:
    return int(settings.REBOX_LOGIN_WINDOW_SECONDS)




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


def _counter_keys(username: str, address: str) -> dict[str, str]:
    """The failure counter of each scope; its lock is at the same key with ``lock:`` prefixed."""
    ids = {ACCOUNT: _account_id(username), ADDRESS: _address_id(address)}
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


def login_attempt_start(*, username: str, address: str) -> LoginAttempt | LoginLock:
    """Reserve a failure for this account and address, or the lock that refuses the attempt."""
    keys = _counter_keys(username, address)
    if lock := _lock_in_force(keys):
        return lock
    window = _window()
    counts = {scope: _bump(key, window) for scope, key in keys.items()}
    over = [scope for scope, limit in _limits().items() if counts[scope] > limit]
    if over:  # other attempts at the limit are still being checked: wait for their outcome
        for key in keys.values():
            _give_back(key)
        return LoginLock(over[0], time.time() + window)
    return LoginAttempt(username=username, address=address,
                        account_failures=counts[ACCOUNT], address_failures=counts[ADDRESS])


def login_attempt_succeeded(attempt: LoginAttempt) -> None:
    keys = _counter_keys(attempt.username, attempt.address)
    cache.delete(keys[ACCOUNT])
    _give_back(keys[ADDRESS])


def login_attempt_failed(attempt: LoginAttempt) -> LoginLock | None:
    """Keep the reserved failure; lock the account or the address that reached its limit."""
    keys = _counter_keys(attempt.username, attempt.address)
    counts = {ACCOUNT: attempt.account_failures, ADDRESS: attempt.address_failures}
    window = _window()
    locks = []
    for scope, limit in _limits().items():
        if counts[scope] < limit:
            continue
        lock_key = _lock_key(keys[scope])
        until = time.time() + window
        if cache.add(lock_key, until, window):
            cache.delete(keys[scope])  # after the lock, a fresh allowance
            _lockout_recorded(scope, attempt, failures=counts[scope], until=until)
        else:
            until = cache.get(lock_key) or until
        locks.append(LoginLock(scope, until))
    return max(locks, key=lambda lock: lock.until, default=None)


def _lockout_recorded(scope: str, attempt: LoginAttempt, *, failures: int, until: float) -> None:
    """Log every lockout; an account's also goes to the audit trail of each of its stores."""
    locked_until = datetime.fromtimestamp(until, UTC).isoformat(timespec="seconds")
    logger.warning("back-office log-in locked: %s %r after %d failures from %s, until %s", scope,
                   attempt.username if scope == ACCOUNT else attempt.address, failures,
                   attempt.address, locked_until)
    if scope != ACCOUNT:
        return
    user_model = get_user_model()
    users = user_model._default_manager.filter(
        **{f"{user_model.USERNAME_FIELD}__iexact": attempt.username.strip()})
    memberships = Membership.objects.filter(user__in=users).values_list("store_id", "user_id")
    with transaction.atomic():
        for store_id, user_id in memberships:
            audit_record(store=store_id, actor=SYSTEM, action=LOCKED_ACTION, subject_type="user",
                         subject_id=user_id, why=f"{failures} failed log-ins",
                         details={"address": attempt.address, "failures": failures,
                                  "locked_until": locked_until})

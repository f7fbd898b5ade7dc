"""Store credit: a ledger per customer, store and currency. The balance is the sum of the
entries; spending locks the account row, so two checkouts cannot spend the same credit;
every entry that a caller may repeat (issuing for a return, a storefront's redemption)
carries an idempotency key, unique per account, so a retry finds the first entry instead
of writing a second. Expiry spends the oldest credit first: a job writes an ``expired``
entry for what is left of each issue whose date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, IdempotencyKeyReused, NotFound, ValidationFailed
from rebox.core.ids import random_code
from rebox.core.models import Store
from rebox.core.outbox import outbox_publish
from rebox.orders.models import Customer
from rebox.refunds.models import CreditAccount, CreditEntry

K = CreditEntry.Kind


@dataclass(frozen=True)
class Balance:
    code: str
    currency: str
    balance_minor: int


def credit_balance(account: CreditAccount) -> int:
    return account.entries.aggregate(n=Sum("amount_minor"))["n"] or 0


def credit_account_for(*, store: Store, customer: Customer, currency: str) -> CreditAccount:
    """The customer's account in this currency, made on first use (safe under races)."""
    account = CreditAccount.objects.filter(store=store, customer=customer, currency=currency).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return CreditAccount.objects.create(store=store, customer=customer, currency=currency,
                                                code=random_code(16))
    except IntegrityError:
        return CreditAccount.objects.get(store=store, customer=customer, currency=currency)


def _entry_once(account: CreditAccount, *, key: str | None, kind: str, amount_minor: int,
                actor: Actor, **fields) -> tuple[CreditEntry, bool]:
    """The entry for ``key`` (written now, or found from an earlier call: then its kind and
    amount must match); True when written now."""
    if key:
        earlier = CreditEntry.objects.filter(account=account, idempotency_key=key).first()
        if earlier is not None:
            if (earlier.kind, earlier.amount_minor) != (kind, amount_minor):
                raise IdempotencyKeyReused()
            return earlier, False
    entry = CreditEntry.objects.create(account=account, kind=kind, amount_minor=amount_minor,
                                       idempotency_key=key or None, actor_label=actor.label, **fields)
    return entry, True


def credit_issue(*, store: Store, customer: Customer, currency: str, amount_minor: int, actor: Actor,
                 key: str, ret=None, bonus_minor: int = 0, expires_at: datetime | None = None,
                 why: str = "") -> CreditAccount:
    """Give credit (plus an optional bonus for choosing credit over money). Issuing twice
    with one key gives it once; the promise either exists afterwards or this raised."""
    if amount_minor <= 0 or bonus_minor < 0:
        raise ValidationFailed(errors=[FieldError("amount_minor", "must be positive")])
    account = credit_account_for(store=store, customer=customer, currency=currency)
    with transaction.atomic():
        CreditAccount.objects.select_for_update().filter(pk=account.pk).first()
        _entry, written = _entry_once(account, key=key, kind=K.ISSUED, amount_minor=amount_minor, actor=actor,
                                      ret=ret, expires_at=expires_at, why=why)
        if bonus_minor:
            _entry_once(account, key=f"{key}:bonus", kind=K.BONUS, amount_minor=bonus_minor, actor=actor,
                        ret=ret, expires_at=expires_at, why=why)
        if written:
            audit_record(store=store, actor=actor, action="credit.issued", subject_type="customer",
                         subject_id=customer.pk, why=why,
                         details={"code": account.code, "amount_minor": amount_minor,
                                  "bonus_minor": bonus_minor, "currency": currency})
            outbox_publish(store=store, topic="credit.issued", subject_type="credit", subject_id=account.pk,
                           payload={"code": account.code, "email": customer.email, "currency": currency,
                                    "amount_minor": amount_minor + bonus_minor,
                                    "return": ret.number if ret is not None else None})
    return account


def credit_find(*, store: Store, code: str) -> CreditAccount:
    account = CreditAccount.objects.filter(store=store, code=code.strip().upper()).first()
    if account is None:
        raise NotFound("No store credit with this code")
    return account


def credit_redeem(*, store: Store, code: str, amount_minor: int, key: str, actor: Actor,
                  reference: str = "") -> tuple[CreditEntry, int]:
    """Spend credit at checkout: all or nothing; a retry with the same key spends once.
    Returns the entry and the balance left."""
    account = credit_find(store=store, code=code)
    if amount_minor <= 0:
        raise ValidationFailed(errors=[FieldError("amount_minor", "must be positive")])
    if not key:
        raise ValidationFailed(errors=[FieldError("Idempotency-Key", "required to spend credit")])
    with transaction.atomic():
        CreditAccount.objects.select_for_update().filter(pk=account.pk).first()
        earlier = CreditEntry.objects.filter(account=account, idempotency_key=key).first()
        if earlier is None:
            balance = credit_balance(account)
            if amount_minor > balance:
                raise Conflict(f"Only {balance} {account.currency} of credit is left on this code")
        entry, written = _entry_once(account, key=key, kind=K.SPENT, amount_minor=-amount_minor,
                                     actor=actor, reference=reference)
        if written:
            audit_record(store=store, actor=actor, action="credit.spent", subject_type="customer",
                         subject_id=account.customer_id, details={"code": account.code,
                                                                  "amount_minor": amount_minor,
                                                                  "reference": reference})
        return entry, credit_balance(account)


def credit_adjust(*, account: CreditAccount, amount_minor: int, actor: Actor, why: str) -> CreditEntry:
    """Staff correct a balance, saying why; it cannot go below zero."""
    errors = []
    if not amount_minor:
        errors.append(FieldError("amount_minor", "must not be zero"))
    if not why.strip():
        errors.append(FieldError("why", "say why the balance changes"))
    if errors:
        raise ValidationFailed(errors=errors)
    with transaction.atomic():
        CreditAccount.objects.select_for_update().filter(pk=account.pk).first()
        if credit_balance(account) + amount_minor < 0:
            raise Conflict("An adjustment cannot take the balance below zero")
        entry, _ = _entry_once(account, key=None, kind=K.ADJUSTED, amount_minor=amount_minor, actor=actor,
                               why=why.strip())
        audit_record(store=account.store_id, actor=actor, action="credit.adjusted", subject_type="customer",
                     subject_id=account.customer_id, why=why.strip(),
                     details={"code": account.code, "amount_minor": amount_minor})
    return entry


def _unspent_by_issue(entries: list[CreditEntry]) -> dict[int, int]:
    """What is left of each positive entry after the negative ones, oldest expiry first."""
    credits = sorted((e for e in entries if e.amount_minor > 0),
                     key=lambda e: (e.expires_at is None, e.expires_at or e.created_at, e.pk))
    left = {e.pk: e.amount_minor for e in credits}
    debit = -sum(e.amount_minor for e in entries if e.amount_minor < 0)
    for e in credits:
        take = min(debit, left[e.pk])
        left[e.pk] -= take
        debit -= take
    return left


def credits_expire(*, now: datetime | None = None) -> int:
    """Write an ``expired`` entry for what is left of each issue past its date (once)."""
    now = now or timezone.now()
    written = 0
    accounts = CreditAccount.objects.filter(entries__expires_at__lte=now).distinct()
    for account in accounts:
        with transaction.atomic():
            CreditAccount.objects.select_for_update().filter(pk=account.pk).first()
            entries = list(account.entries.all())
            for issue_pk, left in _unspent_by_issue(entries).items():
                issue = next(e for e in entries if e.pk == issue_pk)
                if left > 0 and issue.expires_at is not None and issue.expires_at <= now:
                    _entry, new = _entry_once(account, key=f"expire:{issue_pk}", kind=K.EXPIRED,
                                              amount_minor=-left, actor=SYSTEM, why="credit expired")
                    written += int(new)
    return written

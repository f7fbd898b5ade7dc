"""Payment gateway adapters for refunds. An adapter turns one Refund row into one refund
at its gateway, sending the row's idempotency key, and can look a refund up again.

Outcomes are values, not exceptions, so the job can decide: ``Done`` (the gateway has the
refund), ``Retry`` (nothing known for sure: timeout, 5xx, a concurrent call with the same
key; calling again with the same key is safe), ``Refused`` (the gateway said no for good;
its message is kept for the agent).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class RefundRequest:
    idempotency_key: str
    refund_number: str
    payment_reference: str  # e.g. a Stripe PaymentIntent (pi_...) or Charge (ch_...)
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class Done:
    reference: str
    replayed: bool = False


@dataclass(frozen=True)
class Retry:
    error: str


@dataclass(frozen=True)
class Refused:
    error: str


Outcome = Done | Retry | Refused


class Gateway(Protocol):
    def refund(self, request: RefundRequest) -> Outcome: ...

    def find(self, request: RefundRequest) -> Done | None:
        """The refund made earlier for this request, if the gateway has one."""


def gateway_for(account) -> Gateway:
    """The adapter a GatewayAccount names."""
    from rebox.refunds.gateways.stripe import StripeGateway

    if account.gateway == "stripe":
        return StripeGateway(secret_key=account.secret_key, api_base=account.api_base or None)
    raise LookupError(f"no refund adapter {account.gateway!r}")

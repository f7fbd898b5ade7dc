"""The money of an exchange, with no database: what the returned units are worth to the
new order, who owes the difference, and how an amount given back is spread over the
original payments. Every function keeps two sums exact (tested with Hypothesis):

* the new order is paid in full: exchange tender + what the customer pays = new total;
* the returned units are used in full: exchange tender + what the store gives back = credit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Settlement:
    tender_minor: int  # the returned units' value spent on the new order (the exchange tender)
    customer_pays_minor: int  # the new order costs more: the customer pays this (payment link)
    store_returns_minor: int  # the new order costs less: refunded or credited


def settle(*, credit_minor: int, new_minor: int) -> Settlement:
    """Settle an exchange of units worth ``credit_minor`` for units costing ``new_minor``."""
    if credit_minor < 0 or new_minor < 0:
        raise ValueError("amounts of an exchange are never negative")
    tender = min(credit_minor, new_minor)
    return Settlement(tender_minor=tender, customer_pays_minor=new_minor - tender,
                      store_returns_minor=credit_minor - tender)


def spread(amount_minor: int, refundable: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spread ``amount_minor`` over payments given as (payment id, refundable) in the order
    they are to be used (the order's payments in the order they were taken): each takes
    what it can. Returns (payment id, amount) for those that take something; raises
    ValueError when the payments cannot take it all."""
    if amount_minor < 0:
        raise ValueError("nothing negative is given back")
    left, parts = amount_minor, []
    for payment_id, room in refundable:
        take = min(left, max(room, 0))
        if take:
            parts.append((payment_id, take))
            left -= take
    if left:
        raise ValueError(f"{left} more than the payments can take back")
    return parts

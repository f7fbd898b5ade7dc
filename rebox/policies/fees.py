"""What a return of the line costs the customer, after the law's caps.

The merchant rule sets a return shipping fee (for a return made of this line; the refunds
module charges it once per return) and a restocking fee as a percentage of the line value
with a cap. Both are rounded once, half up, in minor units. The law then caps them while
the line is inside its statutory withdrawal window:

* EU, Denmark, UK: no fee beyond the direct cost of return (CRD Art. 9(1), 14(1)), and not
  even that when the customer was not told they bear it;
* Israel: everything together at most 5 % of the price or NIS 100, whichever is lower
  (Consumer Protection Law § 14E(d)); the cap is rounded down, in the customer's favour.

Defect and recall returns, and store-fault reasons where the rule waives fees, cost nothing.
"""

from __future__ import annotations

from rebox.core.money import Money
from rebox.policies.decision import Fees, Part
from rebox.policies.precedence import Effects
from rebox.policies.statutory.model import StatutoryPack
from rebox.policies.types import Basis, LineFacts, Reason

_ZERO: dict[str, Fees] = {}


def zero_fees(currency: str) -> Fees:
    fees = _ZERO.get(currency)
    if fees is None:
        nothing = Money(0, currency)
        fees = _ZERO[currency] = Fees(nothing, nothing)
    return fees


def line_fees(effects: Effects, line: LineFacts, basis: Basis, reason: Reason | None,
              policy_currency: str, pack: StatutoryPack | None, law_in_force: bool,
              informed: bool) -> tuple[Fees, list[Part]]:
    currency = line.currency
    if basis is Basis.DEFECT or basis is Basis.RECALL:
        return zero_fees(currency), [Part("fees", "fees.none_store_fault", {"basis": str(basis)})]
    if reason is not None and reason.store_fault and effects.waive_fees_on_store_fault:
        return zero_fees(currency), [Part("fees", "fees.none_store_fault", {"basis": str(basis)})]
    if currency != policy_currency:
        # Fixed amounts are in the policy's currency and cannot be converted here.
        return zero_fees(currency), [Part("fees", "fees.none", {})]
    value = line.value_minor
    restocking = uncapped = (value * effects.restocking_basis_points + 5000) // 10000
    cap = effects.restocking_fee_cap_minor
    if cap is not None and restocking > cap:
        restocking = cap
    shipping = effects.return_shipping_fee_minor
    parts: list[Part] = []
    if law_in_force and pack is not None and (restocking or shipping):
        restocking, shipping = _capped_by_law(pack, value, currency, restocking, shipping, informed, parts)
    if restocking == uncapped and restocking:
        parts.append(Part("fees", "fees.restocking", {
            "amount": Money(restocking, currency), "percent": effects.restocking_fee_percent}))
    elif restocking:
        parts.append(Part("fees", "fees.restocking_capped", {"amount": Money(restocking, currency)}))
    if shipping:
        parts.append(Part("fees", "fees.shipping", {"amount": Money(shipping, currency)}))
    if not restocking and not shipping and not parts:
        parts.append(Part("fees", "fees.none", {}))
    nothing = zero_fees(currency).restocking
    return Fees(Money(shipping, currency) if shipping else nothing,
                Money(restocking, currency) if restocking else nothing), parts


def _capped_by_law(pack: StatutoryPack, value: int, currency: str, restocking: int, shipping: int,
                   informed: bool, parts: list[Part]) -> tuple[int, int]:
    before = restocking + shipping
    if pack.return_postage == "customer_if_informed" and not informed:
        shipping = 0
    if pack.fee_max_basis_points is not None:
        cap = value * pack.fee_max_basis_points // 10000
        if pack.fee_max_minor is not None and pack.fee_cap_currency in (None, currency):
            cap = min(cap, pack.fee_max_minor)
        if pack.fee_cap_includes_shipping:
            over = restocking + shipping - cap
            if over > 0:
                taken = min(over, restocking)
                restocking, shipping = restocking - taken, shipping - (over - taken)
        elif restocking > cap:
            restocking = cap
    if restocking + shipping < before:
        if not pack.fee_max_percent:
            code = "fees.forbidden_by_law"
        elif pack.fee_max_minor is not None and pack.fee_cap_currency in (None, currency):
            code = "fees.capped_by_law"
        else:
            code = "fees.capped_by_law_percent"
        parts.append(Part("fees", code, {
            "law": pack.code, "cap_percent": pack.fee_max_percent,
            "cap": None if pack.fee_max_minor is None else Money(pack.fee_max_minor,
                                                                 pack.fee_cap_currency or currency),
            "source": pack.source("fees.max_percent")}))
    return restocking, shipping

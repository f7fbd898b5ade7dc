"""Return queries, always scoped by store."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from rebox.core.errors import NotFound
from rebox.core.ids import normalize_code
from rebox.core.models import Store
from rebox.returns.models import Return


def return_get(*, store: Store, number: str) -> Return:
    """One of this store's returns; another store's is not found."""
    ret = (Return.objects.filter(store=store, number=normalize_code(number))
           .select_related("order").prefetch_related("lines__order_line").first())
    if ret is None:
        raise NotFound(f"No return {number}")
    return ret


def returns_for_store(*, store: Store, status: str | None = None, order_number: str | None = None):
    qs = Return.objects.filter(store=store).select_related("order").prefetch_related("lines__order_line")
    if status:
        qs = qs.filter(status=status)
    if order_number:
        qs = qs.filter(order__number=order_number)
    return qs


# --- The shopper's side: finding an order, what can be returned, what it costs ----------

def order_with_policy(*, store: Store, number: str):
    """The store's order ``number`` (else NotFound) as the policy engine sees it:
    (order, `OrderPolicy`, active reasons by code, or None: ask `reason_for`). On PostgreSQL one
    prepared statement (`pg_snapshot`); the order is then an unsaved copy of the columns
    the eligibility answer reads."""
    from rebox.orders.selectors import order_get
    from rebox.policies.selectors import order_policy
    from rebox.returns import pg_snapshot

    if pg_snapshot.supported():
        snapshot = pg_snapshot.order_snapshot(store=store, number=number)
        if snapshot is None:
            raise NotFound(f"No order {number}")
        if snapshot.policy is not None:  # else: the ORM path seeds the store's first policy
            return snapshot.order, snapshot.policy, snapshot.reasons
    order = order_get(store=store, number=number)
    return order, order_policy(store=store, order=order), None


def _postal(text: str) -> str:
    return "".join(str(text or "").split()).upper()


def order_for_shopper(*, store: Store, number: str, email: str = "", postal_code: str = ""):
    """The store's order with this number whose email or postal code matches, else None.
    Callers must answer a miss the same way whether the number exists or not."""
    from rebox.orders.models import Order

    number, email, postal = number.strip(), email.strip().lower(), _postal(postal_code)
    if not number or not (email or postal):
        return None
    order = Order.objects.filter(store=store, number__iexact=number).first()
    if order is None:
        return None
    if email and order.email.strip().lower() == email:
        return order
    if postal and _postal(order.shipping_address.get("postal_code", "")) == postal:
        return order
    return None


def order_for_gift_code(*, store: Store, code: str):
    from rebox.orders.models import Order

    typed = code.strip().upper().replace("-", "").replace(" ", "")
    if not typed:
        return None
    # as typed, or read the Crockford way (O as 0, I and L as 1) for codes Rebox generated
    return Order.objects.filter(store=store, gift_receipt_code__in={typed, normalize_code(code)}).first()


@dataclass(frozen=True)
class LineOption:
    """One order line as the shopper sees it: what is left, and the policy's answers."""

    line: object  # OrderLine
    delivered: int
    left: int  # delivered minus returns still standing
    general: object  # Decision without a reason: the headline shown beside the line
    by_reason: dict  # reason code -> Decision

    @property
    def returnable(self) -> bool:
        return self.left > 0 and any(d.eligible for d in self.by_reason.values())


def return_options(*, store: Store, order, at: datetime | None = None) -> list[LineOption]:
    """Every line of ``order``: delivered, left to return, and the decision for each reason,
    evaluated once under the version that governs the order (one pass, no per-reason queries)."""
    from rebox.policies.engine import evaluate
    from rebox.policies.selectors import (
        decoded_version,
        delivered_quantities,
        line_facts,
        order_facts,
        reasons_for_store,
    )
    from rebox.policies.services import policy_in_force
    from rebox.policies.types import Reason
    from rebox.returns.services import quantities_taken

    at = at or timezone.now()
    version = decoded_version(policy_in_force(store=store, at=order.placed_at))
    facts = order_facts(order, store)
    delivered = delivered_quantities(order)
    taken = quantities_taken(order=order)
    reasons = [Reason(code=r.code, store_fault=r.store_fault) for r in reasons_for_store(store=store)]
    options = []
    for line in order.lines.select_related("variant__product", "order"):
        got = delivered.get(line.pk, 0)
        facts_line = line_facts(line, quantity=max(got, 1))
        options.append(LineOption(
            line=line, delivered=got, left=max(got - taken.get(line.pk, 0), 0),
            general=evaluate(version, facts_line, facts, at=at),
            by_reason={r.code: evaluate(version, facts_line, facts, at=at, reason=r) for r in reasons}))
    return options


@dataclass(frozen=True)
class ExchangeChoice:
    variant: object  # Variant
    available: int


def exchange_choices(*, store: Store, lines) -> dict[int, list[ExchangeChoice]]:
    """Per order line: the other active variants of its product, with live available stock."""
    from rebox.catalog.models import Variant
    from rebox.inventory.selectors import available_by_variant

    products = {line.pk: line.variant.product_id for line in lines if line.variant_id}
    variants = list(Variant.objects.filter(store=store, product_id__in=set(products.values()),
                                           is_active=True).select_related("product").order_by("pk"))
    stock = available_by_variant(store_id=store.pk, variant_ids=[v.pk for v in variants])
    return {line_id: [ExchangeChoice(v, max(stock.get(v.pk, 0), 0)) for v in variants
                      if v.product_id == product_id and v.pk != _variant_of(lines, line_id)]
            for line_id, product_id in products.items()}


def _variant_of(lines, line_id: int) -> int | None:
    return next((line.variant_id for line in lines if line.pk == line_id), None)


def return_quote(*, store: Store, order, chosen, at: datetime | None = None, gift: bool = False) -> dict:
    """What the shopper is shown before confirming: fees per line for the chosen quantity
    (``chosen``: (order line, quantity, Reason)) and in total. Return shipping is charged
    once per return (the highest of the lines'), restocking per line."""
    from rebox.policies.engine import evaluate
    from rebox.policies.selectors import decoded_version, line_facts, order_facts
    from rebox.policies.services import policy_in_force

    at = at or timezone.now()
    version = decoded_version(policy_in_force(store=store, at=order.placed_at))
    facts = order_facts(order, store)
    rows, shipping, restocking, value = [], 0, 0, 0
    for line, quantity, reason in chosen:
        fees = evaluate(version, line_facts(line, quantity=quantity), facts, at=at, reason=reason).fees
        shipping = max(shipping, fees.return_shipping.amount)
        restocking += fees.restocking.amount
        line_value = line.total_minor // line.quantity * quantity
        value += line_value
        row = {"order_line_id": line.pk, "quantity": quantity, "reason": reason.code,
               "restocking_minor": fees.restocking.amount,
               "return_shipping_minor": fees.return_shipping.amount}
        if not gift:
            row["value_minor"] = line_value
        rows.append(row)
    quote = {"currency": order.currency, "lines": rows, "return_shipping_minor": shipping,
             "restocking_minor": restocking, "fees_minor": shipping + restocking,
             "quoted_at": at.isoformat()}
    if not gift:
        quote["value_minor"] = value
        quote["estimated_minor"] = max(value - shipping - restocking, 0)
    return quote


def return_timeline(ret: Return):
    """Every audited step of the return, oldest first."""
    from rebox.core.models import AuditEntry

    return list(AuditEntry.objects.filter(store_id=ret.store_id, subject_type="return",
                                          subject_id=ret.pk).order_by("at", "id"))

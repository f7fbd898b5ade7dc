"""Exchanges: the customer gets other units instead of money.

The life of an exchange (``Exchange.Status``), always under a lock on the return row, so
that the outbox delivering an event twice, two workers, or a worker and an agent do each
step once:

1. On approval (``exchange_reserve``) the wanted units are held in stock: another size or
   colour of the same product (``ReturnLine.exchange_variant``), or the same variant when
   none was chosen (a like-for-like replacement). Each unit is priced at what the customer
   paid for the returned one, so nothing is owed either way. A return cancelled, declined
   or expired first gives the stock back (``exchange_release``).
2. The customer (or an agent) may choose a different product instead (``exchange_choose``):
   priced at the catalog price, the difference settled by ``exchange_money.settle``. When
   it costs more, the customer pays the difference through a payment link
   (``payment_links.py``); the exchange waits (``awaiting_payment``) until that payment is
   confirmed by the gateway's signed webhook or an agent. When it costs less, the rest is
   refunded or credited as the store's setting says, when the order is made.
3. When the return resolves (after inspection, as the store's flow says: ``exchange_resolve``)
   the exchange becomes a new order (``Order.Source.EXCHANGE``, number ``EX-<return>``)
   that goes through fulfilment like any other: the held stock is released and reserved
   again for the new order's lines in the same transaction, and the order is paid by an
   exchange tender (a Payment, method other, no gateway, reference ``exchange:<return>``)
   plus the difference the customer paid, so its totals add up.

Instant exchanges (trusted customers, ``instant.py``) make the order at approval; the
return then resolves after inspection and finds its order.

Inspection: units rejected or missing are not exchanged. A like-for-like or size/colour
exchange is made for the accepted units only (none accepted: the return resolves with no
order and the stock goes back); an exchange for a different product with a unit rejected
stops with a Conflict for an agent to settle with the customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from rebox.catalog.models import Variant
from rebox.core.actors import SYSTEM, Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, ValidationFailed
from rebox.core.outbox import outbox_publish
from rebox.inventory.models import MovementKind, StockLevel
from rebox.inventory.services import stock_move
from rebox.orders.drafts import AddressDraft, CustomerDraft, LineDraft, OrderDraft, PaymentDraft
from rebox.orders.models import Order, Payment
from rebox.orders.services import order_create, order_transition
from rebox.orders.states import OrderStatus
from rebox.refunds.credit import credit_issue
from rebox.refunds.exchange_money import settle, spread
from rebox.refunds.models import Exchange, ExchangeLine
from rebox.refunds.services import refund_create, refundable_minor
from rebox.returns.models import Acceptance, Resolution, Return
from rebox.returns.services import return_transition
from rebox.returns.states import ReturnStatus

S = ReturnStatus
X = Exchange.Status
OPEN = (X.RESERVED, X.AWAITING_PAYMENT, X.READY)
CHOOSABLE = (S.APPROVED, S.IN_TRANSIT, S.RECEIVED, S.INSPECTED)


@dataclass(frozen=True)
class Wanted:
    variant_id: int
    quantity: int
    return_line_id: int | None = None


def _lock(ret: Return) -> Return:
    return Return.objects.select_for_update().select_related("order", "store").get(pk=ret.pk)


# --- stock held for an exchange ---------------------------------------------------------

def _hold(line: ExchangeLine, store_id: int, actor: Actor, why: str) -> bool:
    """Reserve the line's units at the first location that has them (default first)."""
    levels = (StockLevel.objects
              .filter(variant_id=line.variant_id, on_hand__gte=F("reserved") + line.quantity)
              .order_by("-location__is_default", "location_id").values_list("location_id", flat=True))
    for location_id in levels:
        try:
            stock_move(store_id=store_id, variant_id=line.variant_id, location_id=location_id,
                       kind=MovementKind.RESERVED, quantity=line.quantity, actor=actor, why=why)
        except Conflict:  # taken meanwhile: the next location
            continue
        line.location_id = location_id
        line.save(update_fields=["location"])
        return True
    return False


def _unhold(exchange: Exchange, actor: Actor, why: str) -> None:
    for line in exchange.lines.filter(location__isnull=False):
        stock_move(store_id=exchange.store_id, variant_id=line.variant_id, location_id=line.location_id,
                   kind=MovementKind.RELEASED, quantity=line.quantity, actor=actor, why=why)
        line.location = None
        line.save(update_fields=["location"])


def _same_product_lines(ret: Return) -> list[tuple[object, int, int]]:
    """(return line, variant id, unit price) for each line: the size or colour chosen, or
    the same variant again."""
    wanted = []
    for line in ret.lines.select_related("order_line"):
        variant_id = line.exchange_variant_id or line.order_line.variant_id
        if variant_id is None:  # sold as a product no longer in the catalog: an agent decides
            continue
        wanted.append((line, variant_id, line.unit_value_minor))
    return wanted


def exchange_reserve(*, ret: Return, actor: Actor = SYSTEM) -> Exchange | None:
    """Hold stock for an approved exchange return (once; None when not an exchange).
    A unit that cannot be held now is recorded without a location: the order made later
    reserves it again, and fails visibly if it is still missing."""
    with transaction.atomic():
        locked = _lock(ret)
        if locked.resolution != Resolution.EXCHANGE:
            return None
        existing = Exchange.objects.filter(ret=locked).first()
        if existing is not None:
            return existing
        wanted = _same_product_lines(locked)
        credit = sum(line.unit_value_minor * line.quantity for line, _v, _p in wanted)
        exchange = Exchange.objects.create(store_id=locked.store_id, ret=locked,
                                           currency=locked.order.currency, credit_minor=credit,
                                           new_minor=credit, difference_minor=0, created_by=actor.label)
        short = []
        for line, variant_id, price in wanted:
            held = ExchangeLine.objects.create(exchange=exchange, return_line=line, variant_id=variant_id,
                                               quantity=line.quantity, unit_price_minor=price)
            if not _hold(held, locked.store_id, actor, f"held for the exchange of return {locked.number}"):
                short.append(variant_id)
        audit_record(store=locked.store_id, actor=actor, action="exchange.reserved", subject_type="return",
                     subject_id=locked.pk, why="stock held for the units the customer wants instead",
                     details={"variants": [v for _l, v, _p in wanted], "not_held": short})
        return exchange


def exchange_release(*, ret: Return, actor: Actor = SYSTEM, why: str) -> Exchange | None:
    """Give back the stock held for an exchange that will not happen (once)."""
    with transaction.atomic():
        locked = _lock(ret)
        exchange = Exchange.objects.filter(ret=locked, status__in=OPEN).first()
        if exchange is None:
            return None
        _unhold(exchange, actor, why)
        exchange.status = X.RELEASED
        exchange.save(update_fields=["status"])
        audit_record(store=locked.store_id, actor=actor, action="exchange.released", subject_type="return",
                     subject_id=locked.pk, why=why)
        return exchange


# --- a different product ----------------------------------------------------------------

def _check_wanted(ret: Return, wanted: Sequence[Wanted]) -> dict[int, Variant]:
    errors = []
    if not wanted:
        errors.append(FieldError("lines", "at least one item to send instead"))
    variants = {v.pk: v for v in Variant.objects.filter(store_id=ret.store_id, is_active=True,
                                                          pk__in=[w.variant_id for w in wanted])}
    line_ids = set(ret.lines.values_list("pk", flat=True))
    for i, item in enumerate(wanted):
        variant = variants.get(item.variant_id)
        if variant is None:
            errors.append(FieldError(f"lines[{i}].variant_id", "not a product of this store"))
        elif variant.currency != ret.order.currency:
            errors.append(FieldError(f"lines[{i}].variant_id", f"priced in {variant.currency}, "
                                                               f"the order in {ret.order.currency}"))
        if item.quantity < 1:
            errors.append(FieldError(f"lines[{i}].quantity", "at least 1"))
        if item.return_line_id is not None and item.return_line_id not in line_ids:
            errors.append(FieldError(f"lines[{i}].return_line_id", "not a line of this return"))
    if errors:
        raise ValidationFailed(errors=errors)
    return variants


def exchange_choose(*, ret: Return, wanted: Sequence[Wanted], actor: Actor, why: str = "") -> Exchange:
    """Exchange the return's units for other products, at their catalog prices. Replaces
    an earlier choice (its stock is given back); all or nothing. When the customer owes a
    difference, a payment link is asked for after commit (``payment_links``)."""
    from rebox.refunds.payment_links import exchange_payment_link_request

    with transaction.atomic():
        locked = _lock(ret)
        if locked.resolution != Resolution.EXCHANGE:
            raise Conflict(f"Return {locked.number} is a {locked.resolution}, not an exchange")
        if locked.status not in CHOOSABLE:
            raise Conflict(f"Return {locked.number} is {locked.status}; an exchange is chosen while it "
                           "is approved and not yet resolved")
        exchange = Exchange.objects.filter(ret=locked).first()
        if exchange is not None and exchange.status not in OPEN:
            raise Conflict(f"The exchange of return {locked.number} is {exchange.status}")
        variants = _check_wanted(locked, wanted)
        credit = sum(line.unit_value_minor * line.quantity for line in locked.lines.all())
        new = sum(variants[w.variant_id].price_minor * w.quantity for w in wanted)
        if exchange is None:
            exchange = Exchange(store_id=locked.store_id, ret=locked, currency=locked.order.currency,
                                created_by=actor.label)
        else:
            _unhold(exchange, actor, "the customer chose other items")
            exchange.lines.all().delete()
        exchange.credit_minor, exchange.new_minor, exchange.difference_minor = credit, new, new - credit
        exchange.status = X.AWAITING_PAYMENT if new > credit else X.READY
        exchange.payment_link = exchange.payment_link_error = ""
        exchange.save()
        for i, item in enumerate(wanted):
            line = ExchangeLine.objects.create(exchange=exchange, return_line_id=item.return_line_id,
                                               variant_id=item.variant_id, quantity=item.quantity,
                                               unit_price_minor=variants[item.variant_id].price_minor)
            if not _hold(line, locked.store_id, actor, f"held for the exchange of return {locked.number}"):
                sku = variants[item.variant_id].sku
                raise ValidationFailed(errors=[FieldError(f"lines[{i}].variant_id",
                                                          f"{sku} is not in stock")])
        audit_record(store=locked.store_id, actor=actor, action="exchange.chosen", subject_type="return",
                     subject_id=locked.pk, why=why or "other items chosen instead",
                     details={"credit_minor": credit, "new_minor": new, "difference_minor": new - credit,
                              "currency": exchange.currency})
        if exchange.status == X.AWAITING_PAYMENT:
            exchange_id = exchange.pk
            transaction.on_commit(lambda: exchange_payment_link_request(exchange_id=exchange_id))
        return exchange


# --- the new order ----------------------------------------------------------------------

def _accepted_units(line) -> int:
    units = list(line.units.all())
    return sum(1 for unit in units if unit.acceptance in (Acceptance.ACCEPTED, Acceptance.PARTLY))


def _scale_to_inspection(ret: Return, exchange: Exchange) -> list[ExchangeLine]:
    """The lines to send after inspection (see the module's docstring)."""
    lines = list(exchange.lines.select_related("return_line"))
    same_product = exchange.difference_minor == 0 and all(
        line.return_line is not None and line.quantity == line.return_line.quantity for line in lines)
    kept = []
    for line in lines:
        returned = line.return_line
        accepted = _accepted_units(returned) if returned is not None else None
        if returned is None or accepted == returned.quantity:
            kept.append(line)
        elif not same_product:
            raise Conflict(f"Units of return {ret.number} were rejected at inspection; an agent "
                           "settles this exchange with the customer")
        elif accepted:
            line.quantity = accepted
            kept.append(line)
    return kept


def _draft(ret: Return, exchange: Exchange, lines: list[ExchangeLine], credit: int) -> OrderDraft:
    order = ret.order
    new = sum(line.unit_price_minor * line.quantity for line in lines)
    money = settle(credit_minor=credit, new_minor=new)
    payments = []
    if money.tender_minor:
        payments.append(PaymentDraft(method=Payment.Method.OTHER, amount_minor=money.tender_minor,
                                     reference=f"exchange:{ret.number}"))
    if money.customer_pays_minor:
        method = Payment.Method.CARD if exchange.difference_paid_gateway else Payment.Method.OTHER
        payments.append(PaymentDraft(method=method, amount_minor=money.customer_pays_minor,
                                     gateway=exchange.difference_paid_gateway,
                                     reference=exchange.difference_paid_reference))
    address = {k: v for k, v in order.shipping_address.items() if k in AddressDraft.__dataclass_fields__}
    return OrderDraft(
        currency=order.currency, number=f"EX-{ret.number}", language=order.language,
        customer=CustomerDraft(email=order.customer.email, name=order.customer.name),
        shipping_address=AddressDraft(**address), taxes_included=True, payments=payments,
        lines=[LineDraft(sku=line.variant.sku, quantity=line.quantity, unit_price_minor=line.unit_price_minor,
                         title=f"Exchange: {line.variant.label}") for line in lines])


def _give_back(ret: Return, exchange: Exchange, amount: int, actor: Actor) -> str:
    """The new items cost less: the rest goes back as the store's setting says."""
    from rebox.refunds.resolution import settings_for

    if amount <= 0:
        return "nothing"
    why = f"exchange of return {ret.number}: the new items cost less"
    if settings_for(ret.store_id).cheaper_exchange_settles_as == "store_credit":
        credit_issue(store=ret.store, customer=ret.order.customer, currency=exchange.currency,
                     amount_minor=amount, actor=actor, key=f"exchange:{ret.number}", ret=ret, why=why)
        return "credited"
    payments = list(ret.order.payments.filter(status=Payment.Status.CAPTURED).order_by("pk"))
    for payment_id, part in spread(amount, [(p.pk, refundable_minor(p)) for p in payments]):
        payment = next(p for p in payments if p.pk == payment_id)
        refund_create(order=ret.order, payment=payment, amount_minor=part, actor=actor, ret=ret, reason=why)
    return "refunded"


def exchange_fulfil(*, locked: Return, exchange: Exchange, actor: Actor,
                    instant: bool = False) -> Order | None:
    """Make the new order (the caller holds the return's lock). None when nothing is left
    to send after inspection."""
    if exchange.order_id is not None:
        return exchange.order
    if exchange.status == X.AWAITING_PAYMENT:
        raise Conflict(f"Return {locked.number}: the customer has not paid the difference yet")
    if exchange.status not in OPEN:
        raise Conflict(f"The exchange of return {locked.number} is {exchange.status}")
    lines = list(exchange.lines.select_related("variant", "return_line")) if instant \
        else _scale_to_inspection(locked, exchange)
    # the returned units' value less the units not exchanged (scaling happens only where a
    # unit is priced at what the returned one was paid, so this takes off exactly their value)
    full = {line.pk: line.quantity for line in exchange.lines.all()}
    everything = sum(line.unit_price_minor * line.quantity for line in exchange.lines.all())
    credit = exchange.credit_minor - everything + sum(line.unit_price_minor * line.quantity for line in lines)
    _unhold(exchange, actor, f"exchange of return {locked.number}: reserved for its order instead")
    if not lines:
        exchange.status = X.RELEASED
        exchange.save(update_fields=["status"])
        audit_record(store=locked.store_id, actor=actor, action="exchange.released", subject_type="return",
                     subject_id=locked.pk, why="no unit was accepted at inspection: nothing to send")
        return None
    order = order_create(store=locked.store, draft=_draft(locked, exchange, lines, credit), actor=actor,
                         source=Order.Source.EXCHANGE)
    if order.status == OrderStatus.PENDING:  # nothing to pay (units that cost nothing)
        order = order_transition(order=order, to=OrderStatus.PAID, actor=actor,
                                 why="exchange: nothing to pay")
    money = settle(credit_minor=credit, new_minor=order.total_minor)
    given_back = _give_back(locked, exchange, money.store_returns_minor, actor)
    exchange.order, exchange.status, exchange.instant = order, X.CREATED, instant
    exchange.difference_settled = True
    exchange.save(update_fields=["order", "status", "instant", "difference_settled"])
    audit_record(store=locked.store_id, actor=actor, action="exchange.created", subject_type="return",
                 subject_id=locked.pk, why="instant exchange: ships before the original arrives" if instant
                 else "the return is resolved by a replacement order",
                 details={"order": order.number, "total_minor": order.total_minor, "currency": order.currency,
                          "difference_minor": exchange.difference_minor, "given_back": given_back,
                          "units": {str(line.variant_id): line.quantity for line in lines},
                          "units_wanted": sum(full.values())})
    outbox_publish(store=locked.store_id, topic="exchange.created", subject_type="return",
                   subject_id=locked.pk, payload={"return": locked.number, "new_order": order.number,
                            "original_order": locked.order.number, "email": locked.email,
                            "language": locked.language, "instant": instant, "currency": order.currency,
                            "total_minor": order.total_minor, "difference_minor": exchange.difference_minor})
    return order


def exchange_resolve(*, ret: Return, actor: Actor = SYSTEM) -> Return:
    """Resolve an inspected exchange return by its new order, exactly once: the return row
    is locked, and a second call finds the return resolved and the order made."""
    with transaction.atomic():
        locked = _lock(ret)
        if locked.resolution != Resolution.EXCHANGE:
            raise Conflict(f"Return {locked.number} is a {locked.resolution}, not an exchange")
        if locked.status in (S.RESOLVED, S.CLOSED):
            return locked
        exchange = Exchange.objects.filter(ret=locked).first()
        if exchange is None:  # approved before exchanges held stock
            exchange = exchange_reserve(ret=locked, actor=actor)
        order = exchange_fulfil(locked=locked, exchange=exchange, actor=actor)
        why = f"replacement order {order.number}" if order is not None else "nothing accepted to exchange"
        return return_transition(ret=locked, to=S.RESOLVED, actor=actor, why=why)

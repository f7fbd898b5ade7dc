"""Order commands: accept an order, move its status, ship it, record tracking."""

from collections.abc import Callable, Collection

from django.db import transaction
from django.utils import timezone

from rebox.catalog.models import Variant
from rebox.core.actors import Actor
from rebox.core.audit import audit_record
from rebox.core.errors import Conflict, FieldError, OutOfStock, ValidationFailed
from rebox.core.idempotency import run_idempotent
from rebox.core.ids import random_code
from rebox.core.models import Store
from rebox.core.money import is_known_currency
from rebox.core.orm import remember_related
from rebox.core.outbox import outbox_publish
from rebox.inventory.services import stock_reserve_lines
from rebox.orders import pg_create
from rebox.orders.drafts import OrderDraft
from rebox.orders.models import Customer, Order, OrderLine, Payment
from rebox.orders.rules import check_arithmetic, line_total, order_totals
from rebox.orders.serializers import order_detail
from rebox.orders.states import ORDER_TRANSITIONS, OrderStatus, can_move


def draft_errors(*, store: Store, draft: OrderDraft, known_skus: Collection[str]) -> list[FieldError]:
    """Everything wrong with an order before it touches stock, one error per field."""
    errors = check_arithmetic(draft)
    if not is_known_currency(draft.currency):
        errors.append(FieldError("currency", f"{draft.currency!r} is not an ISO 4217 code"))
    if draft.language and draft.language not in store.languages:
        errors.append(FieldError("language", f"the store offers {', '.join(store.languages)}"))
    for i, line in enumerate(draft.lines):
        if line.sku not in known_skus:
            errors.append(FieldError(f"lines[{i}].sku", f"unknown SKU {line.sku!r}"))
    return errors


def _check_draft(*, store: Store, draft: OrderDraft) -> dict[str, Variant]:
    variants = {
        v.sku: v
        for v in Variant.objects.filter(store=store, sku__in={line.sku for line in draft.lines})
        .select_related("product__category", "product__supplier")
        .only("sku", "size", "colour", "product__title", "product__final_sale",
              "product__policy_tags", "product__category__slug", "product__supplier__code",
              "product__supplier__is_dropship")
    }
    errors = draft_errors(store=store, draft=draft, known_skus=variants.keys())
    if errors:
        raise ValidationFailed(errors=errors)
    return variants


def _reserve_stock(*, store: Store, lines: list[OrderLine], variants: dict[str, Variant],
                   actor: Actor) -> None:
    wanted = []
    for line in lines:
        supplier = variants[line.sku].product.supplier
        if supplier is not None and supplier.is_dropship:
            continue  # the supplier holds dropship stock, not us
        wanted.append((line.pk, line.variant_id, line.quantity))
    short = set(stock_reserve_lines(store_id=store.pk, wanted=wanted, actor=actor))
    if short:
        raise OutOfStock("Some lines are out of stock; nothing was reserved.", errors=[
            FieldError(f"lines[{line.position}].quantity",
                       f"not enough stock of {line.sku} for {line.quantity}")
            for line in lines if line.pk in short])


def order_create(*, store: Store, draft: OrderDraft, actor: Actor, source: str = "api",
                 reserve_stock: bool = True) -> Order:
    """Accept an order: check it, save it with its lines and payments, reserve stock.

    All or nothing: on any error nothing is stored and no stock stays reserved.
    """
    variants = _check_draft(store=store, draft=draft)
    totals = order_totals(draft)
    if draft.payments:
        status = OrderStatus.PAID
    else:
        status = OrderStatus.PENDING
    # No savepoint of our own: any error aborts the caller's transaction as a whole.
    with transaction.atomic(savepoint=False):
        customer = _customer_for(store=store, draft=draft)
        number = draft.number or f"R{random_code(9)}"
        if draft.number and Order.objects.filter(store=store, number=number).exists():
            raise Conflict(f"Order {number} already exists",
                           errors=[FieldError("number", "already used by another order")])
        order = Order.objects.create(
            store=store, number=number, customer=customer, email=customer.email,
            status=status, currency=draft.currency,
            language=draft.language or customer.language or store.default_language,
            placed_at=draft.placed_at or timezone.now(),
            shipping_address=draft.shipping_address.as_dict(), source=source,
            external_id=draft.external_id, **totals,
        )
        lines = OrderLine.objects.bulk_create([
            _line_from(order=order, position=i, draft_line=line, variant=variants[line.sku],
                       taxes_included=draft.taxes_included)
            for i, line in enumerate(draft.lines)
        ])
        payments = Payment.objects.bulk_create([
            Payment(store=store, order=order, method=p.method, gateway=p.gateway,
                    reference=p.reference, amount_minor=p.amount_minor,
                    currency=draft.currency, status=p.status)
            for p in draft.payments
        ])
        if reserve_stock:
            _reserve_stock(store=store, lines=lines, variants=variants, actor=actor)
        audit_record(store=store, actor=actor, action="order.placed", subject_type="order",
                     subject_id=order.pk, why=f"received from {source}",
                     details={"total_minor": order.total_minor, "currency": order.currency})
        outbox_publish(store=store, topic="order.placed", subject_type="order",
                       subject_id=order.pk, payload={"number": order.number})
    # What was just written is what a reader would fetch: hand it over as if prefetched, so
    # that the caller can render the order without reading it back.
    remember_related(order, lines=lines, payments=payments, shipments=[])
    return order


def order_create_idempotent(*, store: Store, draft: OrderDraft, actor: Actor,
                            idempotency_key: str | None, body: Callable[[], object],
                            source: str = "api") -> tuple[int, dict]:
    """Accept an order at most once per Idempotency-Key: (HTTP status, order document).

    ``body`` gives the request body that the key's fingerprint is taken of. On PostgreSQL
    this is a few statements of SQL (`pg_create`); elsewhere `order_create` under
    `run_idempotent`. Both write the same rows and answer the same.
    """
    if pg_create.supported():
        return pg_create.order_create_fast(store=store, draft=draft, actor=actor,
                                           key=idempotency_key, body=body, source=source)

    def operation():
        return 201, order_detail(order_create(store=store, draft=draft, actor=actor,
                                              source=source))

    return run_idempotent(store=store, key=idempotency_key, scope=pg_create.SCOPE,
                          body=body() if idempotency_key is not None else None,
                          operation=operation)


def _customer_for(*, store: Store, draft: OrderDraft) -> Customer:
    email = draft.customer.email.strip().lower()
    customer, created = Customer.objects.get_or_create(
        store=store, email=email,
        defaults={"name": draft.customer.name, "phone": draft.customer.phone,
                  "language": draft.customer.language or draft.language,
                  "country": draft.shipping_address.country},
    )
    return customer


def _line_from(*, order, position, draft_line, variant: Variant, taxes_included) -> OrderLine:
    product = variant.product
    return OrderLine(
        store_id=order.store_id, order=order, position=position, variant=variant,
        sku=variant.sku, title=draft_line.title or variant.label,
        quantity=draft_line.quantity, unit_price_minor=draft_line.unit_price_minor,
        discount_minor=draft_line.discount_minor, tax_minor=draft_line.tax_minor,
        total_minor=line_total(draft_line, taxes_included=taxes_included),
        category_slug=product.category.slug if product.category else "",
        supplier_code=product.supplier.code if product.supplier else "",
        final_sale=product.final_sale, policy_tags=list(product.policy_tags),
    )


def order_transition(*, order: Order, to: str, actor: Actor, why: str = "") -> Order:
    """Move an order to another status: checked against the table, locked, audited."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == to:
            return locked
        if not can_move(ORDER_TRANSITIONS, locked.status, to):
            raise Conflict(f"Order {locked.number} is {locked.status} and cannot become {to}")
        previous, locked.status = locked.status, to
        locked.save(update_fields=["status"])
        audit_record(store=locked.store_id, actor=actor, action=f"order.{to}",
                     subject_type="order", subject_id=locked.pk, why=why,
                     details={"from": previous})
    return locked

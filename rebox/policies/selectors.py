"""Policy queries, and the bridge from stored orders to the engine's facts."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, Sum

from rebox.core.errors import NotFound
from rebox.core.models import Store
from rebox.orders.models import Order, OrderLine, ShipmentLine
from rebox.orders.states import OrderStatus, ShipmentStatus
from rebox.policies.codec import version_from_rows
from rebox.policies.decision import Decision
from rebox.policies.engine import evaluate
from rebox.policies.models import PolicyStatus, ReturnReason, StoredPolicyVersion
from rebox.policies.services import policy_in_force, reasons_seed
from rebox.policies.simulation import SimulatedLine
from rebox.policies.types import NO_DECLARATIONS, Declarations, LineFacts, OrderFacts, PolicyVersion, Reason

# Published versions never change, so their decoded form can live as long as the process.
# The key is more than the primary key: SQLite can hand a deleted row's id to a new row.
_DECODED: dict[tuple, PolicyVersion] = {}


def _cache_key(stored: StoredPolicyVersion) -> tuple:
    return (stored.pk, stored.store_id, stored.number, stored.effective_from)


def decoded_version(stored: StoredPolicyVersion, *, contents=None) -> PolicyVersion:
    """``contents``: for a row read without its rules, a callable giving (default_rule, rules),
    asked only when the decoded version is not cached yet."""
    cached = _DECODED.get(_cache_key(stored)) if stored.status == "published" else None
    if cached is not None:
        return cached
    if contents is not None:
        stored.default_rule, stored.rules = contents()
    version, errors = version_from_rows(
        version_id=str(stored.pk), number=stored.number, effective_from=stored.effective_from,
        currency=stored.currency, default_rule=stored.default_rule, rules=stored.rules)
    if version is None:  # only possible if someone edited the row by hand
        raise ValueError(f"policy version {stored.pk} does not decode: {errors}")
    if stored.status == "published":
        _DECODED[_cache_key(stored)] = version
    return version


def reasons_for_store(*, store: Store, active_only: bool = True) -> list[ReturnReason]:
    reasons = ReturnReason.objects.filter(store=store)
    if not reasons.exists():
        reasons_seed(store=store)
    if active_only:
        reasons = reasons.filter(is_active=True)
    return list(reasons)


def reason_for(*, store: Store, code: str) -> Reason | None:
    row = ReturnReason.objects.filter(store=store, code=code, is_active=True).first()
    if row is None and not ReturnReason.objects.filter(store=store).exists():
        reasons_seed(store=store)
        row = ReturnReason.objects.filter(store=store, code=code, is_active=True).first()
    return Reason(code=row.code, store_fault=row.store_fault) if row else None


def order_facts(order: Order, store: Store) -> OrderFacts:
    return OrderFacts(placed_at=order.placed_at, delivered_at=order.delivered_at,
                      customer_country=order.shipping_country or store.country,
                      store_timezone=store.time_zone, currency=order.currency)


def line_facts(line: OrderLine, *, quantity: int | None = None, product_handle: str | None = None,
               currency: str | None = None) -> LineFacts:
    """``product_handle`` and ``currency``, when given, spare loading the line's product and order."""
    if product_handle is None:
        product = line.variant.product if line.variant_id else None
        product_handle = product.handle if product else ""
    return LineFacts(
        sku=line.sku, unit_price_minor=line.unit_price_minor,
        currency=line.order.currency if currency is None else currency,
        quantity=line.quantity if quantity is None else quantity,
        product_handle=product_handle, category_slug=line.category_slug,
        supplier_code=line.supplier_code, final_sale=line.final_sale,
        policy_tags=frozenset(line.policy_tags))


def delivered_quantities(order: Order) -> dict[int, int]:
    """Delivered units per line: the sum of delivered parcels' lines. An order that came
    with a delivery date but no parcels (imported history) counts as delivered in full."""
    rows = (ShipmentLine.objects.filter(order_line__order=order)
            .filter(Q(shipment__status=ShipmentStatus.DELIVERED))
            .values("order_line_id").annotate(n=Sum("quantity")))
    delivered = {row["order_line_id"]: row["n"] for row in rows}
    if not delivered and order.delivered_at is not None and not order.shipments.exists():
        delivered = dict(order.lines.values_list("pk", "quantity"))
    return delivered


def delivered_in_full(*, by_parcels: dict[int, int], delivered_at, has_parcels: bool,
                      ordered: dict[int, int]) -> dict[int, int]:
    """`delivered_quantities` from facts read elsewhere (one SQL read): the delivered parcels'
    sums, or every line in full for an order delivered without parcels."""
    if not by_parcels and delivered_at is not None and not has_parcels:
        return dict(ordered)
    return by_parcels


@dataclass(frozen=True)
class LineEligibility:
    line: OrderLine
    returnable_quantity: int
    decision: Decision


@dataclass(frozen=True)
class OrderPolicy:
    """An order as the policy engine sees it, read once: the version that governs it, its
    facts, its lines and what of them was delivered. A line is evaluated only when asked."""

    version: PolicyVersion
    version_number: int
    facts: OrderFacts
    lines: dict[int, OrderLine]  # by id, in the order's line order
    delivered: dict[int, int]
    handles: dict[int, str]  # line id -> product handle ("" without a product)

    def line(self, line_id: int, *, at: datetime, reason: Reason | None = None,
             declarations: Declarations = NO_DECLARATIONS) -> LineEligibility | None:
        """One line of the order (None for a line of another order)."""
        line = self.lines.get(line_id)
        return None if line is None else self._evaluate(line, at, reason, declarations)

    def every_line(self, *, at: datetime, reason: Reason | None = None,
                   declarations: Declarations = NO_DECLARATIONS) -> list[LineEligibility]:
        return [self._evaluate(line, at, reason, declarations) for line in self.lines.values()]

    def _evaluate(self, line: OrderLine, at: datetime, reason: Reason | None,
                  declarations: Declarations) -> LineEligibility:
        returnable = self.delivered.get(line.pk, 0)  # later: minus what earlier returns took
        facts = line_facts(line, quantity=max(returnable, 1), product_handle=self.handles[line.pk],
                           currency=self.facts.currency)
        decision = evaluate(self.version, facts, self.facts, at=at, reason=reason,
                            declarations=declarations)
        return LineEligibility(line=line, returnable_quantity=returnable, decision=decision)


def order_policy(*, store: Store, order: Order) -> OrderPolicy:
    """`OrderPolicy` through the ORM (any database)."""
    stored = policy_in_force(store=store, at=order.placed_at)
    lines = list(order.lines.select_related("variant__product"))
    for line in lines:
        line.order = order  # whoever reads line.order gets it without a query
    return OrderPolicy(
        version=decoded_version(stored), version_number=stored.number,
        facts=order_facts(order, store), lines={line.pk: line for line in lines},
        delivered=delivered_quantities(order),
        handles={line.pk: line.variant.product.handle if line.variant_id else "" for line in lines})


def order_eligibility(*, store: Store, order: Order, at: datetime, reason: Reason | None = None,
                      declarations: Declarations = NO_DECLARATIONS) -> list[LineEligibility]:
    """Every line of ``order`` through the policy version in force when it was placed."""
    return order_policy(store=store, order=order).every_line(at=at, reason=reason,
                                                             declarations=declarations)


def policy_versions_for_store(*, store: Store):
    """Every version of the store's policy, newest first."""
    return StoredPolicyVersion.objects.filter(store=store).order_by("-number")


def policy_version_get(*, store: Store, number: int) -> StoredPolicyVersion:
    """One version of this store's policy; another store's is not found."""
    version = StoredPolicyVersion.objects.filter(store=store, number=number).first()
    if version is None:
        raise NotFound(f"No policy version {number}")
    return version


def policy_drafts(*, store: Store) -> list[StoredPolicyVersion]:
    drafts = StoredPolicyVersion.objects.filter(store=store, status=PolicyStatus.DRAFT)
    return list(drafts.order_by("-number"))


def customer_countries(*, store: Store, since: datetime) -> list[str]:
    """The countries the store's orders since ``since`` were shipped to (where it sells)."""
    countries = (Order.objects.filter(store=store, placed_at__gte=since)
                 .values_list("shipping_address__country", flat=True).distinct())
    return sorted({c.upper() for c in countries if isinstance(c, str) and len(c) == 2})


def simulation_lines(*, store: Store, since: datetime,
                     until: datetime | None = None) -> Iterator[SimulatedLine]:
    """The lines of the store's orders placed since ``since`` (cancelled orders left out),
    as the engine's facts: one query, no model instances, each order's facts built once."""
    rows = OrderLine.objects.filter(store=store, order__placed_at__gte=since) \
        .exclude(order__status=OrderStatus.CANCELLED)
    if until is not None:
        rows = rows.filter(order__placed_at__lt=until)
    rows = rows.order_by().values_list(
        "order_id", "order__number", "order__placed_at", "order__delivered_at", "order__currency",
        "order__shipping_address__country", "sku", "unit_price_minor", "quantity",
        "variant__product__handle", "category_slug", "supplier_code", "final_sale", "policy_tags")
    orders: dict[int, OrderFacts] = {}
    for (order_id, number, placed_at, delivered_at, currency, country, sku, price, quantity, handle,
         category, supplier, final_sale, tags) in rows.iterator(chunk_size=5000):
        facts = orders.get(order_id)
        if facts is None:
            facts = orders[order_id] = OrderFacts(
                placed_at=placed_at, delivered_at=delivered_at, currency=currency,
                customer_country=country if isinstance(country, str) and country else store.country,
                store_timezone=store.time_zone)
        yield SimulatedLine(number, LineFacts(
            sku=sku, unit_price_minor=price, currency=currency, quantity=quantity,
            product_handle=handle or "", category_slug=category, supplier_code=supplier,
            final_sale=final_sale, policy_tags=frozenset(tags or ())), facts)


@dataclass(frozen=True)
class LinePreview:
    line: OrderLine
    quantity: int
    current: Decision  # under the version that governs the order
    draft: Decision  # under the draft, as if it governed the order

    @property
    def changed(self) -> bool:
        a, b = self.current, self.draft
        return (a.eligible, a.window_end, a.window_open, a.fees.total, a.resolutions, a.methods) != \
            (b.eligible, b.window_end, b.window_open, b.fees.total, b.resolutions, b.methods)


def order_preview(*, store: Store, order: Order, draft: StoredPolicyVersion, at: datetime,
                  reason: Reason | None = None) -> tuple[StoredPolicyVersion, list[LinePreview]]:
    """What would happen to ``order`` at ``at``: its governing version, and ``draft``, per line
    (the same quantities as the eligibility API: what was delivered, at least one)."""
    governing = policy_in_force(store=store, at=order.placed_at)
    current, proposed = decoded_version(governing), decoded_version(draft)
    facts = order_facts(order, store)
    delivered = delivered_quantities(order)
    previews = []
    for line in order.lines.select_related("variant__product", "order"):
        line_fact = line_facts(line, quantity=max(delivered.get(line.pk, 0), 1))
        previews.append(LinePreview(
            line=line, quantity=line_fact.quantity,
            current=evaluate(current, line_fact, facts, at=at, reason=reason),
            draft=evaluate(proposed, line_fact, facts, at=at, reason=reason)))
    return governing, previews

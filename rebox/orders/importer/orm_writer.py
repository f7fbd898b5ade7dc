"""Chunks through the ORM: SQLite (the embedded mode), and a fallback for any database."""

from django.db import transaction

from rebox.core.models import Store
from rebox.orders.importer.catalog import CatalogEntry
from rebox.orders.importer.records import Chunk, ImportedOrder, Written
from rebox.orders.models import Customer, Order, OrderLine, Payment
from rebox.orders.rules import line_total


class OrmWriter:
    """Everything happens in ``write``, in one transaction; on SQLite that transaction
    takes the write lock at BEGIN, so asking which numbers exist and then inserting is safe."""

    def __init__(self, store: Store, catalog: dict[str, CatalogEntry]):
        self.store = store
        self.catalog = catalog

    def prepare(self, orders: list[ImportedOrder]) -> Chunk:
        return Chunk(orders)

    def write(self, chunk: Chunk) -> Written:
        orders = chunk.orders
        with transaction.atomic():
            customers, created = self._customers(orders)
            present = set(Order.objects.filter(store=self.store, number__in=[o.number for o in orders])
                          .values_list("number", flat=True))
            fresh = [o for o in orders if o.number not in present]
            rows = Order.objects.bulk_create([self._order(o, customers) for o in fresh])
            lines = OrderLine.objects.bulk_create([
                self._line(row, position, line, o.draft.taxes_included)
                for o, row in zip(fresh, rows, strict=True)
                for position, line in enumerate(o.draft.lines)])
            payments = Payment.objects.bulk_create([
                Payment(store=self.store, order=row, method=p.method, gateway=p.gateway,
                        reference=p.reference, amount_minor=p.amount_minor,
                        currency=o.draft.currency, status=p.status)
                for o, row in zip(fresh, rows, strict=True) for p in o.draft.payments])
        return Written(orders=len(rows), lines=len(lines), payments=len(payments),
                       customers=created, orders_present=len(present))

    def _customers(self, orders: list[ImportedOrder]) -> tuple[dict[str, Customer], int]:
        wanted: dict[str, ImportedOrder] = {}
        for order in orders:
            wanted.setdefault(order.draft.customer.email, order)
        known = {c.email: c for c in Customer.objects.filter(store=self.store, email__in=list(wanted))}
        Customer.objects.bulk_create([
            Customer(store=self.store, email=email, **customer_fields(order))
            for email, order in wanted.items() if email not in known], ignore_conflicts=True)
        for email, customer in known.items():
            blanks = {k: v for k, v in customer_fields(wanted[email]).items()
                      if v and not getattr(customer, k)}
            if blanks:
                Customer.objects.filter(pk=customer.pk).update(**blanks)
        everyone = {c.email: c for c in Customer.objects.filter(store=self.store, email__in=list(wanted))}
        return everyone, len(everyone) - len(known)

    def _order(self, order: ImportedOrder, customers: dict[str, Customer]) -> Order:
        draft = order.draft
        customer = customers[draft.customer.email]
        return Order(
            store=self.store, number=order.number, customer=customer, email=customer.email,
            status=order.status, currency=draft.currency,
            language=draft.language or customer.language or self.store.default_language,
            placed_at=draft.placed_at, shipping_address=draft.shipping_address.as_dict(),
            source=Order.Source.IMPORT, delivered_at=order.delivered_at, **order.totals)

    def _line(self, order: Order, position: int, line, taxes_included: bool) -> OrderLine:
        entry = self.catalog[line.sku]
        return OrderLine(
            store=self.store, order=order, position=position, variant_id=entry.variant_id,
            sku=line.sku, title=line.title or entry.title, quantity=line.quantity,
            unit_price_minor=line.unit_price_minor, discount_minor=line.discount_minor,
            tax_minor=line.tax_minor, total_minor=line_total(line, taxes_included=taxes_included),
            category_slug=entry.category_slug, supplier_code=entry.supplier_code,
            final_sale=entry.final_sale, policy_tags=list(entry.policy_tags))


def customer_fields(order: ImportedOrder) -> dict[str, str]:
    """A customer's details as an order tells them."""
    draft = order.draft
    return {"name": draft.customer.name, "phone": draft.customer.phone,
            "language": draft.customer.language or draft.language,
            "country": draft.shipping_address.country}

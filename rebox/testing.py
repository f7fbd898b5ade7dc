"""Builders for tests and demo data: a store with a catalog, stock and an API key."""

from dataclasses import dataclass

from django.test import Client

from rebox.catalog.models import Category, Product, Supplier, Variant
from rebox.core.actors import SYSTEM
from rebox.core.api_keys import api_key_create
from rebox.core.models import Store
from rebox.inventory.models import Location, MovementKind
from rebox.inventory.services import stock_move


def make_store(slug: str = "shop", *, currency: str = "EUR", country: str = "DK",
               languages: tuple[str, ...] = ("en", "da"), **extra) -> Store:
    return Store.objects.create(
        slug=slug, name=extra.pop("name", slug.title()), currency=currency, country=country,
        languages=list(languages), default_language=languages[0],
        time_zone=extra.pop("time_zone", "Europe/Copenhagen"), **extra)


def make_location(store: Store, code: str = "main", *, default: bool = True) -> Location:
    return Location.objects.create(store=store, code=code, name=code.title(), is_default=default)


def make_variant(store: Store, sku: str, *, price_minor: int = 10_000, stock: int = 10,
                 location: Location | None = None, category: str = "tops",
                 supplier: Supplier | None = None, **product_fields) -> Variant:
    category_obj, _ = Category.objects.get_or_create(
        store=store, slug=category, defaults={"name": category.title()})
    product = Product.objects.create(
        store=store, handle=f"p-{sku.lower()}", title=product_fields.pop("title", f"Item {sku}"),
        category=category_obj, supplier=supplier, **product_fields)
    variant = Variant.objects.create(store=store, product=product, sku=sku,
                                     barcode=f"200{abs(hash(sku)) % 10**9:09d}",
                                     price_minor=price_minor, currency=store.currency)
    if stock:
        location = location or Location.objects.filter(store=store, is_default=True).first() \
            or make_location(store)
        stock_move(store_id=store.pk, variant_id=variant.pk, location_id=location.pk,
                   kind=MovementKind.RECEIVED, quantity=stock, actor=SYSTEM, why="opening stock")
    return variant


@dataclass
class ApiClient:
    """A Django test client that sends an API key, and JSON."""

    store: Store
    key: str
    client: Client

    def _headers(self, idempotency_key: str | None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        if idempotency_key:
            headers["HTTP_IDEMPOTENCY_KEY"] = idempotency_key
        return headers

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers(None))

    def post(self, path: str, body, *, idempotency_key: str | None = None):
        return self.client.post(f"/api/v1{path}", body, content_type="application/json",
                                **self._headers(idempotency_key))

    def patch(self, path: str, body):
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json",
                                 **self._headers(None))

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", **self._headers(None))


def api_client_for(store: Store) -> ApiClient:
    _, raw = api_key_create(store=store, name="tests")
    return ApiClient(store=store, key=raw, client=Client())


def order_payload(*lines: tuple[str, int, int], number: str | None = None,
                  currency: str = "EUR", email: str = "ana@example.com", paid: bool = True,
                  country: str = "DK", shipping_minor: int = 0) -> dict:
    """An order body for POST /api/v1/orders; lines are (sku, quantity, unit price)."""
    body_lines = [{"sku": sku, "quantity": q, "unit_price_minor": p} for sku, q, p in lines]
    total = sum(q * p for _, q, p in lines) + shipping_minor
    body = {
        "currency": currency,
        "customer": {"email": email, "name": "Ana Jensen"},
        "shipping_address": {"name": "Ana Jensen", "line1": "Nørregade 1", "city": "København",
                             "postal_code": "1165", "country": country},
        "lines": body_lines,
        "shipping_minor": shipping_minor,
        "payments": [{"method": "card", "gateway": "stripe", "reference": "ch_1",
                      "amount_minor": total}] if paid and total else [],
    }
    if number:
        body["number"] = number
    return body


def run_at_once(calls: list) -> list:
    """Run each callable in its own thread, released together; return their results.

    Each thread has its own database connection (closed at the end), so on PostgreSQL the
    calls really race against each other.
    """
    import threading

    from django.db import connection

    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
